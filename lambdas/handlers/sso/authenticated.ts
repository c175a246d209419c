import { UnauthenticatedError } from '../../core/errors';
import { bearerToken, type HttpRequest } from '../../http/request';
import { sessionCheck } from '../../runtime';

/**
 * The user id of a verified access token whose session still stands (see
 * SessionCheck). Hand-offs act only for this user: nothing in a request body
 * can name another one.
 */
export async function authenticatedUserId(request: HttpRequest): Promise<string> {
  const token = bearerToken(request.headers);
  if (!token) throw new UnauthenticatedError('Sign in first: send Authorization: Bearer <access token>.');
  return (await sessionCheck().verify(token)).sub;
}
