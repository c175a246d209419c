import { refuseDisabled } from './admin/disabled';
import { epochSeconds, type Clock } from './clock';
import { FormRejectedError, TooManyAttemptsError, describeWait } from './errors';
import type { AccountStore, PasswordHasher } from './ports';
import type { SignInThrottle } from './throttle';

export interface PasswordCheckDeps {
  accounts: AccountStore;
  signInThrottle: SignInThrottle;
  hasher: PasswordHasher;
  clock: Clock;
  /** A hash of a random password with the current parameters, so unknown emails cost one verification too. */
  decoyHash: () => Promise<string>;
}

const WRONG_CREDENTIALS = 'The email or password is incorrect.';

/**
 * Email + password, checked under the same rules as /login-flow/login
 * (per-account back-off, per-IP window, the same counters, a decoy hash for
 * unknown emails, the same answers) but without starting a session: for
 * hand-offs that prove the password and then send the user to a partner.
 * It needs no signing key, so the functions that use it are not granted one.
 */
export class PasswordCheck {
  constructor(private readonly deps: PasswordCheckDeps) {}

  /** @returns the user and the password hash now stored (after any upgrade), which a session may be bound to. */
  async verify(email: string, password: string, clientIp: string): Promise<{ userId: string; email: string; passwordHash: string }> {
    const { accounts, signInThrottle, hasher, clock } = this.deps;
    const now = epochSeconds(clock);
    const keys = signInThrottle.keysFor(email, clientIp, now);
    const [counters, credential] = await Promise.all([signInThrottle.read(keys), accounts.getCredential(email)]);
    const wait = signInThrottle.waitSeconds(counters, keys, now);
    if (wait > 0) throw new TooManyAttemptsError(wait, { email: true, password: true });

    const verified = await hasher.verify(credential?.passwordHash ?? (await this.deps.decoyHash()), password);
    if (!credential || !verified) {
      const waitNow = await signInThrottle.recordFailure(keys, now);
      const formError = waitNow > 0 ? `${WRONG_CREDENTIALS} Too many failed attempts: please wait ${describeWait(waitNow)} before trying again.` : WRONG_CREDENTIALS;
      throw new FormRejectedError('invalid_credentials', formError, { email: true, password: true });
    }

    refuseDisabled(credential);
    await signInThrottle.recordSuccess(keys, counters);
    let passwordHash = credential.passwordHash;
    if (hasher.needsRehash(passwordHash)) {
      passwordHash = await hasher.hash(password);
      await accounts.updatePasswordHash(email, credential.userId, passwordHash);
    }
    return { userId: credential.userId, email, passwordHash };
  }
}
