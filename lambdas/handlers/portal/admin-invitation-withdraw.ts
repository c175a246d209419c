import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** DELETE /portal/admin/invitations/{inviteId}: withdraws a pending admin or user-admin invitation; 204. Portal admins only. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  await portal().invitations.withdrawAdminInvitation(caller, request.pathParameters.inviteId ?? '');
  return noContent();
});
