import { UnauthenticatedError } from '../../core/errors';
import type { CheckedSession } from '../../core/session-check';
import { bearerToken, type HttpRequest } from '../../http/request';
import { sessionCheck } from '../../runtime';

/** The user behind a factor-management request: a Login Flow access token whose session stands. Not a route. */
export async function factorOwner(request: HttpRequest): Promise<CheckedSession> {
  const token = bearerToken(request.headers);
  if (!token) throw new UnauthenticatedError('Sign in first: send Authorization: Bearer <access token>.');
  return sessionCheck().verify(token);
}
