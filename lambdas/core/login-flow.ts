import type { AccessTokens } from './access-tokens';
import { type AccountDeletionDeps, deleteAccountNow } from './account-deletion';
import type { Brand } from './branding';
import { sessionNetwork } from './client-network';
import { type Clock, epochSeconds } from './clock';
import { isEmailVerified } from './email-verification';
import { resetPasswordEmail } from './emails';
import { FormRejectedError, StoreUnavailableError, UnauthenticatedError } from './errors';
import type { PasskeyAnswer, Passkeys } from './factors/passkeys';
import type { SecondFactors } from './factors/second-factors';
import type { Locale } from './i18n/locales';
import { MailLimitError } from './mail-limits';
import type { CheckedPassword, PasswordCheck } from './password-check';
import { passwordProblem } from './password-policy';
import type { AccountDeletionStore, CredentialStore, Mailer, PasswordHasher, SingleUseTokenStore, ThrottleStore, UserProfile } from './ports';
import { newId, randomToken, sha256 } from './random';
import type { SessionCheck } from './session-check';
import { passkeyProof, passwordProof, type Sessions, type StartedSession } from './sessions';
import { type SignInThrottle, throttleKeys } from './throttle';
import { type TokenResponse, tokenResponse } from './token-response';

export interface LoginFlowSettings {
  termsRequired: boolean;
  publicBaseUrl: string;
  resetTokenTtlSeconds: number;
  /** The platform's brand on the emails (BRAND_JSON); absent: LoginBridge's own. */
  brand?: Brand;
  /** How long after its `exp` an access token may still delete its account, if its session stands: the refresh idle lifetime. */
  expiredTokenGraceSeconds?: number;
  /** Reset emails per address per window; further requests still answer 200 but send nothing. */
  resetEmailLimit: { maxPerWindow: number; windowSeconds: number };
  /** LOGIN_REQUIRES_VERIFIED_EMAIL: login refuses an unverified address (refresh checks it in core/refresh.ts) (registration still answers with tokens). */
  loginRequiresVerifiedEmail?: boolean;
  /** How long account deletion waits for the team clean-up at Auth0 before leaving it to the schedule. */
  teamCleanupWithinMs?: number;
}

export interface LoginFlowDeps {
  accounts: CredentialStore;
  /** Where the forgot-password request stores its link. */
  links: Pick<SingleUseTokenStore, 'save'>;
  deletion: AccountDeletionStore;
  throttles: ThrottleStore;
  signInThrottle: SignInThrottle;
  hasher: PasswordHasher;
  /** Email + password under the brute-force rules; shared with the SSO login and the activation page. */
  passwordCheck: PasswordCheck;
  sessions: Sessions;
  tokens: AccessTokens;
  /** The session behind an access token (delete-account). */
  sessionCheck: SessionCheck;
  mailer: Mailer;
  clock: Clock;
  settings: LoginFlowSettings;
  /** Sends the verification link after registration (never fails the registration), and the one "verified?" check. */
  verification?: {
    sendAfterRegistration(profile: UserProfile): Promise<boolean>;
    requireVerified(userId: string): Promise<UserProfile>;
  };
  /** Deletes the Auth0 clients of a team the deleted account was the last member of; never fails the deletion. */
  teamCleanup?: { tryNow(teamId: string, withinMs: number): Promise<boolean> };
  /** Apple tokens revoked after an account deletion (account-deletion.ts). */
  providerTokens?: AccountDeletionDeps['providerTokens'];
  /** Passkey sign-in alone (lazy in the wiring: only its route reads the passkeys). */
  passkeys?: Pick<Passkeys, 'signIn'>;
  /** Step-up before deleting an account that has a second factor (docs/security.md). */
  secondFactors?: Pick<SecondFactors, 'requireRecentFactorIfEnrolled'>;
}

export interface RegisterInput {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  approveTermsOfUse: boolean;
  approveMarketing: boolean;
  /** Validated extra fields of the platform's allow-list. */
  profileFields?: Record<string, string | number | boolean>;
  /** The language the account's emails are written in (the one the person registered in). */
  locale?: Locale;
}

/** Applicaster's Login Flow: register, login, refresh, reset password, delete account. */
export class LoginFlow {
  constructor(private readonly deps: LoginFlowDeps) {}

  async register(input: RegisterInput): Promise<TokenResponse> {
    const { accounts, hasher, sessions, tokens, clock, settings } = this.deps;
    const fieldErrors: Record<string, string> = {};
    const problem = passwordProblem(input.password, input);
    if (problem) fieldErrors.password = problem;
    if (settings.termsRequired && !input.approveTermsOfUse) fieldErrors.approveTermsOfUse = 'Please accept the terms of use to create an account.';
    if (Object.keys(fieldErrors).length) throw new FormRejectedError('invalid_registration', 'Please correct the highlighted fields.', fieldErrors);

    const userId = newId();
    const now = new Date(clock.now()).toISOString();
    const profile: UserProfile = {
      id: userId,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      approveMarketing: input.approveMarketing,
      ...(input.approveTermsOfUse ? { termsAcceptedAt: now } : {}),
      ...(input.approveMarketing ? { marketingAcceptedAt: now } : {}),
      ...(input.profileFields && Object.keys(input.profileFields).length ? { profileFields: input.profileFields } : {}),
      createdAt: now,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(this.deps.verification ? { verificationSentAt: epochSeconds(clock) } : {}),
    };
    const passwordHash = await hasher.hash(input.password);
    const started = sessions.newFamily(userId, { emailVerified: false, proof: passwordProof() });
    await accounts.createAccount({ email: input.email, userId, passwordHash }, profile, started.family);
    // The Login Flow contract answers with tokens: the apps have no verification step. The link goes out in the same request.
    await this.deps.verification?.sendAfterRegistration(profile);
    return tokenResponse(tokens, started.family, started.refreshToken, false);
  }

  /**
   * Three DynamoDB requests: the two limits taken in one transaction beside a
   * read of the credential (which carries the disabled and verified marks),
   * then, after argon2, the session in one transaction with the password-hash
   * guard and the limits' release. See docs/performance.md.
   */
  async login(
    email: string,
    password: string,
    clientIp: string,
    secondFactor: { otp?: string; passkey?: PasskeyAnswer; correlationId?: string } = {},
  ): Promise<TokenResponse> {
    const { passwordCheck, signInThrottle, sessions } = this.deps;
    const checked = await passwordCheck.verify(email, password, clientIp, { releaseWithSession: true, ...secondFactor });
    let started: StartedSession;
    let emailVerified: boolean | undefined;
    try {
      emailVerified = await this.emailVerifiedAtSignIn(checked);
      const fill = checked.emailVerified === undefined && emailVerified !== undefined ? { fillEmailVerified: emailVerified } : {};
      const guard = { email: checked.email, passwordHash: checked.passwordHash, ...fill };
      started = await sessions.start(checked.userId, {
        credentialGuard: guard,
        emailVerified,
        release: signInThrottle.releaseOf(checked.attempt),
        proof: passwordProof(checked.factorUsedAt, checked.factorMethod),
        network: sessionNetwork(clientIp),
      });
    } catch (error) {
      // The password was right, so whatever refused the sign-in after it, the attempt's units go back; not when DynamoDB
      // is failing, where the session's write may have carried them after all.
      if (!(error instanceof StoreUnavailableError)) await signInThrottle.succeeded(checked.attempt);
      throw error;
    }
    return tokenResponse(this.deps.tokens, started.family, started.refreshToken, emailVerified);
  }

  /**
   * A passkey alone (POST /login-flow/passkey/login): the same token answer
   * as a password sign-in, `amr` from the passkey (docs/security.md).
   */
  async loginWithPasskey(answer: PasskeyAnswer, clientIp: string): Promise<TokenResponse> {
    if (!this.deps.passkeys) throw new UnauthenticatedError('Passkey sign-in is not available here.');
    const proven = await this.deps.passkeys.signIn(answer, clientIp);
    const emailVerified = await this.emailVerifiedAtSignIn({ userId: proven.userId, emailVerified: proven.emailVerified });
    const started = await this.deps.sessions.start(proven.userId, {
      emailVerified,
      proof: passkeyProof(proven, epochSeconds(this.deps.clock)),
      network: sessionNetwork(clientIp),
    });
    return tokenResponse(this.deps.tokens, started.family, started.refreshToken, emailVerified);
  }

  /** The `email_verified` claim of a sign-in, from the credential's copy; the profile is read only for a credential older than that copy. */
  private async emailVerifiedAtSignIn(checked: Pick<CheckedPassword, 'userId' | 'emailVerified'>): Promise<boolean | undefined> {
    if (checked.emailVerified === true) return true;
    if (checked.emailVerified === false && !this.deps.settings.loginRequiresVerifiedEmail) return false;
    return this.emailVerified(checked.userId);
  }

  /** The `email_verified` claim; with LOGIN_REQUIRES_VERIFIED_EMAIL an unverified address is refused (and sent a first link). */
  private async emailVerified(userId: string): Promise<boolean | undefined> {
    if (this.deps.settings.loginRequiresVerifiedEmail && this.deps.verification) {
      await this.deps.verification.requireVerified(userId);
      return true;
    }
    const profile = await this.deps.accounts.getProfile(userId);
    return profile ? isEmailVerified(profile) : undefined;
  }

  /**
   * Always succeeds for a well-formed email. For a real account, under the
   * per-address limit, stores a single-use token and emails a link. The
   * caller pads the answer to a fixed time, so both cases look alike.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const { accounts, throttles, mailer, clock, settings } = this.deps;
    const now = epochSeconds(clock);
    const window = settings.resetEmailLimit.windowSeconds;
    const windowIndex = Math.floor(now / window);
    // Taken before anything is looked up or sent: of a burst for one address at most `maxPerWindow` send an email.
    const [taken, credential] = await Promise.all([
      throttles.take(throttleKeys.resetEmail(email, windowIndex), { limit: settings.resetEmailLimit.maxPerWindow, now, expiresAt: (windowIndex + 1) * window }),
      accounts.getCredential(email),
    ]);
    if (!credential || !taken.taken) return;

    const token = `${credential.userId}.${randomToken(32)}`;
    await this.deps.links.save('password-reset', {
      userId: credential.userId,
      tokenHash: sha256(token),
      createdAt: now,
      expiresAt: now + settings.resetTokenTtlSeconds,
    });
    const profile = await accounts.getProfile(credential.userId);
    const link = `${settings.publicBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
    try {
      await mailer.send(
        resetPasswordEmail({
          to: email,
          firstName: profile?.firstName,
          link,
          validMinutes: Math.round(settings.resetTokenTtlSeconds / 60),
          locale: profile?.locale,
          brand: settings.brand,
        }),
      );
    } catch (error) {
      // The address's mail limit: the same answer as when the email goes out.
      if (!(error instanceof MailLimitError)) throw error;
    }
  }

  /**
   * Deletes the account the access token belongs to; the token's session must
   * still stand. An app that kept only a lapsed access token (Applicaster
   * screens pass `ctx`) may still delete with it within the refresh idle
   * lifetime of its `exp`, since its session proves it was not signed out.
   */
  async deleteAccount(accessToken: string | undefined): Promise<void> {
    if (!accessToken) throw new UnauthenticatedError('An access token is required to delete the account.');
    const claims = await this.deps.sessionCheck.verify(accessToken, {
      expiredGraceSeconds: this.deps.settings.expiredTokenGraceSeconds ?? 0,
      acceptDeletedAccount: true,
      allowDisabled: true,
    });
    // A stolen access token alone must not erase an account protected by a second factor: 403 step_up_required.
    await this.deps.secondFactors?.requireRecentFactorIfEnrolled(claims.sub, claims.session);
    await deleteAccountNow(
      {
        accounts: this.deps.deletion,
        teamCleanup: this.deps.teamCleanup,
        teamCleanupWithinMs: this.deps.settings.teamCleanupWithinMs,
        providerTokens: this.deps.providerTokens,
      },
      claims.sub,
    );
  }
}
