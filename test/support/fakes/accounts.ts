import type {
  AccountDeletionStore,
  Credential,
  CredentialStore,
  PasswordChange,
  PasswordChangeOutcome,
  PasswordHasher,
  PasswordResetStore,
  SessionStore,
  SingleUseToken,
  SingleUseTokenStore,
  UserProfile,
} from '../../../lambdas/core/ports';
import { partialPort } from './ports';

/** Every port an account is kept behind; a fake may stand in for any of them. */
export type AccountPorts = CredentialStore & SessionStore & PasswordResetStore & AccountDeletionStore & SingleUseTokenStore;

/**
 * The password and reset-token ports of an account in memory, with the
 * conditions the DynamoDB store keeps: a reset token is spent once and only
 * before it expires, and spending it sets the new hash and clears the given
 * throttle counters. Other methods of AccountPorts fail the test if called.
 */
export class InMemoryAccounts {
  readonly credentials = new Map<string, Credential>();
  readonly profiles = new Map<string, UserProfile>();
  /** Password-reset links, by `<userId>#<tokenHash>`. */
  readonly resets = new Map<string, SingleUseToken>();
  readonly clearedThrottleKeys: string[] = [];

  constructor(private readonly extra: Partial<AccountPorts> = {}) {}

  add(profile: UserProfile, passwordHash = 'hash:old password'): void {
    this.profiles.set(profile.id, profile);
    this.credentials.set(profile.email, { email: profile.email, userId: profile.id, passwordHash });
  }

  get port(): AccountPorts {
    return partialPort<AccountPorts>('AccountPorts', {
      getCredential: async (email) => this.credentials.get(email),
      getProfile: async (userId) => this.profiles.get(userId),
      save: async (purpose, token) => {
        if (purpose === 'password-reset') this.resets.set(`${token.userId}#${token.tokenHash}`, { ...token });
      },
      get: async (purpose, userId, tokenHash) => (purpose === 'password-reset' ? this.resets.get(`${userId}#${tokenHash}`) : undefined),
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
