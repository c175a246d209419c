import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/users/{userId}/disable: the user can no longer sign in, refresh, approve a TV or start a hand-off. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok(await userAdmin().setDisabled(context, request.pathParameters.userId ?? '', true));
});
