import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { astratoHandoff, emailVerification } from '../../runtime';
import { authenticatedUserId } from './authenticated';

/** POST /sso/astrato: a signed-in user (Bearer) -> a single-use Astrato web ticket and the URL to open at top level. */
export const handler = httpHandler(async (request) => {
  const userId = await authenticatedUserId(request);
  await emailVerification().requireVerified(userId);
  const answer = await astratoHandoff().ticketFor(userId, { correlationId: request.correlationId });
  log.info('astrato ticket issued', { correlationId: request.correlationId, userId, via: 'bearer' });
  return ok(answer);
});
