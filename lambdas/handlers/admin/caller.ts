import { decodeJwt } from 'jose';
import type { ActionContext } from '../../core/admin/user-admin';
import { UnauthenticatedError } from '../../core/errors';
import { bearerToken, type HttpRequest } from '../../http/request';
import type { HttpResult } from '../../http/responses';
import { accountStore, userAdmin } from '../../runtime';
import { authenticatedUserId } from '../sso/authenticated';

/**
 * The operator behind a console request: a verified access token (through
 * `authenticatedUserId`, so its session check applies here too), a session
 * that still exists (a signed-out operator's unexpired token opens nothing),
 * then a console role (core/admin/roles.ts) and a verified email. Not a route.
 */
export async function consoleOperator(request: HttpRequest): Promise<ActionContext> {
  const userId = await authenticatedUserId(request);
  // The token was verified just above; its `sid` names the session family it was issued for.
  const sid = decodeJwt(bearerToken(request.headers) as string).sid;
  if (typeof sid !== 'string' || !(await accountStore().getSession(userId, sid)))
    throw new UnauthenticatedError('Your session has ended. Please sign in again.');
  return { operator: await userAdmin().authorize(userId), correlationId: request.correlationId };
}

export function consoleResult(outcome: { statusCode: number; body: unknown; replayed?: boolean }): HttpResult {
  return { statusCode: outcome.statusCode, body: outcome.body, headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {} };
}
