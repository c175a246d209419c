import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** DELETE /portal/team/members/{userId}: removes a teammate (or the caller: leaving); 204. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  await portal().team.removeMember(caller, request.pathParameters.userId ?? '');
  return noContent();
});
