import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { acronisBody } from '../../http/schemas/sso';
import { validate } from '../../http/validation';
import { acronisHandoff, emailVerification } from '../../runtime';
import { authenticatedUserId } from './authenticated';

/** POST /sso/acronis: a signed-in user (Bearer) + optional allow-listed target -> Acronis's external-login URL. */
export const handler = httpHandler(async (request) => {
  const userId = await authenticatedUserId(request);
  await emailVerification().requireVerified(userId);
  const { target_uri } = validate(acronisBody, request.body);
  const answer = await acronisHandoff().linkFor(userId, target_uri, { correlationId: request.correlationId });
  log.info('acronis login link issued', { correlationId: request.correlationId, userId });
  return ok(answer);
});
