import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { linkedIdentities, sessionCheck } from '../../runtime';

/** GET /login-flow/identities (Bearer, session checked): the Apple and Google accounts linked to the caller's, never their sub or tokens. */
export const handler = httpHandler(async (request) => {
  const claims = await sessionCheck().verify(bearerToken(request.headers));
  return ok({ status: 200, identities: await linkedIdentities().list(claims.sub) });
});
