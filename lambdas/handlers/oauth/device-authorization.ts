import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { deviceAuthorizationParams, parseOAuthParams } from '../../http/schemas/oauth';
import { deviceFlow } from '../../runtime';

/** POST /oauth/device_authorization: RFC 8628 §3.1-3.2, parameters from the form body or the query string. */
export const handler = httpHandler(
  async (request) => {
    const { client_id, scope } = parseOAuthParams(deviceAuthorizationParams, request);
    return ok(await deviceFlow().authorize(client_id, scope));
  },
  { errorStyle: 'oauth' },
);
