import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { credentialBody } from '../../http/schemas/portal';
import { validate } from '../../http/validation';
import { portal } from '../../runtime';
import { outcomeResult, portalCaller } from './caller';

/** POST /portal/credentials {name, environment}: 201 with the client secret, shown this once. Honours Idempotency-Key. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  const input = validate(credentialBody, request.body);
  return outcomeResult(await portal().credentials.create(caller, input, idempotencyKeyOf(request.headers)));
});
