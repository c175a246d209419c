import { AccountDisabledError } from '../errors';

export { ACCOUNT_DISABLED_MESSAGE, AccountDisabledError } from '../errors';

/**
 * The one check every sign-in path calls (login, refresh, TV approval,
 * hand-offs): `disabledAt` lives on both the profile and the credential item,
 * so each path checks whichever item it already read.
 */
export function refuseDisabled(subject: object | undefined): void {
  const disabledAt = (subject as { disabledAt?: unknown } | undefined)?.disabledAt;
  if (typeof disabledAt === 'string' && disabledAt) throw new AccountDisabledError();
}
