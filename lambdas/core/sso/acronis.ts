import { refuseDisabled } from '../admin/disabled';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { AccountStore, UserProfile } from '../ports';
import { acronisLoginUrl, type AcronisUrlStyle } from './links';
import type { AcronisIdentity, AcronisPartner, CallContext } from './ports';
import { parseAllowList, resolveTarget } from './targets';
import { userField } from './user-fields';

export interface AcronisHandoffSettings {
  /** Send `login` (the default) or `external_id`. */
  identifyBy: 'login' | 'external_id';
  /** Where the login comes from: `email` (default), `id` or `attributes.<name>`. */
  loginField: string;
  /** Where the external id comes from when `identifyBy` is `external_id`. */
  externalIdField: string;
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
    private readonly accounts: AccountStore,
    private readonly partner: AcronisPartner,
    private readonly settings: () => AcronisHandoffSettings,
  ) {}

  async linkFor(userId: string, requestedTarget: string | undefined, context: CallContext): Promise<AcronisLoginLink> {
    const settings = this.settings();
    const dc = await this.partner.dataCenter(context);
    const target = resolveTarget(requestedTarget, parseAllowList(settings.targetAllowList, dc), dc);
    const profile = await this.accounts.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    refuseDisabled(profile);
    const ott = await this.partner.createOtt(acronisIdentity(profile, settings), context);
    return { status: 200, url: acronisLoginUrl(dc, ott, target, settings.urlStyle) };
  }
}

/** Exactly one of `login` or `external_id`, from the configured field of the user record. */
export function acronisIdentity(profile: UserProfile, settings: AcronisHandoffSettings): AcronisIdentity {
  const field = settings.identifyBy === 'external_id' ? settings.externalIdField : settings.loginField;
  const value = userField(profile, field);
  if (!value) throw new ForbiddenError('This account is not linked to an Acronis user yet. Please contact your administrator.');
  return settings.identifyBy === 'external_id' ? { external_id: value } : { login: value };
}
