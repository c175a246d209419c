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
