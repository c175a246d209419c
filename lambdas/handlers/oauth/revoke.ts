import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { parseOAuthParams, revocationParams } from '../../http/schemas/oauth';
import { authorizationServer } from '../../runtime';

/** POST /oauth/revoke: RFC 7009. 200 whether or not the token was known, so it reveals nothing. */
export const handler = httpHandler(
  async (request) => {
    await authorizationServer().revoke(parseOAuthParams(revocationParams, request));
    return ok({ status: 200 });
  },
  { errorStyle: 'oauth' },
);
