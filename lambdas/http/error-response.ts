import {
  AccountExistsSignInToLinkError,
  ConflictError,
  EmailNotVerifiedError,
  type FieldErrors,
  ForbiddenError,
  FormRejectedError,
  InvalidIdTokenError,
  InvalidRefreshTokenError,
  LastSignInMethodError,
  MfaRequiredError,
  NotFoundError,
  OAuthError,
  OverloadedError,
  PartnerBusyError,
  PartnerNotConfiguredError,
  PartnerProtocolError,
  PartnerRejectedError,
  PartnerTimeoutError,
  PartnerUnavailableError,
  ProviderAlreadyLinkedError,
  ReauthenticationRequiredError,
  ServiceUnavailableError,
  StepUpRequiredError,
  StoreUnavailableError,
  TargetNotAllowedError,
  TooManyAttemptsError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors';
import { MethodNotAllowedError, PayloadTooLargeError, RouteNotFoundError } from './errors';
import { describeError, log } from './log';

/**
 * How a route reports failures. `login-flow`: Applicaster's Login Flow wants
 * 403 for anything the form should show. `api`: ordinary HTTP statuses.
 * `oauth`: RFC 6749 §5.2 bodies.
 */
export type ErrorStyle = 'login-flow' | 'api' | 'oauth';

export interface ErrorOutcome {
  statusCode: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

interface Classified {
  status: number;
  code: string;
  message: string;
  fieldErrors?: FieldErrors;
  headers?: Record<string, string>;
  oauthCode?: string;
}

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again; if it keeps happening, contact support with the correlation id.';

function classify(error: unknown, style: ErrorStyle): Classified | undefined {
  const formStatus = style === 'login-flow' ? 403 : 400;
  if (error instanceof OAuthError) {
    // RFC 6749 §5.2: a 401 names the scheme the client may authenticate with; public clients send only client_id.
    const headers = error.status === 401 ? { 'WWW-Authenticate': 'Basic realm="oauth", charset="UTF-8"' } : undefined;
    return { status: error.status, code: error.code, message: error.message, oauthCode: error.code, ...(headers ? { headers } : {}) };
  }
  if (error instanceof ValidationError) {
    return { status: formStatus, code: 'invalid_request', message: error.formError, fieldErrors: error.fieldErrors, oauthCode: 'invalid_request' };
  }
  if (error instanceof TooManyAttemptsError) {
    return {
      status: style === 'login-flow' ? 403 : 429,
      code: error.code,
      message: error.formError,
      fieldErrors: error.fieldErrors,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
      oauthCode: 'slow_down',
    };
  }
  if (error instanceof InvalidIdTokenError) {
    return { status: formStatus, code: error.code, message: error.formError, fieldErrors: error.fieldErrors, oauthCode: 'invalid_grant' };
  }
  if (error instanceof AccountExistsSignInToLinkError) {
    return { status: 409, code: 'account_exists_sign_in_to_link', message: error.message, oauthCode: 'invalid_grant' };
  }
  if (error instanceof FormRejectedError) {
    return {
      status: style === 'login-flow' ? 403 : 400,
      code: error.code,
      message: error.formError,
      fieldErrors: error.fieldErrors,
      oauthCode: 'invalid_request',
    };
  }
  if (error instanceof InvalidRefreshTokenError) {
    return { status: style === 'oauth' ? 400 : 403, code: 'invalid_grant', message: error.message, oauthCode: 'invalid_grant' };
  }
  if (error instanceof UnauthenticatedError) {
    return {
      status: 401,
      code: 'invalid_token',
      message: error.message,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      oauthCode: 'invalid_client',
    };
  }
  if (error instanceof MfaRequiredError)
    return { status: 403, code: 'mfa_required', message: error.message, fieldErrors: error.fieldErrors, oauthCode: 'access_denied' };
  if (error instanceof StepUpRequiredError) return { status: 403, code: 'step_up_required', message: error.message, oauthCode: 'access_denied' };
  if (error instanceof ReauthenticationRequiredError)
    return { status: 403, code: 'reauthentication_required', message: error.message, oauthCode: 'access_denied' };
  if (error instanceof EmailNotVerifiedError) return { status: 403, code: 'email_not_verified', message: error.message, oauthCode: 'access_denied' };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message, oauthCode: 'access_denied' };
  if (error instanceof RouteNotFoundError || error instanceof NotFoundError) return { status: 404, code: 'not_found', message: error.message };
  if (error instanceof MethodNotAllowedError) {
    return { status: 405, code: 'method_not_allowed', message: error.message, headers: { Allow: error.allowed.join(', ') } };
  }
  if (error instanceof LastSignInMethodError) return { status: 409, code: 'last_sign_in_method', message: error.message };
  if (error instanceof ProviderAlreadyLinkedError) return { status: 409, code: 'already_linked', message: error.message };
  if (error instanceof ConflictError) return { status: 409, code: 'conflict', message: error.message };
  if (error instanceof PayloadTooLargeError) return { status: 413, code: 'payload_too_large', message: error.message, oauthCode: 'invalid_request' };
  if (error instanceof TargetNotAllowedError) {
    return { status: 400, code: 'target_not_allowed', message: error.message, fieldErrors: { [error.field]: error.message }, oauthCode: 'invalid_request' };
  }
  if (error instanceof PartnerRejectedError) return { status: 502, code: 'partner_rejected', message: error.message, oauthCode: 'server_error' };
  if (error instanceof PartnerProtocolError) return { status: 502, code: 'partner_bad_answer', message: error.message, oauthCode: 'server_error' };
  if (error instanceof PartnerUnavailableError)
    return { status: 502, code: 'partner_unavailable', message: error.message, oauthCode: 'temporarily_unavailable' };
  if (error instanceof PartnerTimeoutError) return { status: 504, code: 'partner_timeout', message: error.message, oauthCode: 'temporarily_unavailable' };
  if (error instanceof PartnerBusyError) {
    return {
      status: 503,
      code: 'partner_busy',
      message: error.message,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
      oauthCode: 'temporarily_unavailable',
    };
  }
  if (error instanceof PartnerNotConfiguredError)
    return { status: 503, code: 'partner_not_configured', message: error.message, oauthCode: 'temporarily_unavailable' };
  if (error instanceof OverloadedError) {
    return {
      status: 503,
      code: 'temporarily_unavailable',
      message: error.message,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
      oauthCode: 'temporarily_unavailable',
    };
  }
  if (error instanceof StoreUnavailableError || error instanceof ServiceUnavailableError) {
    return { status: 503, code: 'temporarily_unavailable', message: error.message, headers: { 'Retry-After': '1' }, oauthCode: 'temporarily_unavailable' };
  }
  return undefined;
}

/** Any thrown value to a safe response; anything unexpected is logged and becomes a generic 500. */
export function errorResponse(error: unknown, style: ErrorStyle, correlationId: string): ErrorOutcome {
  let classified = classify(error, style);
  if (!classified) {
    log.error('unhandled error', { correlationId, ...describeError(error), stack: error instanceof Error ? error.stack : undefined });
    classified = { status: 500, code: 'internal_error', message: INTERNAL_MESSAGE, oauthCode: 'server_error' };
  } else if (classified.status >= 500) {
    log.warn('dependency unavailable', { correlationId, status: classified.status, ...describeError(error) });
  }
  const headers = classified.headers ?? {};
  if (style === 'oauth') {
    const oauthStatus =
      classified.oauthCode === 'invalid_client'
        ? 401
        : classified.status >= 500 || classified.status === 404 || classified.status === 405 || classified.status === 413
          ? classified.status
          : 400;
    return {
      statusCode: oauthStatus,
      body: { error: classified.oauthCode ?? classified.code, error_description: classified.message, correlationId },
      headers,
    };
  }
  return {
    statusCode: classified.status,
    body: { status: classified.status, error: classified.code, formError: classified.message, fieldErrors: classified.fieldErrors ?? {}, correlationId },
    headers,
  };
}
