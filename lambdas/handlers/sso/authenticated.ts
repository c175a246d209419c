import { UnauthenticatedError } from '../../core/errors';
import type { CheckedSession } from '../../core/session-check';
import { bearerToken, type HttpRequest } from '../../http/request';
import { sessionCheck } from '../../runtime';

/**
 * The verified access token of a session that still stands (see
 * SessionCheck), with what the check read: claims, session and profile.
 */
export async function authenticatedSession(request: HttpRequest): Promise<CheckedSession> {
  const token = bearerToken(request.headers);
  if (!token) throw new UnauthenticatedError('Sign in first: send Authorization: Bearer <access token>.');
  return sessionCheck().verify(token);
}

/** The user id of a verified access token whose session still stands. Hand-offs act only for this user: nothing in a request body can name another one. */
export async function authenticatedUserId(request: HttpRequest): Promise<string> {
  return (await authenticatedSession(request)).sub;
}
