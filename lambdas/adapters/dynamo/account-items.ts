import { isEmailVerified } from '../../core/email-verification';
import type { Credential, SessionFamily, SingleUseToken, SingleUseTokenPurpose, UserProfile } from '../../core/ports';
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

/** The credential as the core sees it: the marks copied from the profile only when the item has them. */
export function credentialFromItem(item: Record<string, unknown>): Credential {
  return {
    email: item.email as string,
    userId: item.userId as string,
    passwordHash: item.passwordHash as string,
    ...(typeof item.disabledAt === 'string' ? { disabledAt: item.disabledAt } : {}),
    ...(typeof item.emailVerified === 'boolean' ? { emailVerified: item.emailVerified } : {}),
    ...(typeof item.factorCount === 'number' ? { factorCount: item.factorCount } : {}),
    ...(item.passwordSet === false ? { passwordSet: false } : {}),
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

/** Where each purpose keeps its links, and the item `type` it has always written (deployed items keep working). */
const tokenItemShape = {
  'password-reset': { key: itemKeys.reset, type: 'reset' },
  'email-verification': { key: itemKeys.verification, type: 'email-verification' },
} as const satisfies Record<SingleUseTokenPurpose, { key: (userId: string, tokenHash: string) => Record<string, string>; type: string }>;

export function singleUseTokenKey(purpose: SingleUseTokenPurpose, userId: string, tokenHash: string): Record<string, string> {
  return tokenItemShape[purpose].key(userId, tokenHash);
}

export function singleUseTokenItem(purpose: SingleUseTokenPurpose, token: Omit<SingleUseToken, 'usedAt'>): Record<string, unknown> {
  return { ...singleUseTokenKey(purpose, token.userId, token.tokenHash), type: tokenItemShape[purpose].type, ...token };
}

export function singleUseTokenFromItem(item: Record<string, unknown>): SingleUseToken {
  return {
    userId: item.userId as string,
    tokenHash: item.tokenHash as string,
    ...(typeof item.email === 'string' ? { email: item.email } : {}),
    createdAt: item.createdAt as number,
    expiresAt: item.expiresAt as number,
    ...(typeof item.usedAt === 'number' ? { usedAt: item.usedAt } : {}),
  };
}
