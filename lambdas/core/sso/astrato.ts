import { refuseDisabled } from '../admin/disabled';
import { UnauthenticatedError } from '../errors';
import type { ProfileReader, UserProfile } from '../ports';
import { astratoTicketUrl } from './links';
import { ASTRATO_IDENTITY_ATTRIBUTE } from './partner-identities';
import type { AstratoPartner, AstratoTicketRequest, CallContext } from './ports';

export interface AstratoHandoffSettings {
  /** Groups every user joins unless the user record names its own (`attributes.astratoGroupIds`). */
  defaultGroupIds: string[];
  /** Sent as `applyPendingInvites` when set. */
  applyPendingInvites?: boolean;
}

/** The answer of POST /sso/astrato and /sso/astrato/login. */
export interface AstratoTicket {
  status: 200;
  ticket: string;
  base_url: string;
  redirect_url: string;
}

/** Per-user overrides on the user record, as imported before the console existed; `attributes.astrato` (the console's) wins. */
export const ASTRATO_GROUPS_ATTRIBUTE = 'astratoGroupIds';
export const ASTRATO_FILTERS_ATTRIBUTE = 'astratoFilterParameters';

/**
 * Astrato's OEM web ticket for a user who has already authenticated. The
 * caller proves that (a verified access token or a verified password) and
 * passes only the user id: this class never takes an email from a request,
 * so no one can obtain a ticket for someone else's address.
 */
export class AstratoHandoff {
  constructor(
    private readonly accounts: ProfileReader,
    private readonly partner: AstratoPartner,
    private readonly settings: () => AstratoHandoffSettings,
  ) {}

  async ticketFor(userId: string, context: CallContext): Promise<AstratoTicket> {
    const profile = await this.accounts.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    refuseDisabled(profile);
    const { ticket, baseUrl } = await this.partner.createTicket(astratoRequest(profile, this.settings()), context);
    return { status: 200, ticket, base_url: baseUrl, redirect_url: astratoTicketUrl(baseUrl, ticket) };
  }
}

/**
 * The /oem/setup body for this user. `groupIds` is sent only when someone
 * configured groups: the user's own list (even an empty one, set on purpose),
 * else non-empty defaults. Astrato applies the list to existing users too, so
 * sending an unasked-for `[]` could strip groups given in Astrato itself.
 */
export function astratoRequest(profile: UserProfile, settings: AstratoHandoffSettings): AstratoTicketRequest {
  const { groups: ownGroups, filters } = astratoRestrictions(profile);
  const groupIds =
    Array.isArray(ownGroups) && ownGroups.every((id) => typeof id === 'string')
      ? (ownGroups as string[])
      : settings.defaultGroupIds.length
        ? settings.defaultGroupIds
        : undefined;
  return {
    email: profile.email,
    ...(groupIds ? { groupIds } : {}),
    ...(settings.applyPendingInvites !== undefined ? { applyPendingInvites: settings.applyPendingInvites } : {}),
    ...(filters && typeof filters === 'object' && !Array.isArray(filters) ? { filterParameters: filters as Record<string, unknown> } : {}),
  };
}

/**
 * The groups and filter parameters an operator set for this user: the
 * console's `attributes.astrato` ({groups, filters}, see ASTRATO_IDENTITY_ATTRIBUTE)
 * when present, else the imported attributes. Reading anything else would let
 * a restriction set in the console fail open.
 */
export function astratoRestrictions(profile: UserProfile): { groups?: unknown; filters?: unknown } {
  const attributes = profile.attributes ?? {};
  const own = attributes[ASTRATO_IDENTITY_ATTRIBUTE];
  if (own && typeof own === 'object' && !Array.isArray(own)) {
    const { groups, filters } = own as { groups?: unknown; filters?: unknown };
    return { groups, filters };
  }
  return { groups: attributes[ASTRATO_GROUPS_ATTRIBUTE], filters: attributes[ASTRATO_FILTERS_ATTRIBUTE] };
}
