import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** GET /admin/users/{userId}: the user card (profile, back-off, sessions, TV sign-ins, team, partners). */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok(await userAdmin().user(context, request.pathParameters.userId ?? ''));
});
