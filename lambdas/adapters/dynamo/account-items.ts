import { isEmailVerified } from '../../core/email-verification';
import type { Credential, SessionFamily, UserProfile } from '../../core/ports';
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

/** A session family's item, as registration, sign-in and the TV redeem write it. */
export function sessionItem(family: SessionFamily): Record<string, unknown> {
  return { ...itemKeys.session(family.userId, family.familyId), type: 'session', ...family };
}

/** The family as the core sees it, whatever else the item holds. */
export function sessionFromItem(item: Record<string, unknown>): SessionFamily {
  return {
    userId: item.userId as string,
    familyId: item.familyId as string,
    currentHash: item.currentHash as string,
    ...(typeof item.previousHash === 'string' ? { previousHash: item.previousHash } : {}),
    ...(typeof item.rotatedAt === 'number' ? { rotatedAt: item.rotatedAt } : {}),
    ...(Array.isArray(item.rotatedHashes) ? { rotatedHashes: item.rotatedHashes as string[] } : {}),
    ...(typeof item.clientId === 'string' ? { clientId: item.clientId } : {}),
    ...(typeof item.network === 'string' ? { network: item.network } : {}),
    ...(typeof item.emailVerified === 'boolean' ? { emailVerified: item.emailVerified } : {}),
    ...(typeof item.disabledAt === 'string' ? { disabledAt: item.disabledAt } : {}),
    ...(Array.isArray(item.amr) ? { amr: item.amr as string[] } : {}),
    ...(typeof item.authTime === 'number' ? { authTime: item.authTime } : {}),
    ...(typeof item.factorUsedAt === 'number' ? { factorUsedAt: item.factorUsedAt } : {}),
    createdAt: item.createdAt as number,
    lastUsedAt: item.lastUsedAt as number,
    absoluteExpiresAt: item.absoluteExpiresAt as number,
    expiresAt: item.expiresAt as number,
  };
}
