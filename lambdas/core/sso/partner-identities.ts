import type { UserProfile } from '../ports';

/**
 * Per-user partner identities, kept on the user record under
 * `attributes.<partner>`. An operator sets them (the operator console's
 * partner endpoint validates them with `partnerIdentitiesBody` from
 * lambdas/http/schemas/partners.ts); the hand-offs prefer them over the
 * platform-wide field settings.
 */
export const ACRONIS_IDENTITY_ATTRIBUTE = 'acronis';
/** `{groups, filters}`: the Astrato groups and row-level filter parameters of the user's tickets. */
export const ASTRATO_IDENTITY_ATTRIBUTE = 'astrato';

/** The attributes that hold a partner identity: set only through the operator console (claimed and audited). */
export const PARTNER_IDENTITY_ATTRIBUTES: readonly string[] = [ACRONIS_IDENTITY_ATTRIBUTE, ASTRATO_IDENTITY_ATTRIBUTE];

/** One partner identity an account holds (`acronis`, `login`, `ada@example.com`): at most one account may hold it. */
export interface PartnerClaim {
  partner: string;
  kind: string;
  value: string;
}

/**
 * The keys of each partner's identity that name one account at the partner
 * (a partner key added later belongs here too). Each value becomes a claim,
 * so two of our accounts can never hand off as the same partner account.
 */
export const CLAIMED_PARTNER_KEYS: Readonly<Record<string, readonly string[]>> = { acronis: ['login', 'externalId', 'userId'] };

/** The claims of the partner identities in `attributes` (case-insensitive: one partner account, one claim). */
export function partnerClaims(attributes: Record<string, unknown> | undefined): PartnerClaim[] {
  const claims: PartnerClaim[] = [];
  for (const [partner, kinds] of Object.entries(CLAIMED_PARTNER_KEYS)) {
    const identity = attributes?.[partner];
    if (!identity || typeof identity !== 'object' || Array.isArray(identity)) continue;
    for (const kind of kinds) {
      const value = (identity as Record<string, unknown>)[kind];
      if (typeof value === 'string' && value.trim() !== '') claims.push({ partner, kind, value: value.trim().toLowerCase() });
    }
  }
  return claims;
}

/** How this user is known to Acronis; each value is used only when ACRONIS_IDENTIFY_BY names its kind. */
export interface AcronisUserIdentity {
  login?: string;
  externalId?: string;
  /** The Acronis user's UUID. */
  userId?: string;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Acronis identity stored on the record; malformed entries are ignored, never trusted. */
export function acronisUserIdentity(profile: UserProfile): AcronisUserIdentity {
  const stored = profile.attributes?.[ACRONIS_IDENTITY_ATTRIBUTE];
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  const record = stored as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return { login: text(record.login), externalId: text(record.externalId), userId: text(record.userId) };
}
