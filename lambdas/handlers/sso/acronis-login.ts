import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { acronisLoginBody } from '../../http/schemas/sso';
import { validate } from '../../http/validation';
import { acronisHandoff } from '../../runtime';
import { signedInForHandOff } from './password-hand-off';

/**
 * POST /sso/acronis/login: email + password (the login page with
 * ?partner=acronis) + optional allow-listed target -> Acronis's
 * external-login URL. The password is checked first, so a stranger learns
 * nothing about the allow-list.
 */
export const handler = httpHandler(
  async (request) => {
    const body = validate(acronisLoginBody, request.body);
    const userId = await signedInForHandOff(request, body);
    const answer = await acronisHandoff().linkFor(userId, body.target_uri, { correlationId: request.correlationId });
    log.info('acronis login link issued', { correlationId: request.correlationId, userId, via: 'password' });
    return ok(answer);
  },
  { errorStyle: 'login-flow' },
);
