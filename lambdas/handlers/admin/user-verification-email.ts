import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { userAdmin } from '../../runtime';
import { consoleOperator, consoleResult } from './caller';

/** POST /admin/users/{userId}/verification-email: 202 once the link is sent. Honours Idempotency-Key (a retry sends no second email). */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return consoleResult(await userAdmin().sendVerificationEmail(context, request.pathParameters.userId ?? '', idempotencyKeyOf(request.headers)));
});
