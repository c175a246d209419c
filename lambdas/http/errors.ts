import type { FieldErrors } from '../core/errors';
import { LoginBridgeError } from '../core/errors';

/** HTTP-only failures, raised by the request pipeline itself. */
export class PayloadTooLargeError extends LoginBridgeError {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than ${Math.floor(limitBytes / 1024)} KiB.`);
  }
}

export class MethodNotAllowedError extends LoginBridgeError {
  constructor(readonly allowed: string[]) {
    super(`This endpoint accepts ${allowed.join(', ')}.`);
  }
}

export class RouteNotFoundError extends LoginBridgeError {
  constructor() {
    super('There is no endpoint at this path.');
  }
}

/** The documented error body of every non-OAuth endpoint. */
export interface ErrorBody {
  status: number;
  error: string;
  formError: string;
  fieldErrors: FieldErrors;
  correlationId: string;
}

/** RFC 6749 §5.2, plus the correlation id. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
  correlationId: string;
}
