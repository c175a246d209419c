import { refuseDisabled } from './admin/disabled';
import { epochSeconds, type Clock } from './clock';
import { FormRejectedError, describeWait } from './errors';
import type { LegacyMigration } from './legacy-migration';
import type { AccountStore, PasswordHasher } from './ports';
import type { SignInThrottle } from './throttle';

export interface PasswordCheckDeps {
  accounts: AccountStore;
  signInThrottle: SignInThrottle;
  hasher: PasswordHasher;
  clock: Clock;
  /** A hash of a random password with the current parameters, so unknown emails cost one verification too. */
  decoyHash: () => Promise<string>;
  /** Lazy migration: emails unknown here (or without a password) are checked by the old login API. */
  legacy?: LegacyMigration;
}

const WRONG_CREDENTIALS = 'The email or password is incorrect.';

/**
 * Email + password, checked under the same rules as /login-flow/login
 * (per-account back-off, per-address window, the same counters, a decoy hash for
 * unknown emails, the same answers) but without starting a session: for
 * hand-offs that prove the password and then send the user to a partner.
 * It needs no signing key, so the functions that use it are not granted one.
 */
export class PasswordCheck {
  constructor(private readonly deps: PasswordCheckDeps) {}

  /** @returns the user and the password hash now stored (after any upgrade), which a session may be bound to. */
  async verify(email: string, password: string, clientIp: string): Promise<{ userId: string; email: string; passwordHash: string }> {
    const { accounts, signInThrottle, hasher, clock } = this.deps;
    // Counted before the hash is checked (and before any read), so a refusal costs no argon2 time, nor a call to the old login API.
    const attempt = await signInThrottle.take(email, clientIp, epochSeconds(clock));
    const stored = await accounts.getCredential(email);
    const forwarded = !!this.deps.legacy && !stored?.passwordHash;
    const credential = forwarded ? await this.deps.legacy?.migrate(email, password, stored) : stored;
    const verified = forwarded ? !!credential : await hasher.verify(credential?.passwordHash ?? (await this.deps.decoyHash()), password);
    if (!credential || !verified) {
      const waitNow = await signInThrottle.failed(attempt, epochSeconds(clock));
      const formError =
        waitNow > 0 ? `${WRONG_CREDENTIALS} Too many failed attempts: please wait ${describeWait(waitNow)} before trying again.` : WRONG_CREDENTIALS;
      throw new FormRejectedError('invalid_credentials', formError, { email: true, password: true });
    }

    refuseDisabled(credential);
    await signInThrottle.succeeded(attempt);
    let passwordHash = credential.passwordHash;
    if (hasher.needsRehash(passwordHash)) {
      passwordHash = await hasher.hash(password);
      await accounts.updatePasswordHash(email, credential.userId, passwordHash);
    }
    return { userId: credential.userId, email, passwordHash };
  }
}
