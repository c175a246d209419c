import type { Brand } from '../branding';
import { type Clock, epochSeconds } from '../clock';
import { ConflictError, FormRejectedError, MfaRequiredError, NotFoundError, ReauthenticationRequiredError } from '../errors';
import type { Mailer, ThrottleStore, UserProfile } from '../ports';
import { newId } from '../random';
import { withFactor } from '../sessions';
import { factorAddedEmail, factorRemovedEmail, factorsResetEmail, recoveryCodeUsedEmail } from './emails';
import { type GuessAllowance, type TakenGuess, takeFactorGuess } from './guesses';
import type { PasskeyAnswer, PasskeyProof } from './passkeys';
import { requireRecentFactor } from './policy';
import type { FactorStore, StoredFactor } from './ports';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import type { SecretBox } from './secret-box';
import { isTotpCode, matchingStep, newTotpSecret, totpUri } from './totp';

export interface SecondFactorSettings {
  /** The name authenticator apps show above the code. */
  issuer: string;
  /** Code guesses per account and per client address in one window, counted before any code is checked. */
  guesses: GuessAllowance;
  /** How long an enrolment waits for its first code. */
  pendingTtlSeconds: number;
  /** STEP_UP_WINDOW_SECONDS: how recent a second factor must be for a sensitive action. */
  stepUpWindowSeconds: number;
  /** The platform's brand (BRAND_JSON): the notices' sign-off. */
  brand?: Brand;
}

export interface SecondFactorDeps {
  store: FactorStore;
  box: SecretBox;
  throttles: ThrottleStore;
  profiles: { getProfile(userId: string): Promise<UserProfile | undefined> };
  mailer: Mailer;
  clock: Clock;
  settings: SecondFactorSettings;
  /** Records a recovery code's use in the audit trail (the console's store). */
  auditRecoveryCodeUsed?: (user: UserProfile, correlationId: string) => Promise<void>;
  /** Checks a passkey assertion as a second factor of a known account (lazy: the passkey ceremony depends on this class too). */
  passkeys?: () => { verifyFor(userId: string, answer: PasskeyAnswer, clientIp: string): Promise<PasskeyProof> };
}

/** The second factor of a request: a code (`otp`: TOTP or recovery code) or a passkey assertion (`passkey`). */
export interface SecondFactorAnswer {
  otp?: string;
  passkey?: PasskeyAnswer;
}

/** What the user sees once, at enrolment: the secret never leaves the server again. */
export interface TotpEnrolment {
  factorId: string;
  otpauthUri: string;
  secret: string;
}

/** A factor as the user sees it: never its secret. */
export interface FactorView {
  id: string;
  kind: StoredFactor['kind'];
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The session a factor was proven in: its family and the methods it was proven with so far. */
export interface FactorSession {
  familyId: string;
  amr: readonly string[];
}

/** What proved the factor; a passkey answers with its RFC 8176 method (`hwk` device-bound, `swk` synced). */
export type ProvenBy = 'totp' | 'recovery-code' | 'hwk' | 'swk';

/** The RFC 8176 method a proof adds to the session's `amr`: a code is `otp`, a passkey its own. */
export function amrMethod(proven: ProvenBy): string {
  return proven === 'hwk' || proven === 'swk' ? proven : 'otp';
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const OTP_FIELD = 'otp';
const WRONG_CODE = 'This code is not valid. Enter the current 6-digit code from your authenticator app, or one of your recovery codes.';

export { factorThrottleKeys } from './guesses';

/**
 * Enrolment, confirmation and verification of second factors, and the
 * session facts they leave: the one home of "is this code right?" for the
 * Login Flow, the web hand-offs, step-up and factor management.
 */
export class SecondFactors {
  constructor(private readonly deps: SecondFactorDeps) {}

  async list(userId: string): Promise<FactorView[]> {
    const factors = await this.deps.store.listFactors(userId);
    return factors.filter((factor) => factor.confirmedAt !== undefined).map(view);
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    return this.deps.store.recoveryCodesLeft(userId);
  }

  /** A new TOTP factor, pending until its first code: the URI and the secret are shown this once. */
  async enrolTotp(userId: string, label: string): Promise<TotpEnrolment> {
    const profile = await this.profile(userId);
    const now = epochSeconds(this.deps.clock);
    const factorId = newId();
    const secret = newTotpSecret();
    const sealedSecret = await this.deps.box.seal(secret, binding(userId, factorId));
    await this.deps.store.putPendingFactor({ userId, factorId, kind: 'totp', label, createdAt: now, sealedSecret }, now + this.deps.settings.pendingTtlSeconds);
    return { factorId, secret, otpauthUri: totpUri(secret, this.deps.settings.issuer, profile.email) };
  }

  /**
   * The first code proves the app holds the secret: the factor becomes
   * confirmed, the account now needs it to sign in, and the first factor
   * brings ten recovery codes (returned this once).
   */
  async confirmTotp(
    userId: string,
    factorId: string,
    code: string,
    clientIp: string,
    session?: FactorSession,
  ): Promise<{ factor: FactorView; recoveryCodes?: string[] }> {
    const profile = await this.profile(userId);
    const factor = await this.deps.store.getFactor(userId, factorId);
    if (factor?.kind !== 'totp' || !factor.sealedSecret) throw new NotFoundError('No such enrolment: start again.');
    if (factor.confirmedAt !== undefined) throw new ConflictError('This factor is already confirmed.');
    const guess = await this.countGuess(userId, clientIp);
    const step = matchingStep(await this.deps.box.open(factor.sealedSecret, binding(userId, factorId)), code.trim(), this.deps.clock.now());
    if (step === undefined) throw wrongCode();
    const added = await this.added(profile, factor, 'otp', session, (now, hashes) =>
      this.deps.store.confirmFactor({ userId, email: profile.email }, factorId, step, now, hashes),
    );
    await guess.giveBack();
    return added;
  }

  /**
   * A verified passkey registration becomes a confirmed factor at once (its
   * attestation proved the authenticator holds the key), under the same rules
   * as a confirmed TOTP factor: the count, the first factor's recovery codes,
   * the session mark, the email.
   */
  async addPasskey(userId: string, factor: StoredFactor, method: string, session?: FactorSession): Promise<{ factor: FactorView; recoveryCodes?: string[] }> {
    const profile = await this.profile(userId);
    return this.added(profile, factor, method, session, (now, hashes) =>
      this.deps.store.addConfirmedFactor({ userId, email: profile.email }, { ...factor, confirmedAt: now, lastUsedAt: now }, hashes),
    );
  }

  /** The one home of "a factor was added": `persist` writes it with the count (and, for the first factor, the recovery codes). */
  private async added(
    profile: UserProfile,
    factor: StoredFactor,
    method: string,
    session: FactorSession | undefined,
    persist: (now: number, recoveryCodeHashes?: string[]) => Promise<boolean>,
  ): Promise<{ factor: FactorView; recoveryCodes?: string[] }> {
    const existing = (await this.deps.store.listFactors(profile.id)).filter((other) => other.confirmedAt !== undefined);
    const recoveryCodes = existing.length === 0 ? newRecoveryCodes() : undefined;
    const now = epochSeconds(this.deps.clock);
    if (!(await persist(now, recoveryCodes?.map(recoveryCodeHash)))) throw new ConflictError('This factor is already confirmed.');
    // The ceremony just proved the factor in this session too: it counts as two-factor from now on.
    if (session) await this.deps.store.markFactorUsed(profile.id, session.familyId, now, withFactor(session.amr, method));
    await this.deps.mailer.send(
      factorAddedEmail({ to: profile.email, firstName: profile.firstName, locale: profile.locale, brand: this.deps.settings.brand, label: factor.label }),
    );
    return { factor: view({ ...factor, confirmedAt: now }), ...(recoveryCodes ? { recoveryCodes } : {}) };
  }

  /**
   * Proves a second factor of `userId`: a TOTP code of a step not used
   * before, an unused recovery code (consumed), or a passkey assertion of one
   * of the account's passkeys. The guess is counted first, per account and per
   * address, with one conditional write; only then is anything checked.
   * Nothing presented: MfaRequiredError.
   */
  async verify(userId: string, answer: string | SecondFactorAnswer | undefined, clientIp: string, correlationId = ''): Promise<ProvenBy> {
    const { otp, passkey } = typeof answer === 'object' ? answer : { otp: answer, passkey: undefined };
    if (passkey) {
      // The passkey ceremony takes its own guess (the same counters) once it knows the account the assertion names.
      if (!this.deps.passkeys) throw new MfaRequiredError();
      return (await this.deps.passkeys().verifyFor(userId, passkey, clientIp)).method;
    }
    const presented = otp?.trim() ?? '';
    if (!presented) throw new MfaRequiredError();
    const guess = await this.countGuess(userId, clientIp);
    const proven = isTotpCode(presented.replace(/\s/g, ''))
      ? await this.verifyTotp(userId, presented.replace(/\s/g, ''))
      : await this.useRecoveryCode(userId, presented, correlationId);
    await guess.giveBack();
    return proven;
  }

  /** Step-up: a code or a passkey now marks the session as recently proven (and `mfa`). */
  async stepUp(
    userId: string,
    session: FactorSession,
    answer: string | SecondFactorAnswer | undefined,
    clientIp: string,
    correlationId = '',
  ): Promise<{ factorUsedAt: number; amr: string[] }> {
    const proven = await this.verify(userId, answer, clientIp, correlationId);
    const now = epochSeconds(this.deps.clock);
    const amr = withFactor(session.amr, amrMethod(proven));
    if (!(await this.deps.store.markFactorUsed(userId, session.familyId, now, amr))) throw new NotFoundError('This session has ended. Please sign in again.');
    return { factorUsedAt: now, amr };
  }

  /** A new set of ten recovery codes (the old ones stop working); needs a confirmed factor. */
  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    if ((await this.list(userId)).length === 0)
      throw new FormRejectedError('no_factor', 'Add an authenticator app first: recovery codes back up a second factor.');
    const codes = newRecoveryCodes();
    await this.deps.store.saveRecoveryCodes(userId, codes.map(recoveryCodeHash), epochSeconds(this.deps.clock));
    return codes;
  }

  async rename(userId: string, factorId: string, label: string): Promise<FactorView> {
    if (!(await this.deps.store.renameFactor(userId, factorId, label))) throw new NotFoundError('No such factor.');
    const factor = await this.deps.store.getFactor(userId, factorId);
    if (!factor) throw new NotFoundError('No such factor.');
    return view(factor);
  }

  /** Removes a factor; a privileged account (portal admin, user admin) may not remove its last one. */
  async remove(userId: string, factorId: string, privileged: boolean): Promise<void> {
    const profile = await this.profile(userId);
    const confirmed = (await this.deps.store.listFactors(userId)).filter((factor) => factor.confirmedAt !== undefined);
    const factor = confirmed.find((candidate) => candidate.factorId === factorId);
    if (!factor) throw new NotFoundError('No such factor.');
    const outcome = await this.deps.store.removeFactor({ userId, email: profile.email }, factorId, { keepOne: privileged, last: confirmed.length === 1 });
    if (outcome === 'gone') throw new NotFoundError('No such factor.');
    if (outcome === 'refused')
      throw new FormRejectedError('last_factor', 'Administrators must keep a second factor: add another one before removing this one.', {
        factorId: 'This is your last second factor.',
      });
    await this.deps.mailer.send(
      factorRemovedEmail({ to: profile.email, firstName: profile.firstName, locale: profile.locale, brand: this.deps.settings.brand, label: factor.label }),
    );
  }

  /** An operator's reset: every factor and recovery code goes, the user is told. The caller audits it. */
  async resetAll(userId: string): Promise<number> {
    const profile = await this.profile(userId);
    const removed = await this.deps.store.removeAllFactors({ userId, email: profile.email });
    if (removed > 0)
      await this.deps.mailer.send(
        factorsResetEmail({ to: profile.email, firstName: profile.firstName, locale: profile.locale, brand: this.deps.settings.brand }),
      );
    return removed;
  }

  /** STEP_UP_WINDOW_SECONDS: a sensitive action needs a factor proven in this session that recently. */
  requireRecentFactor(session: { factorUsedAt?: number }): void {
    requireRecentFactor(session, epochSeconds(this.deps.clock), this.deps.settings.stepUpWindowSeconds);
  }

  /** The same, for actions anyone may take (deleting the account): only an account that has a confirmed factor must prove it. */
  async requireRecentFactorIfEnrolled(userId: string, session: { factorUsedAt?: number }): Promise<void> {
    const factors = await this.deps.store.listFactors(userId);
    if (factors.some((factor) => factor.confirmedAt !== undefined)) this.requireRecentFactor(session);
  }

  /**
   * For adding a way into the account (linking a provider): a factor proven within the window when the account has
   * one, otherwise a sign-in (`auth_time`) within the window, so that a session stolen later cannot plant its
   * thief's sign-in method.
   */
  async requireRecentAuthentication(userId: string, session: { factorUsedAt?: number }, authTime: number | undefined): Promise<void> {
    const factors = await this.deps.store.listFactors(userId);
    if (factors.some((factor) => factor.confirmedAt !== undefined)) return this.requireRecentFactor(session);
    const window = this.deps.settings.stepUpWindowSeconds;
    if (authTime === undefined || epochSeconds(this.deps.clock) - authTime > window) throw new ReauthenticationRequiredError(window);
  }

  private async verifyTotp(userId: string, code: string): Promise<ProvenBy> {
    const now = this.deps.clock.now();
    const factors = (await this.deps.store.listFactors(userId)).filter(
      (factor) => factor.kind === 'totp' && factor.confirmedAt !== undefined && factor.sealedSecret,
    );
    for (const factor of factors) {
      const step = matchingStep(await this.deps.box.open(factor.sealedSecret as string, binding(userId, factor.factorId)), code, now);
      if (step === undefined) continue;
      // One conditional write decides: of two requests with the same code, one wins; a code of a used step never signs in twice.
      if (await this.deps.store.useStep(userId, factor.factorId, step, epochSeconds(this.deps.clock))) return 'totp';
      throw new FormRejectedError('otp_reused', 'This code was already used. Wait for the next code in your authenticator app.', {
        [OTP_FIELD]: 'This code was already used.',
      });
    }
    throw wrongCode();
  }

  private async useRecoveryCode(userId: string, code: string, correlationId: string): Promise<ProvenBy> {
    if (!looksLikeRecoveryCode(code)) throw wrongCode();
    if (!(await this.deps.store.consumeRecoveryCode(userId, recoveryCodeHash(code), epochSeconds(this.deps.clock)))) throw wrongCode();
    const profile = await this.deps.profiles.getProfile(userId);
    if (profile) {
      await this.deps.auditRecoveryCodeUsed?.(profile, correlationId);
      const left = await this.deps.store.recoveryCodesLeft(userId);
      await this.deps.mailer.send(
        recoveryCodeUsedEmail({ to: profile.email, firstName: profile.firstName, locale: profile.locale, brand: this.deps.settings.brand, left }),
      );
    }
    return 'recovery-code';
  }

  private countGuess(userId: string, clientIp: string): Promise<TakenGuess> {
    return takeFactorGuess({ throttles: this.deps.throttles, clock: this.deps.clock, allowance: this.deps.settings.guesses }, userId, clientIp, OTP_FIELD);
  }

  private async profile(userId: string): Promise<UserProfile> {
    const profile = await this.deps.profiles.getProfile(userId);
    if (!profile) throw new NotFoundError('This account no longer exists.');
    return profile;
  }
}

function wrongCode(): FormRejectedError {
  return new FormRejectedError('invalid_otp', WRONG_CODE, { [OTP_FIELD]: 'This code is not valid.' });
}

function binding(userId: string, factorId: string): string {
  return `${userId}/${factorId}`;
}

function view(factor: StoredFactor): FactorView {
  return {
    id: factor.factorId,
    kind: factor.kind,
    label: factor.label,
    createdAt: iso(factor.createdAt),
    lastUsedAt: factor.lastUsedAt !== undefined ? iso(factor.lastUsedAt) : null,
  };
}
