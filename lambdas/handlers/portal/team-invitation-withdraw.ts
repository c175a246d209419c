import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** DELETE /portal/team/invitations/{inviteId}: withdraws a pending invitation of the caller's team; 204. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  await portal().team.withdrawInvitation(caller, request.pathParameters.inviteId ?? '');
  return noContent();
});
