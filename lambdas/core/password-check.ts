import { refuseDisabled } from './admin/disabled';
import { type Clock, epochSeconds } from './clock';
import { describeWait, FormRejectedError, MfaRequiredError } from './errors';
import type { PasskeyAnswer } from './factors/passkeys';
import { amrMethod, type SecondFactors } from './factors/second-factors';
import type { LegacyMigration } from './legacy-migration';
import type { CredentialStore, PasswordHasher } from './ports';
import type { SignInAttempt, SignInThrottle } from './throttle';

export interface PasswordCheckDeps {
  accounts: Pick<CredentialStore, 'getCredential' | 'updatePasswordHash'>;
  signInThrottle: SignInThrottle;
  hasher: PasswordHasher;
  clock: Clock;
  /** A hash of a random password with the current parameters, so unknown emails cost one verification too. */
  decoyHash: () => Promise<string>;
  /** Lazy migration: emails unknown here (or without a password) are checked by the old login API. */
  legacy?: LegacyMigration;
  /** Checks the code of an account with a second factor; without it such an account cannot sign in with a password at all. */
  secondFactors?: Pick<SecondFactors, 'verify'>;
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

  /**
   * @returns the user, the password hash now stored (after any upgrade), which
   * a session may be bound to, the credential's copy of "address proven"
   * (undefined on a credential older than that copy), and the counted attempt.
   * With `releaseWithSession` the caller writes the attempt's release (see
   * SignInThrottle.releaseOf) with its session, or calls `succeeded` itself.
   */
  async verify(
    email: string,
    password: string,
    clientIp: string,
    options: { releaseWithSession?: boolean; otp?: string; passkey?: PasskeyAnswer; correlationId?: string; requireFactor?: boolean } = {},
  ): Promise<CheckedPassword> {
    const { accounts, signInThrottle, hasher, clock } = this.deps;
    // Counted before the hash is checked or the old login API is called, so a refusal costs no argon2 time. The read
    // runs beside the count (one round trip): it decides nothing until the count has been taken.
    const [attempt, stored] = await Promise.all([signInThrottle.take(email, clientIp, epochSeconds(clock)), accounts.getCredential(email)]);
    const forwarded = !!this.deps.legacy && !stored?.passwordHash;
    const credential = forwarded ? await this.deps.legacy?.migrate(email, password, stored) : stored;
    const verified = forwarded ? !!credential : await hasher.verify(credential?.passwordHash ?? (await this.deps.decoyHash()), password);
    if (!credential || !verified) {
      const waitNow = await signInThrottle.failed(attempt, epochSeconds(clock));
      const formError =
        waitNow > 0 ? `${WRONG_CREDENTIALS} Too many failed attempts: please wait ${describeWait(waitNow)} before trying again.` : WRONG_CREDENTIALS;
      throw new FormRejectedError('invalid_credentials', formError, { email: true, password: true });
    }

    try {
      refuseDisabled(credential);
    } catch (error) {
      // The password was right: a disabled account's owner is told so, and the attempt is no failure (no lockout, no throttle).
      await signInThrottle.succeeded(attempt);
      throw error;
    }
    const factor = await this.secondFactor(credential.userId, credential.factorCount, clientIp, options, attempt);
    if (!options.releaseWithSession) await signInThrottle.succeeded(attempt);
    let passwordHash = credential.passwordHash;
    if (hasher.needsRehash(passwordHash)) {
      passwordHash = await hasher.hash(password);
      await accounts.updatePasswordHash(email, credential.userId, passwordHash);
    }
    return {
      userId: credential.userId,
      email,
      passwordHash,
      emailVerified: credential.emailVerified,
      attempt,
      ...(factor ?? {}),
    };
  }

  /**
   * An account with a confirmed factor needs its code beside the password
   * (the code is counted and checked by SecondFactors). The password was
   * right, so its attempt is given back whatever the code's fate: guesses at
   * the code are limited by their own counters.
   */
  private async secondFactor(
    userId: string,
    factorCount: number | undefined,
    clientIp: string,
    options: { otp?: string; passkey?: PasskeyAnswer; correlationId?: string; requireFactor?: boolean },
    attempt: SignInAttempt,
  ): Promise<{ factorUsedAt: number; factorMethod: string } | undefined> {
    if (!factorCount || factorCount <= 0) {
      if (!options.requireFactor) return undefined;
      // MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS: the password was right, so its attempt goes back; the account must add a factor first.
      await this.deps.signInThrottle.succeeded(attempt);
      throw new MfaRequiredError('This sign-in needs a second factor: add an authenticator app to your account in the app, then sign in with its code.');
    }
    try {
      if (!this.deps.secondFactors) throw new MfaRequiredError();
      const proven = await this.deps.secondFactors.verify(userId, { otp: options.otp, passkey: options.passkey }, clientIp, options.correlationId);
      return { factorUsedAt: epochSeconds(this.deps.clock), factorMethod: amrMethod(proven) };
    } catch (error) {
      await this.deps.signInThrottle.succeeded(attempt);
      throw error;
    }
  }
}

export interface CheckedPassword {
  userId: string;
  email: string;
  passwordHash: string;
  /** The credential's copy of the profile's verified mark; undefined when the credential predates it. */
  emailVerified: boolean | undefined;
  attempt: SignInAttempt;
  /** A second factor was proven with the password, at this instant (epoch seconds): the session's `amr` gains `otp` and `mfa`. */
  factorUsedAt?: number;
  /** The RFC 8176 method of that factor: `otp` (a code), `hwk` or `swk` (a passkey). */
  factorMethod?: string;
}
