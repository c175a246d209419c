import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** GET /portal/admin/teams: every team and its credentials in both environments. Portal admins only. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  return ok(await portal().admin.teams(caller));
});
