import type {
  AccountStore,
  Credential,
  PasswordChange,
  PasswordChangeOutcome,
  PasswordHasher,
  PasswordResetRecord,
  StoredPasswordReset,
  UserProfile,
} from '../../../lambdas/core/ports';
import { partialPort } from './ports';

/**
 * The password and reset-token half of AccountStore in memory, with the
 * conditions the DynamoDB store keeps: a reset token is spent once and only
 * before it expires, and spending it sets the new hash and clears the given
 * throttle counters. Other AccountStore methods fail the test if called.
 */
export class InMemoryAccounts {
  readonly credentials = new Map<string, Credential>();
  readonly profiles = new Map<string, UserProfile>();
  readonly resets = new Map<string, StoredPasswordReset>();
  readonly clearedThrottleKeys: string[] = [];

  constructor(private readonly extra: Partial<AccountStore> = {}) {}

  add(profile: UserProfile, passwordHash = 'hash:old password'): void {
    this.profiles.set(profile.id, profile);
    this.credentials.set(profile.email, { email: profile.email, userId: profile.id, passwordHash });
  }

  get port(): AccountStore {
    return partialPort<AccountStore>('AccountStore', {
      getCredential: async (email) => this.credentials.get(email),
      getProfile: async (userId) => this.profiles.get(userId),
      savePasswordReset: async (record: PasswordResetRecord) => {
        this.resets.set(`${record.userId}#${record.tokenHash}`, { ...record });
      },
      getPasswordReset: async (userId, tokenHash) => this.resets.get(`${userId}#${tokenHash}`),
      completePasswordReset: async (change: PasswordChange): Promise<PasswordChangeOutcome> => {
        const reset = this.resets.get(`${change.userId}#${change.tokenHash}`);
        if (!reset) return 'token-unknown';
        if (reset.usedAt !== undefined) return 'token-used';
        if (change.now >= reset.expiresAt) return 'token-expired';
        const credential = this.credentials.get(change.email);
        if (!credential || credential.userId !== change.userId) return 'account-gone';
        reset.usedAt = change.now;
        credential.passwordHash = change.passwordHash;
        this.clearedThrottleKeys.push(...change.throttleKeys);
        return 'changed';
      },
      ...this.extra,
    });
  }
}

/** A hasher that shows what it hashed: enough to check which password was stored, never used outside tests. */
export const readableHasher: PasswordHasher = {
  hash: async (password) => `hash:${password}`,
  verify: async (hash, password) => hash === `hash:${password}`,
  needsRehash: () => false,
};
