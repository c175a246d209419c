import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** POST /admin/users/{userId}/unlock: clears the sign-in back-off of the user's email. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  return ok({ backoff: await userAdmin().unlock(context, request.pathParameters.userId ?? '') });
});
