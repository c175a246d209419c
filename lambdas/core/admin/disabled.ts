import { ForbiddenError } from '../errors';

export const ACCOUNT_DISABLED_MESSAGE = 'This account has been disabled. Please contact support.';

/** 403 on every sign-in path of a disabled account; the message is safe to show (only the password's owner reaches it). */
export class AccountDisabledError extends ForbiddenError {
  constructor() {
    super(ACCOUNT_DISABLED_MESSAGE);
  }
}

/**
 * The one check every sign-in path calls (login, refresh, TV approval,
 * hand-offs): `disabledAt` lives on both the profile and the credential item,
 * so each path checks whichever item it already read.
 */
export function refuseDisabled(subject: object | undefined): void {
  const disabledAt = (subject as { disabledAt?: unknown } | undefined)?.disabledAt;
  if (typeof disabledAt === 'string' && disabledAt) throw new AccountDisabledError();
}
