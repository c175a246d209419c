import type { PartnerName } from './partners';

/**
 * Domain errors. Core and adapters throw only these; `http/error-response.ts`
 * turns each into its protocol answer, so nothing above an adapter ever sees
 * an SDK error and nothing internal reaches a client.
 */

export type FieldErrors = Record<string, string | true>;

export class LoginBridgeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is malformed: bad JSON, wrong types, missing fields. */
export class ValidationError extends LoginBridgeError {
  constructor(
    readonly formError: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(formError);
  }
}

/** A well-formed request the user can fix: wrong password, taken email, weak password. */
export class FormRejectedError extends LoginBridgeError {
  constructor(
    readonly code: string,
    readonly formError: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(formError);
  }
}

/** Back-off is in force: the client may try again after `retryAfterSeconds`. */
export class TooManyAttemptsError extends FormRejectedError {
  constructor(
    readonly retryAfterSeconds: number,
    fieldErrors: FieldErrors = {},
  ) {
    super('too_many_attempts', `Too many attempts. Please try again in ${describeWait(retryAfterSeconds)}.`, fieldErrors);
  }
}

/** The refresh token is unknown, expired, revoked or was already used. */
export class InvalidRefreshTokenError extends LoginBridgeError {
  constructor(readonly reason: 'unknown' | 'expired' | 'reused' | 'revoked' | 'raced' | 'other-client') {
    super(reason === 'other-client' ? 'The refresh_token was issued to another client.' : 'The refresh token is invalid or expired. Please sign in again.');
  }
}

/** No valid access token: missing, malformed, bad signature, expired, wrong issuer or audience. */
export class UnauthenticatedError extends LoginBridgeError {
  constructor(message = 'A valid access token is required.', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The request is not allowed for this caller. */
export class ForbiddenError extends LoginBridgeError {}

/**
 * The action needs an email address the user has proven they own (a partner
 * hand-off, an admin right, an invitation, API credentials). 403 with
 * `error: "email_not_verified"`; pages offer to send a new link.
 */
export class EmailNotVerifiedError extends LoginBridgeError {
  constructor(message = 'Please confirm your email address first: open the link we emailed you. No email? Send a new link.') {
    super(message);
  }
}

/**
 * The account has a second factor and the request did not prove it: 403 with
 * `error: "mfa_required"` on every route style, and a field error on `otp`
 * so a Login Flow screen shows its code field. Also the answer of an admin or
 * console route to a session that signed in without a second factor.
 */
export class MfaRequiredError extends LoginBridgeError {
  readonly fieldErrors: FieldErrors;

  constructor(
    message = 'This account is protected by a second factor: enter the 6-digit code from your authenticator app, or a recovery code.',
    fieldErrors: FieldErrors = { otp: 'Enter the code from your authenticator app, or a recovery code.' },
  ) {
    super(message);
    this.fieldErrors = fieldErrors;
  }
}

/**
 * A sensitive action (a production credential, a console action, a password
 * change, an account deletion) needs a second factor used within the step-up
 * window: 403 with `error: "step_up_required"`; the client calls
 * POST /login-flow/factors/step-up with a code and retries.
 */
export class StepUpRequiredError extends LoginBridgeError {
  constructor(
    readonly windowSeconds: number,
    message = `This action needs a fresh second-factor check: confirm a code from your authenticator app (POST /login-flow/factors/step-up), then try again.`,
  ) {
    super(message);
  }
}

/**
 * Adding a way into the account (linking Apple or Google) on an account with
 * no second factor needs a sign-in within the step-up window: 403 with
 * `error: "reauthentication_required"`; the person signs in again and retries.
 * A session stolen later cannot plant its thief's sign-in method.
 */
export class ReauthenticationRequiredError extends LoginBridgeError {
  constructor(readonly windowSeconds: number) {
    super('For your security, sign in again, then link the sign-in method within a few minutes.');
  }
}

/** Registration for an email that already has an account (or is being registered right now). */
export class EmailTakenError extends FormRejectedError {
  constructor() {
    super('email_taken', 'An account with this email already exists. Try signing in, or reset your password.', {
      email: 'An account with this email already exists.',
    });
  }
}

/** Registration for an address whose disabled account was deleted: the ban outlives the account until an operator lifts it. */
export class AddressBannedError extends FormRejectedError {
  constructor() {
    super('address_banned', 'This email address cannot be used to create an account. Please contact support.', {
      email: 'This email address cannot be used to create an account.',
    });
  }
}

export const ACCOUNT_DISABLED_MESSAGE = 'This account has been disabled. Please contact support.';

/** 403 on every sign-in path of a disabled account; the message is safe to show (only the password's owner reaches it). */
export class AccountDisabledError extends ForbiddenError {
  constructor() {
    super(ACCOUNT_DISABLED_MESSAGE);
  }
}

/** The thing asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends LoginBridgeError {}

/** A write lost a race or met a state it must not overwrite. */
export class ConflictError extends LoginBridgeError {}

/** Unlinking this provider would leave the account no way to sign in (no other provider, passkey or known password). */
export class LastSignInMethodError extends ConflictError {}

/** The data store cannot be reached or answered too slowly; safe to retry. */
export class StoreUnavailableError extends LoginBridgeError {
  constructor(options?: ErrorOptions) {
    super('The user store is temporarily unavailable. Please try again shortly.', options);
  }
}

/** A dependency such as the signing key or the mail service is not usable right now. */
export class ServiceUnavailableError extends LoginBridgeError {}

/**
 * Designed shedding: this instance has more queued work than it can finish
 * while the client still waits, so it refuses early (503 with Retry-After)
 * instead of answering late or timing out.
 */
export class OverloadedError extends ServiceUnavailableError {
  /** The answer's text; the reliability suite tells shedding from other 503s by it. */
  static readonly MESSAGE = 'The service is busy right now. Please try again shortly.';

  constructor(readonly retryAfterSeconds: number) {
    super(OverloadedError.MESSAGE);
  }
}

/*
 * The three below keep a literal name: the bundles are minified, and
 * operators read these names in cold-start, rotation and partner logs.
 */

/** A missing or malformed setting: thrown at cold start, naming the variable, so a bad deploy fails loudly. */
export class ConfigurationError extends LoginBridgeError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** A signing-key rotation that cannot proceed; Secrets Manager records the failure and retries the rotation later. */
export class RotationError extends LoginBridgeError {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/**
 * Internal signal between a partner client and `withCredentials`: the
 * partner's token endpoint refused our client credentials. It never reaches
 * a caller: a second refusal becomes a PartnerRejectedError.
 */
export class CredentialsRejected extends LoginBridgeError {
  constructor(readonly status: number) {
    super(`credentials rejected with HTTP ${status}`);
    this.name = 'CredentialsRejected';
  }
}

export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Partners the SSO hand-offs call; named in messages so an operator knows where to look. */
export type { PartnerName };

/**
 * The partner refused us: rejected credentials, or a request it will not
 * serve for this account. `setting` names what an operator should check,
 * never a secret value.
 */
export class PartnerRejectedError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    message: string,
    readonly setting?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The partner did not answer within the configured timeout. */
export class PartnerTimeoutError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    options?: ErrorOptions,
  ) {
    super(`${partner} did not answer in time. Please try again in a moment.`, options);
  }
}

/** The partner kept answering 429 (or 503 with Retry-After) beyond our retry bound. */
export class PartnerBusyError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(`${partner} is busy right now. Please try again in ${describeWait(retryAfterSeconds)}.`, options);
  }
}

/** The partner answered something we cannot use: a malformed body, a missing field. */
export class PartnerProtocolError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `${partner} sent an answer we could not understand (${detail}). Please try again; if it keeps happening, contact support with the correlation id.`,
      options,
    );
  }
}

/** The partner failed on its side (5xx) or could not be reached. */
export class PartnerUnavailableError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    options?: ErrorOptions,
  ) {
    super(`${partner} is not available right now. Please try again in a moment.`, options);
  }
}

/** The partner's credentials have not been provisioned (empty secret, missing variables). */
export class PartnerNotConfiguredError extends LoginBridgeError {
  constructor(
    readonly partner: PartnerName,
    readonly setting: string,
  ) {
    super(`${partner} sign-in is not configured yet: an administrator must set ${setting}.`);
  }
}

/** A redirect target outside the configured allow-list: refused, never followed (no open redirect). */
export class TargetNotAllowedError extends LoginBridgeError {
  constructor(
    readonly field: string,
    message = 'This target is not allowed. Use one of the configured destinations.',
  ) {
    super(message);
  }
}

/** RFC 6749 §5.2 and RFC 8628 §3.5 error codes the token, device and revocation endpoints answer with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token';

/**
 * An OAuth protocol answer that is not a success: the status is 401 for
 * `invalid_client` and 400 for everything else (RFC 6749 §5.2), including
 * `authorization_pending`, so a device client never mistakes "keep polling"
 * for a 2xx.
 */
export class OAuthError extends LoginBridgeError {
  readonly status: number;

  constructor(
    readonly code: OAuthErrorCode,
    description: string,
  ) {
    super(description);
    this.status = code === 'invalid_client' ? 401 : 400;
  }
}

/**
 * A provider's ID token we do not accept: bad signature, wrong issuer or
 * audience, expired, wrong nonce, or already used once (a replay answers the
 * same, so it tells an attacker nothing). Login Flow 403, OAuth `invalid_grant`.
 */
export class InvalidIdTokenError extends FormRejectedError {
  constructor(readonly reason: string) {
    super('invalid_id_token', 'The sign-in with the provider could not be accepted. Please sign in with the provider again.', { idToken: true });
  }
}

/**
 * A first sign-in with a provider whose email belongs to an existing account
 * that cannot be linked automatically (either address unproven): 409; the
 * person signs in to that account and links the provider from /account.
 */
export class AccountExistsSignInToLinkError extends LoginBridgeError {
  constructor() {
    super('An account with this email already exists. Sign in to it (password or passkey), then link this provider from your account page.');
  }
}

/** Another request linked this provider identity first (a burst of first sign-ins): the caller reads it again. */
export class IdentityTakenError extends ConflictError {
  constructor() {
    super('This sign-in is already linked to an account.');
  }
}

/** Linking from /account: the account already has an identity of this provider (one per provider; unlink it first). 409 `already_linked`. */
export class ProviderAlreadyLinkedError extends ConflictError {
  constructor() {
    super('A sign-in of this provider is already linked to your account. Unlink it first to link another one.');
  }
}
