import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { invitationBody } from '../../http/schemas/portal';
import { validate } from '../../http/validation';
import { portal } from '../../runtime';
import { outcomeResult, portalCaller } from './caller';

/** POST /portal/admin/invitations {email}: 201 with a link that makes its user a portal admin. Portal admins only. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  const { email } = validate(invitationBody, request.body);
  return outcomeResult(await portal().inviteAdmin(caller, email, idempotencyKeyOf(request.headers)));
});
