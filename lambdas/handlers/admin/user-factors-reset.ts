import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { factorReset } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/users/{userId}/factors/reset: removes every second factor and recovery code of the user (docs/security.md). Audited. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok(await factorReset().reset(context, request.pathParameters.userId ?? ''));
});
