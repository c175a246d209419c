import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { mySessions, sessionCheck } from '../../runtime';

/** GET /login-flow/sessions (Bearer; errors in the API shape, a malformed id is 400): every live session of the caller, this one marked `current`. */
export const handler = httpHandler(async (request) => {
  const claims = await sessionCheck().verify(bearerToken(request.headers));
  return ok({ status: 200, sessions: await mySessions().list(claims.sub, claims.sid) });
});
