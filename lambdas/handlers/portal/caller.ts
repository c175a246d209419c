import { settings } from '../../config';
import { epochSeconds, systemClock } from '../../core/clock';
import { UnauthenticatedError } from '../../core/errors';
import type { Caller, Outcome } from '../../core/portal/portal';
import { bearerToken, type HttpRequest } from '../../http/request';
import type { HttpResult } from '../../http/responses';
import { portal, sessionCheck } from '../../runtime';

/**
 * The signed-in portal user behind a request: a valid access token
 * (`Authorization: Bearer`) whose session still stands, then their team (a personal one on first use).
 * Not a route: the portal handlers share it.
 */
export async function portalCaller(request: HttpRequest): Promise<Caller> {
  const token = bearerToken(request.headers);
  if (!token) throw new UnauthenticatedError('Sign in first: send your access token as "Authorization: Bearer <token>".');
  const claims = await sessionCheck().verify(token);
  const { factorUsedAt } = claims.session;
  const recentFactor = factorUsedAt !== undefined && factorUsedAt >= epochSeconds(systemClock) - settings().STEP_UP_WINDOW_SECONDS;
  return {
    ...(await portal().callers.resolve(claims.sub, claims.profile)),
    amr: claims.session.amr,
    recentFactor,
    factorPolicy: settings().FACTOR_POLICY_ENFORCED,
  };
}

/** An Outcome as an HTTP answer; a replayed first answer says so in `Idempotent-Replayed`. */
export function outcomeResult(outcome: Outcome<unknown>): HttpResult {
  return { statusCode: outcome.statusCode, body: outcome.body, headers: outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {} };
}
