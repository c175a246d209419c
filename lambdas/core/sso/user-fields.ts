import type { UserProfile } from '../ports';

/**
 * A reference to a value on the user record, as configured: `email`, `id`,
 * or `attributes.<name>` for a partner-specific attribute.
 */
export const USER_FIELD_PATTERN = /^(email|id|attributes\.[A-Za-z0-9_-]{1,64})$/;

/** The string at `reference`, or undefined when the record has no usable value there. */
export function userField(profile: UserProfile, reference: string): string | undefined {
  let value: unknown;
  if (reference === 'email') value = profile.email;
  else if (reference === 'id') value = profile.id;
  else if (reference.startsWith('attributes.')) value = profile.attributes?.[reference.slice('attributes.'.length)];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
