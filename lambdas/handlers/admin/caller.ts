import { settings } from '../../config';
import type { ActionContext } from '../../core/admin/user-admin';
import { epochSeconds, systemClock } from '../../core/clock';
import { UnauthenticatedError } from '../../core/errors';
import { requireMfaSession, requireRecentFactor } from '../../core/factors/policy';
import type { HttpRequest } from '../../http/request';
import type { HttpResult } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { authenticatedSession } from '../sso/authenticated';

/**
 * The operator behind a console request: a verified access token of a
 * session that still stands (SessionCheck: a signed-out operator's unexpired
 * token opens nothing), then, from the profile that check read, a console role
 * (core/admin/roles.ts) and a verified email, then a session signed in with a
 * second factor (and one proven within STEP_UP_WINDOW_SECONDS for anything but
 * a read). Not a route.
 */
export async function consoleOperator(request: HttpRequest): Promise<ActionContext> {
  const checked = await authenticatedSession(request);
  if (!checked.profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
  const operator = await userAdmin().authorize(checked.profile);
  // Second factors (docs/security.md): a two-factor session for every console request, a recent factor for every action.
  if (settings().FACTOR_POLICY_ENFORCED) {
    requireMfaSession(checked.session);
    if (request.method !== 'GET') requireRecentFactor(checked.session, epochSeconds(systemClock), settings().STEP_UP_WINDOW_SECONDS);
  }
  return { operator, correlationId: request.correlationId };
}

export function consoleResult(outcome: { statusCode: number; body: unknown; replayed?: boolean }): HttpResult {
  return { statusCode: outcome.statusCode, body: outcome.body, headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {} };
}
