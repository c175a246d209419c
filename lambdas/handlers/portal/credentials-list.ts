import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** GET /portal/credentials: the team's credentials in both environments (never a secret). */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  return ok(await portal().credentials.list(caller));
});
