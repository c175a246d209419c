import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/users/{userId}/enable: lifts a disable. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok(await userAdmin().setDisabled(context, request.pathParameters.userId ?? '', false));
});
