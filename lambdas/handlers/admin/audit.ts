import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { auditQuery } from '../../http/schemas/admin';
import { validate } from '../../http/validation';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** GET /admin/audit?userId=&actor=&limit=&cursor=: the console's audit trail, newest first. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  const { userId, actor, limit, cursor } = validate(auditQuery, request.query);
  return ok(await userAdmin().auditTrail(context, { userId, actor }, limit, cursor));
});
