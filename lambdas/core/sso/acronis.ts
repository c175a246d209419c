import { refuseDisabled } from '../admin/disabled';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { ProfileReader, UserProfile } from '../ports';
import { type AcronisUrlStyle, acronisLoginUrl } from './links';
import { ACRONIS_IDENTITY_ATTRIBUTE, acronisUserIdentity, type PartnerClaim, UUID_PATTERN } from './partner-identities';
import type { AcronisIdentity, AcronisPartner, CallContext, PartnerClaimStore } from './ports';
import { parseAllowList, resolveTarget } from './targets';
import { userField } from './user-fields';

export interface AcronisHandoffSettings {
  /** Send `login` (the default), `external_id` or `user_id`: whichever the platform maps its users by. */
  identifyBy: 'login' | 'external_id' | 'user_id';
  /** Where the login comes from: `email` (default), `id` or `attributes.<name>`. */
  loginField: string;
  /** Where the external id comes from when `identifyBy` is `external_id`. */
  externalIdField: string;
  /** Where the Acronis user UUID comes from when `identifyBy` is `user_id`. */
  userIdField: string;
  /** Comma-separated URL prefixes; `{dc}` is the data-center URL. */
  targetAllowList: string;
  urlStyle: AcronisUrlStyle;
}

/** The answer of POST /sso/acronis. */
export interface AcronisLoginLink {
  status: 200;
  url: string;
}

/**
 * Acronis's external-login link for a user who has already authenticated.
 * The target is checked against the allow-list before any one-time token
 * exists, and the user is named only from the user record.
 */
export class AcronisHandoff {
  constructor(
    private readonly accounts: ProfileReader,
    private readonly partner: AcronisPartner,
    private readonly claims: PartnerClaimStore,
    private readonly settings: () => AcronisHandoffSettings,
  ) {}

  async linkFor(userId: string, requestedTarget: string | undefined, context: CallContext): Promise<AcronisLoginLink> {
    const settings = this.settings();
    const dc = await this.partner.dataCenter(context);
    const target = resolveTarget(requestedTarget, parseAllowList(settings.targetAllowList, dc), dc);
    const profile = await this.accounts.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    refuseDisabled(profile);
    const identity = acronisIdentity(profile, settings);
    // Claimed before Acronis is asked: whatever the identity's source, only one account here reaches that Acronis user.
    if (!(await this.claims.claim(userId, identityClaim(identity))))
      throw new ForbiddenError('This account cannot open Acronis: its Acronis user is linked to another account. Please contact your administrator.');
    const ott = await this.partner.createOtt(identity, context);
    return { status: 200, url: acronisLoginUrl(dc, ott, target, settings.urlStyle) };
  }
}

/** The claim of the identity a hand-off sends, in the same namespace as the operator's mappings (`partnerClaims`). */
export function identityClaim(identity: AcronisIdentity): PartnerClaim {
  const [kind, value] =
    'login' in identity ? ['login', identity.login] : 'external_id' in identity ? ['externalId', identity.external_id] : ['userId', identity.user_id];
  return { partner: ACRONIS_IDENTITY_ATTRIBUTE, kind, value: value.trim().toLowerCase() };
}

/**
 * Exactly one of `login`, `external_id` or `user_id`, as the platform is
 * configured: the user's own Acronis identity (`attributes.acronis`, set by an
 * operator) when it has that kind, else the configured field of the record.
 */
export function acronisIdentity(profile: UserProfile, settings: AcronisHandoffSettings): AcronisIdentity {
  const own = acronisUserIdentity(profile);
  const notLinked = () => new ForbiddenError('This account is not linked to an Acronis user yet. Please contact your administrator.');
  switch (settings.identifyBy) {
    case 'external_id': {
      const value = own.externalId ?? userField(profile, settings.externalIdField);
      if (!value) throw notLinked();
      return { external_id: value };
    }
    case 'user_id': {
      const value = own.userId ?? userField(profile, settings.userIdField);
      // Acronis names users by UUID here; anything else would only earn a 400 from Acronis.
      if (!value || !UUID_PATTERN.test(value)) throw notLinked();
      return { user_id: value.toLowerCase() };
    }
    default: {
      const value = own.login ?? userField(profile, settings.loginField);
      if (!value) throw notLinked();
      return { login: value };
    }
  }
}
