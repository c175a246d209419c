import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { activationLookupBody } from '../../http/schemas/oauth';
import { validate } from '../../http/validation';
import { activation } from '../../runtime';

/**
 * POST /activate/lookup `{user_code}`: what the /activate page shows before
 * the user signs in (which app asks, how long the code lives). A code that
 * opens nothing counts against the caller's IP.
 */
export const handler = httpHandler(
  async (request) => {
    const { user_code } = validate(activationLookupBody, request.body);
    return ok({ status: 200, ...(await activation().lookup(user_code, request.clientIp)) });
  },
  { errorStyle: 'api' },
);
