import type { Brand } from './branding';
import { type Clock, epochSeconds } from './clock';
import { maskAddress } from './email';
import { verifyEmailEmail } from './emails';
import { EmailNotVerifiedError, FormRejectedError, UnauthenticatedError } from './errors';
import { MailLimitError } from './mail-limits';
import type { Mailer, SingleUseTokenStore, ThrottleStore, UserProfile } from './ports';
import { randomToken, sha256 } from './random';
import { type SingleUseTokenState, singleUseTokenState } from './single-use-token';

export type VerificationOutcome = 'verified' | 'token-used' | 'token-expired' | 'token-unknown' | 'account-gone';

export interface EmailVerificationStore {
  /**
   * Spends the token (only if unused, unexpired and the account still has the
   * address it was sent to) and sets the profile's `emailVerifiedAt`, in one
   * transaction.
   */
  completeVerification(userId: string, tokenHash: string, now: number): Promise<VerificationOutcome>;
  /**
   * Marks on the profile that a verification link went out, only if none had:
   * true for the one caller that wins, so a burst of hand-offs sends one email.
   */
  claimFirstLink(userId: string, now: number): Promise<boolean>;
}

export interface EmailVerificationSettings {
  /** Without a trailing slash. */
  publicBaseUrl: string;
  tokenTtlSeconds: number;
  /** The platform's brand on the emails (BRAND_JSON); absent: LoginBridge's own. */
  brand?: Brand;
  /** Verification emails per address per window (resend endpoint); beyond it the answer is the same, and nothing is sent. */
  resendLimit: { maxPerWindow: number; windowSeconds: number };
}

export interface EmailVerificationDeps {
  store: EmailVerificationStore;
  /** Where the links live (SingleUseTokenStore, purpose `email-verification`). */
  tokens: SingleUseTokenStore;
  accounts: {
    getProfile(userId: string): Promise<UserProfile | undefined>;
    getCredential(email: string): Promise<{ userId: string } | undefined>;
  };
  throttles: ThrottleStore;
  mailer: Mailer;
  clock: Clock;
  settings: EmailVerificationSettings;
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
}

/** What a verification link is worth right now. */
export type VerifyLinkState = SingleUseTokenState;

const SEGMENT = /^[A-Za-z0-9_-]{16,64}$/;

/** Tokens are `<userId>.<secret>`: the user id locates the record, the secret is never stored. */
export function parseVerifyToken(token: string): { userId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((part) => SEGMENT.test(part))) return undefined;
  return { userId: parts[0] };
}

export const verifyEmailThrottleKey = (email: string, windowIndex: number) => `verify#email#${email}#${windowIndex}`;

export function verifyLinkMessage(state: Exclude<VerifyLinkState, 'valid'>, validHours: number): string {
  switch (state) {
    case 'used':
      return 'This confirmation link was already used. If your email is not confirmed yet, send a new link.';
    case 'expired':
      return `This confirmation link has expired: links work for ${validHours} hours. Send a new link to try again.`;
    case 'invalid':
      return 'This confirmation link is not valid: it may be incomplete or cut short by your mail program. Send a new link to try again.';
  }
}

/** A link that cannot confirm anything; `code` (verify_link_used, ...) tells the page to offer a new one. */
export class VerifyLinkError extends FormRejectedError {
  constructor(
    readonly state: Exclude<VerifyLinkState, 'valid'>,
    validHours: number,
  ) {
    super(`verify_link_${state}`, verifyLinkMessage(state, validHours));
  }
}

/** True when the profile's address has been proven by a link (verification or password reset). */
export const isEmailVerified = (profile: Pick<UserProfile, 'emailVerifiedAt'>): boolean =>
  typeof profile.emailVerifiedAt === 'string' && profile.emailVerifiedAt.length > 0;

/**
 * Email verification: proof that the person behind an account reads its
 * mailbox. Partners identify users by email, so every hand-off, admin right,
 * invitation and credential goes through `requireVerified`, which reads the
 * profile fresh (an access token issued before the click still says
 * `email_verified: false`).
 */
export class EmailVerification {
  constructor(private readonly deps: EmailVerificationDeps) {}

  get validHours(): number {
    return Math.max(1, Math.round(this.deps.settings.tokenTtlSeconds / 3600));
  }

  /** Stores a new single-use token and emails its link. */
  async sendLink(profile: Pick<UserProfile, 'id' | 'email' | 'firstName' | 'locale'>): Promise<void> {
    const { tokens, mailer, clock, settings } = this.deps;
    const now = epochSeconds(clock);
    const token = `${profile.id}.${randomToken(32)}`;
    await tokens.save('email-verification', {
      userId: profile.id,
      tokenHash: sha256(token),
      email: profile.email,
      createdAt: now,
      expiresAt: now + settings.tokenTtlSeconds,
    });
    const link = `${settings.publicBaseUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await mailer.send(
      verifyEmailEmail({ to: profile.email, firstName: profile.firstName, link, validHours: this.validHours, locale: profile.locale, brand: settings.brand }),
    );
  }

  /** After registration: the account exists and signs in whether or not the email goes out (the user can ask again). */
  async sendAfterRegistration(profile: UserProfile): Promise<boolean> {
    try {
      await this.sendLink(profile);
      return true;
    } catch (error) {
      this.deps.log?.warn('verification email not sent after registration', {
        userId: profile.id,
        errorType: error instanceof Error ? error.name : typeof error,
      });
      return false;
    }
  }

  /** The state of a link, without spending it. */
  async inspect(token: string): Promise<VerifyLinkState> {
    const located = parseVerifyToken(token);
    if (!located) return 'invalid';
    return singleUseTokenState(await this.deps.tokens.get('email-verification', located.userId, sha256(token)), epochSeconds(this.deps.clock));
  }

  /** Spends the link and marks the address verified; throws VerifyLinkError for used, expired and unknown links. */
  async confirm(token: string): Promise<{ email: string }> {
    const located = parseVerifyToken(token);
    if (!located) throw new VerifyLinkError('invalid', this.validHours);
    const tokenHash = sha256(token);
    const record = await this.deps.tokens.get('email-verification', located.userId, tokenHash);
    const state = singleUseTokenState(record, epochSeconds(this.deps.clock));
    if (state !== 'valid' || !record) throw new VerifyLinkError(state === 'valid' ? 'invalid' : state, this.validHours);
    const outcome = await this.deps.store.completeVerification(located.userId, tokenHash, epochSeconds(this.deps.clock));
    if (outcome === 'verified') return { email: record.email ?? '' };
    if (outcome === 'token-used') throw new VerifyLinkError('used', this.validHours);
    if (outcome === 'token-expired') throw new VerifyLinkError('expired', this.validHours);
    throw new VerifyLinkError('invalid', this.validHours);
  }

  /**
   * The resend endpoint: the same answer whatever the address. The per-address
   * counter is taken (one atomic ADD) before anything is looked up or sent, and
   * the decision comes from the count that write returned.
   */
  async resend(email: string): Promise<void> {
    const { accounts, throttles, clock, settings } = this.deps;
    const now = epochSeconds(clock);
    const window = settings.resendLimit.windowSeconds;
    const windowIndex = Math.floor(now / window);
    const counter = await throttles.increment(verifyEmailThrottleKey(email, windowIndex), now, (windowIndex + 1) * window);
    if (counter.count > settings.resendLimit.maxPerWindow) return;
    const credential = await accounts.getCredential(email);
    if (!credential) return;
    const profile = await accounts.getProfile(credential.userId);
    if (!profile || isEmailVerified(profile)) return;
    try {
      await this.sendLink(profile);
    } catch (error) {
      // The address's mail limit: the same answer as every other case, and nothing sent.
      if (!(error instanceof MailLimitError)) throw error;
    }
  }

  /**
   * The one check every verified-only action makes, on the profile as stored
   * now. An account that never got a link (created before verification
   * existed) gets one with this first refusal.
   */
  async requireVerified(userId: string): Promise<UserProfile> {
    const profile = await this.deps.accounts.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    if (isEmailVerified(profile)) return profile;
    if (!profile.verificationSentAt && (await this.deps.store.claimFirstLink(userId, epochSeconds(this.deps.clock)))) {
      await this.sendAfterRegistration(profile);
    }
    throw notVerified(profile.email);
  }
}

/**
 * LOGIN_REQUIRES_VERIFIED_EMAIL for the sign-ins outside the Login Flow (TV
 * approval and redemption, the OAuth refresh grant). The composition root
 * passes it only when the setting is on, so with it off no profile is read
 * and nothing changes.
 */
export type VerifiedSignIn = Pick<EmailVerification, 'requireVerified'>;

/** The refusal, naming the address (masked) the link went to. */
export function notVerified(email: string): EmailNotVerifiedError {
  return new EmailNotVerifiedError(
    `Please confirm your email address first: open the link we sent to ${maskAddress(email)} (check your spam folder too). No email? Send a new link.`,
  );
}
