import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { sessionIdPath } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { mySessions, sessionCheck } from '../../runtime';

/**
 * DELETE /login-flow/sessions/{sessionId} (Bearer): ends one of the caller's
 * sessions; its refresh token fails at once and its access tokens at their
 * next session check. Ending the caller's own session is allowed and said.
 */
export const handler = httpHandler(async (request) => {
  const claims = await sessionCheck().verify(bearerToken(request.headers));
  const { sessionId } = validate(sessionIdPath, request.pathParameters, 'This is not a session id.');
  const { current } = await mySessions().end(claims.sub, claims.sid, sessionId);
  return ok({ status: 200, current, message: current ? 'This session has ended: sign in again to continue.' : 'The session has ended.' });
});
