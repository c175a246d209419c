import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { portal } from '../../runtime';
import { outcomeResult, portalCaller } from './caller';

/** POST /portal/credentials/{clientId}/rotate: 200 with the new secret; the old one stops working. Honours Idempotency-Key. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  return outcomeResult(await portal().credentials.rotate(caller, request.pathParameters.clientId ?? '', idempotencyKeyOf(request.headers)));
});
