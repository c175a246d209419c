import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { loginBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { astratoHandoff } from '../../runtime';
import { signedInForHandOff } from './password-hand-off';

/** POST /sso/astrato/login: email + password (the login page) -> an Astrato ticket. */
export const handler = httpHandler(
  async (request) => {
    const userId = await signedInForHandOff(request, validate(loginBody, request.body));
    const answer = await astratoHandoff().ticketFor(userId, { correlationId: request.correlationId });
    log.info('astrato ticket issued', { correlationId: request.correlationId, userId, via: 'password' });
    return ok(answer);
  },
  { errorStyle: 'login-flow' },
);
