import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** DELETE /admin/users/{userId}/sessions/{sessionId}: ends one session; 204. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  await userAdmin().endSession(context, request.pathParameters.userId ?? '', request.pathParameters.sessionId ?? '');
  return noContent();
});
