import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/users/{userId}/sign-out: ends every session and approved TV sign-in of the user. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok(await userAdmin().signOut(context, request.pathParameters.userId ?? ''));
});
