import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { parseOAuthParams, tokenParams } from '../../http/schemas/oauth';
import { authorizationServer } from '../../runtime';

/**
 * POST /oauth/token: the device_code grant (RFC 8628 §3.4) and refresh
 * (RFC 6749 §6). Public clients only: an `Authorization: Basic` header (the
 * Applicaster TV plugin sends a fixed one on refresh) is ignored, never checked.
 */
export const handler = httpHandler(
  async (request) => {
    const params = parseOAuthParams(tokenParams, request);
    return ok(await authorizationServer().token(params));
  },
  { errorStyle: 'oauth' },
);
