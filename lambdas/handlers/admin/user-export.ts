import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** GET /admin/users/{userId}/export: everything stored about the user as one JSON document (never a hash or secret). */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  const userId = request.pathParameters.userId ?? '';
  return ok(await userAdmin().export(context, userId), { 'Content-Disposition': `attachment; filename="user-${userId.replace(/[^A-Za-z0-9_-]/g, '')}.json"` });
});
