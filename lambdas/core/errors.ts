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
  constructor(readonly reason: 'unknown' | 'expired' | 'reused' | 'revoked' | 'raced') {
    super('The refresh token is invalid or expired. Please sign in again.');
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

/** The thing asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends LoginBridgeError {}

/** A write lost a race or met a state it must not overwrite. */
export class ConflictError extends LoginBridgeError {}

/** The data store cannot be reached or answered too slowly; safe to retry. */
export class StoreUnavailableError extends LoginBridgeError {
  constructor(options?: ErrorOptions) {
    super('The user store is temporarily unavailable. Please try again shortly.', options);
  }
}

/** A dependency such as the signing key or the mail service is not usable right now. */
export class ServiceUnavailableError extends LoginBridgeError {}

export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
