import type { UserProfile } from '../ports';

/**
 * Per-user partner identities, kept on the user record under
 * `attributes.<partner>`. An operator sets them (the operator console's
 * partner endpoint validates them with `partnerIdentitiesBody` from
 * lambdas/http/schemas/partners.ts); the hand-offs prefer them over the
 * platform-wide field settings.
 */
export const ACRONIS_IDENTITY_ATTRIBUTE = 'acronis';

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
