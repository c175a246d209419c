import type { Credential, UserProfile } from '../../core/ports';
import { isEmailVerified } from '../../core/email-verification';
import { itemKeys } from './table-design';

/**
 * The two items that make an account, as registration, the bulk import and
 * the lazy migration all write them. A credential without `passwordHash`
 * (an imported user who had none) can only be signed into after a reset.
 */
export function credentialItem(
  credential: Omit<Credential, 'passwordHash' | 'emailVerified'> & { passwordHash?: string },
  profile: Pick<UserProfile, 'emailVerifiedAt'>,
): Record<string, unknown> {
  // The profile's verified mark, copied so a sign-in reads one item; every writer of emailVerifiedAt sets it here too.
  return { ...itemKeys.credential(credential.email), type: 'credential', ...credential, emailVerified: isEmailVerified(profile) };
}

export function profileItem(profile: UserProfile): Record<string, unknown> {
  return { ...itemKeys.profile(profile.id), type: 'profile', ...profile };
}

/** The profile as the core sees it: the item without its keys. */
export function profileFromItem(item: Record<string, unknown>): UserProfile {
  const { pk: _pk, sk: _sk, type: _type, ...profile } = item;
  return profile as unknown as UserProfile;
}
