import { epochSeconds, type Clock } from '../clock';
import { ConflictError, FormRejectedError, MfaRequiredError, NotFoundError, TooManyAttemptsError } from '../errors';
import { requireRecentFactor } from './policy';
import { clientNetwork } from '../client-network';
import type { Mailer, ThrottleStore, UserProfile } from '../ports';
import { newId } from '../random';
import { factorAddedEmail, factorRemovedEmail, factorsResetEmail, recoveryCodeUsedEmail } from './emails';
import type { FactorStore, StoredFactor } from './ports';
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import type { SecretBox } from './secret-box';
import { isTotpCode, matchingStep, newTotpSecret, totpUri } from './totp';

export interface SecondFactorSettings {
  /** The name authenticator apps show above the code. */
  issuer: string;
  /** Code guesses per account and per client address in one window, counted before any code is checked. */
  guesses: { perAccount: number; perAddress: number; windowSeconds: number };
  /** How long an enrolment waits for its first code. */
  pendingTtlSeconds: number;
  /** STEP_UP_WINDOW_SECONDS: how recent a second factor must be for a sensitive action. */
  stepUpWindowSeconds: number;
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

export type ProvenBy = 'totp' | 'recovery-code';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const OTP_FIELD = 'otp';
const WRONG_CODE = 'This code is not valid. Enter the current 6-digit code from your authenticator app, or one of your recovery codes.';

export const factorThrottleKeys = {
  account: (userId: string, windowIndex: number) => `otp#acct#${userId}#${windowIndex}`,
  address: (ip: string, windowIndex: number) => `otp#ip#${clientNetwork(ip)}#${windowIndex}`,
};

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
    sessionId?: string,
  ): Promise<{ factor: FactorView; recoveryCodes?: string[] }> {
    const profile = await this.profile(userId);
    const factor = await this.deps.store.getFactor(userId, factorId);
    if (factor?.kind !== 'totp' || !factor.sealedSecret) throw new NotFoundError('No such enrolment: start again.');
    if (factor.confirmedAt !== undefined) throw new ConflictError('This factor is already confirmed.');
    const guess = await this.countGuess(userId, clientIp);
    const step = matchingStep(await this.deps.box.open(factor.sealedSecret, binding(userId, factorId)), code.trim(), this.deps.clock.now());
    if (step === undefined) throw wrongCode();
    const existing = (await this.deps.store.listFactors(userId)).filter((other) => other.confirmedAt !== undefined);
    const recoveryCodes = existing.length === 0 ? newRecoveryCodes() : undefined;
    const now = epochSeconds(this.deps.clock);
    const confirmed = await this.deps.store.confirmFactor({ userId, email: profile.email }, factorId, step, now, recoveryCodes?.map(recoveryCodeHash));
    if (!confirmed) throw new ConflictError('This factor is already confirmed.');
    await guess.giveBack();
    // The code just proved the factor in this session too: it counts as two-factor from now on.
    if (sessionId) await this.deps.store.markFactorUsed(userId, sessionId, now);
    await this.deps.mailer.send(factorAddedEmail({ to: profile.email, firstName: profile.firstName, label: factor.label }));
    return { factor: view({ ...factor, confirmedAt: now }), ...(recoveryCodes ? { recoveryCodes } : {}) };
  }

  /**
   * Proves a second factor of `userId`: a TOTP code of a step not used
   * before, or an unused recovery code (consumed). The guess is counted
   * first, per account and per address, with one conditional write; only then
   * is any code checked. No code: MfaRequiredError.
   */
  async verify(userId: string, code: string | undefined, clientIp: string, correlationId = ''): Promise<ProvenBy> {
    const presented = code?.trim() ?? '';
    if (!presented) throw new MfaRequiredError();
    const guess = await this.countGuess(userId, clientIp);
    const proven = isTotpCode(presented.replace(/\s/g, ''))
      ? await this.verifyTotp(userId, presented.replace(/\s/g, ''))
      : await this.useRecoveryCode(userId, presented, correlationId);
    await guess.giveBack();
    return proven;
  }

  /** Step-up: a code now marks the session as recently proven (and `mfa`). */
  async stepUp(userId: string, familyId: string, code: string | undefined, clientIp: string, correlationId = ''): Promise<{ factorUsedAt: number }> {
    await this.verify(userId, code, clientIp, correlationId);
    const now = epochSeconds(this.deps.clock);
    if (!(await this.deps.store.markFactorUsed(userId, familyId, now))) throw new NotFoundError('This session has ended. Please sign in again.');
    return { factorUsedAt: now };
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
    await this.deps.mailer.send(factorRemovedEmail({ to: profile.email, firstName: profile.firstName, label: factor.label }));
  }

  /** An operator's reset: every factor and recovery code goes, the user is told. The caller audits it. */
  async resetAll(userId: string): Promise<number> {
    const profile = await this.profile(userId);
    const removed = await this.deps.store.removeAllFactors({ userId, email: profile.email });
    if (removed > 0) await this.deps.mailer.send(factorsResetEmail({ to: profile.email, firstName: profile.firstName }));
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
      await this.deps.mailer.send(recoveryCodeUsedEmail({ to: profile.email, firstName: profile.firstName, left }));
    }
    return 'recovery-code';
  }

  /**
   * Takes one guess of the account's and of the address's allowance in one
   * conditional request, before any code is checked: of a parallel burst at
   * most the allowance is ever evaluated. A right code gives its unit back.
   */
  private async countGuess(userId: string, clientIp: string): Promise<{ giveBack(): Promise<void> }> {
    const { throttles, clock, settings } = this.deps;
    const now = epochSeconds(clock);
    const windowIndex = Math.floor(now / settings.guesses.windowSeconds);
    const expiresAt = (windowIndex + 1) * settings.guesses.windowSeconds;
    const keys = [factorThrottleKeys.account(userId, windowIndex), factorThrottleKeys.address(clientIp, windowIndex)];
    const limits = [settings.guesses.perAccount, settings.guesses.perAddress];
    const takes = keys.map((key, index) => ({ key, rule: { limit: limits[index], now, expiresAt } }));
    const outcome = await throttles.takeAll(takes);
    let taken = outcome.decided && outcome.taken;
    if (!outcome.decided) {
      // Nothing was counted: take them one by one, each still one conditional write before any code is checked.
      const first = await throttles.take(takes[0].key, takes[0].rule);
      const second = first.taken ? await throttles.take(takes[1].key, takes[1].rule) : undefined;
      if (first.taken && !second?.taken) await throttles.giveBack(takes[0].key);
      taken = first.taken && !!second?.taken;
    }
    if (!taken) throw new TooManyAttemptsError(Math.max(1, expiresAt - now), { [OTP_FIELD]: true });
    return { giveBack: async () => void (await Promise.all(keys.map((key) => throttles.giveBack(key)))) };
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
