import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** DELETE /admin/users/{userId}: the delete-account deletion, by an operator; 204. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  await userAdmin().deleteUser(context, request.pathParameters.userId ?? '');
  return noContent();
});
