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
  profile: Pick<UserProfile, 'emailVerifiedAt' | 'disabledAt'>,
): Record<string, unknown> {
  // The profile's verified and disabled marks, copied so a sign-in reads one item; every writer of either sets it here too.
  return {
    ...itemKeys.credential(credential.email),
    type: 'credential',
    ...credential,
    emailVerified: isEmailVerified(profile),
    ...(profile.disabledAt ? { disabledAt: profile.disabledAt } : {}),
  };
}

export function profileItem(profile: UserProfile): Record<string, unknown> {
  return { ...itemKeys.profile(profile.id), type: 'profile', ...profile };
}

/** The profile as the core sees it: the item without its keys. */
export function profileFromItem(item: Record<string, unknown>): UserProfile {
  const { pk: _pk, sk: _sk, type: _type, ...profile } = item;
  return profile as unknown as UserProfile;
}
