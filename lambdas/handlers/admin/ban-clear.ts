import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { banClearBody } from '../../http/schemas/admin';
import { validate } from '../../http/validation';
import { bans } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/bans/clear: lifts the ban a deleted disabled account left on its address (user admins and portal admins). */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  const { email } = validate(banClearBody, request.body);
  return ok(await bans().clear(context, email));
});
