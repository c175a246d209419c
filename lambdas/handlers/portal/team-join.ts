import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { joinBody } from '../../http/schemas/portal';
import { validate } from '../../http/validation';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** POST /portal/team/join {token}: accepts a team invitation (joins that team) or an admin invitation (becomes a portal admin). */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  const { token } = validate(joinBody, request.body);
  return ok(await portal().invitations.join(caller, token));
});
