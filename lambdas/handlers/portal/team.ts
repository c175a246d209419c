import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** GET /portal/team: the caller's team, its members and pending invitations, and the caller's permissions. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  return ok(await portal().team.view(caller));
});
