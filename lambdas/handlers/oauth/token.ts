import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { parseOAuthParams, tokenParams } from '../../http/schemas/oauth';
import { authorizationServer } from '../../runtime';

/**
 * POST /oauth/token: the device_code grant (RFC 8628 §3.4), refresh
 * (RFC 6749 §6) and token exchange of a provider's ID token (RFC 8693). Public clients only: an `Authorization: Basic` header (the
 * Applicaster TV plugin sends a fixed one on refresh) is ignored, never checked.
 */
export const handler = httpHandler(
  async (request) => {
    const params = parseOAuthParams(tokenParams, request);
    return ok(await authorizationServer().token({ ...params, clientIp: request.clientIp }));
  },
  { errorStyle: 'oauth' },
);
