import type { Credential, UserProfile } from '../../core/ports';
import { itemKeys } from './table-design';

/**
 * The two items that make an account, as registration, the bulk import and
 * the lazy migration all write them. A credential without `passwordHash`
 * (an imported user who had none) can only be signed into after a reset.
 */
export function credentialItem(credential: Credential | (Omit<Credential, 'passwordHash'> & { passwordHash?: string })): Record<string, unknown> {
  return { ...itemKeys.credential(credential.email), type: 'credential', ...credential };
}

export function profileItem(profile: UserProfile): Record<string, unknown> {
  return { ...itemKeys.profile(profile.id), type: 'profile', ...profile };
}

/** The profile as the core sees it: the item without its keys. */
export function profileFromItem(item: Record<string, unknown>): UserProfile {
  const { pk: _pk, sk: _sk, type: _type, ...profile } = item;
  return profile as unknown as UserProfile;
}
