import type { Brand } from './branding';
import { type Clock, epochSeconds } from './clock';
import { passwordChangedEmail } from './emails';
import { FormRejectedError } from './errors';
import { passwordProblem } from './password-policy';
import type { Mailer, PasswordHasher, PasswordResetStore, ProfileReader, SingleUseTokenStore } from './ports';
import { sha256 } from './random';
import { type SingleUseTokenState, singleUseTokenState } from './single-use-token';
import { throttleKeys } from './throttle';

export interface PasswordResetSettings {
  /** Public base URL without a trailing slash: the "your password was changed" email links back to it. */
  publicBaseUrl: string;
  resetTokenTtlSeconds: number;
  /** The platform's brand on the emails (BRAND_JSON); absent: LoginBridge's own. */
  brand?: Brand;
}

export interface PasswordResetDeps {
  resets: PasswordResetStore;
  profiles: ProfileReader;
  tokens: Pick<SingleUseTokenStore, 'get'>;
  hasher: PasswordHasher;
  mailer: Mailer;
  clock: Clock;
  settings: PasswordResetSettings;
}

/** What a reset link is worth right now. */
export type ResetLinkState = SingleUseTokenState;

const SEGMENT = /^[A-Za-z0-9_-]{16,64}$/;

/** Reset tokens are `<userId>.<secret>` (made by LoginFlow.requestPasswordReset); only their SHA-256 is stored. */
export function parseResetToken(token: string): { userId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((part) => SEGMENT.test(part))) return undefined;
  return { userId: parts[0] };
}

/** The error a link in each state gets: `code` tells the page to offer a new link, the message says why in plain words. */
export class ResetLinkError extends FormRejectedError {
  constructor(
    readonly state: Exclude<ResetLinkState, 'valid'>,
    validMinutes: number,
  ) {
    super(`reset_link_${state}`, resetLinkMessage(state, validMinutes));
  }
}

export function resetLinkMessage(state: Exclude<ResetLinkState, 'valid'>, validMinutes: number): string {
  switch (state) {
    case 'used':
      return 'This password reset link was already used. If you did not change your password yourself, request a new link.';
    case 'expired':
      return `This password reset link has expired: links work for ${validMinutes} minutes. Request a new link to try again.`;
    case 'invalid':
      return 'This password reset link is not valid: it may be incomplete, or a newer link replaced it. Request a new link to try again.';
  }
}

/**
 * The web half of password reset: checking a link and setting the new
 * password with it. The token works once; the change signs out every device,
 * clears the sign-in back-off and tells the user by email.
 */
export class PasswordReset {
  constructor(private readonly deps: PasswordResetDeps) {}

  get validMinutes(): number {
    return Math.round(this.deps.settings.resetTokenTtlSeconds / 60);
  }

  /** The state of a link, without spending it (the page shows the form only for a valid link). */
  async inspect(token: string): Promise<ResetLinkState> {
    const located = parseResetToken(token);
    if (!located) return 'invalid';
    return singleUseTokenState(await this.deps.tokens.get('password-reset', located.userId, sha256(token)), epochSeconds(this.deps.clock));
  }

  /**
   * Sets `password` for the link's account. The password is checked (and
   * hashed) before the token is spent, so a rejected password leaves the link
   * usable. Returns whether the confirmation email went out: the change itself
   * has happened either way.
   */
  async confirm(token: string, password: string): Promise<{ emailSent: boolean }> {
    const { resets, profiles, tokens, hasher, mailer, clock, settings } = this.deps;
    const located = parseResetToken(token);
    if (!located) throw new ResetLinkError('invalid', this.validMinutes);
    const tokenHash = sha256(token);
    const [record, profile] = await Promise.all([tokens.get('password-reset', located.userId, tokenHash), profiles.getProfile(located.userId)]);
    const state = singleUseTokenState(record, epochSeconds(clock));
    if (state !== 'valid') throw new ResetLinkError(state, this.validMinutes);
    if (!profile) throw new ResetLinkError('invalid', this.validMinutes);

    const problem = passwordProblem(password, profile);
    if (problem) throw new FormRejectedError('weak_password', 'Please choose another password.', { password: problem });
    const passwordHash = await hasher.hash(password);

    const outcome = await resets.completePasswordReset({
      userId: profile.id,
      email: profile.email,
      tokenHash,
      passwordHash,
      now: epochSeconds(clock),
      throttleKeys: [throttleKeys.loginAccount(profile.email)],
    });
    if (outcome === 'token-used') throw new ResetLinkError('used', this.validMinutes);
    if (outcome === 'token-expired') throw new ResetLinkError('expired', this.validMinutes);
    if (outcome !== 'changed') throw new ResetLinkError('invalid', this.validMinutes);

    try {
      await mailer.send(
        passwordChangedEmail({
          to: profile.email,
          firstName: profile.firstName,
          resetLink: `${settings.publicBaseUrl}/reset-password`,
          locale: profile.locale,
          brand: settings.brand,
        }),
      );
      return { emailSent: true };
    } catch {
      return { emailSent: false };
    }
  }
}
