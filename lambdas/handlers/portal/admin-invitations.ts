import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** GET /portal/admin/invitations: the pending admin and user-admin invitations. Portal admins only. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  return ok(await portal().invitations.adminInvitations(caller));
});
