import type { ActionContext } from '../../core/admin/user-admin';
import { UnauthenticatedError } from '../../core/errors';
import { requireMfaSession, requireRecentFactor } from '../../core/factors/policy';
import { epochSeconds, systemClock } from '../../core/clock';
import { settings } from '../../config';
import { bearerToken, type HttpRequest } from '../../http/request';
import type { HttpResult } from '../../http/responses';
import { accountStore, sessionCheck, userAdmin } from '../../runtime';

/**
 * The operator behind a console request: a verified access token (through
 * `authenticatedUserId`, so its session check applies here too), a session
 * that still exists (a signed-out operator's unexpired token opens nothing),
 * then a console role (core/admin/roles.ts) and a verified email, then a session
 * signed in with a second factor (and one proven within STEP_UP_WINDOW_SECONDS
 * for anything but a read). Not a route.
 */
export async function consoleOperator(request: HttpRequest): Promise<ActionContext> {
  const token = bearerToken(request.headers);
  if (!token) throw new UnauthenticatedError('Sign in first: send Authorization: Bearer <access token>.');
  const checked = await sessionCheck().verify(token);
  const userId = checked.sub;
  if (!(await accountStore().getSession(userId, checked.sid))) throw new UnauthenticatedError('Your session has ended. Please sign in again.');
  const operator = await userAdmin().authorize(userId);
  // Second factors (docs/factors.md): a two-factor session for every console request, a recent factor for every action.
  if (settings().FACTOR_POLICY_ENFORCED) {
    requireMfaSession(checked.session);
    if (request.method !== 'GET') requireRecentFactor(checked.session, epochSeconds(systemClock), settings().STEP_UP_WINDOW_SECONDS);
  }
  return { operator, correlationId: request.correlationId };
}

export function consoleResult(outcome: { statusCode: number; body: unknown; replayed?: boolean }): HttpResult {
  return { statusCode: outcome.statusCode, body: outcome.body, headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {} };
}
