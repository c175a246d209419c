import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { adminInvitationBody } from '../../http/schemas/portal';
import { validate } from '../../http/validation';
import { portal } from '../../runtime';
import { outcomeResult, portalCaller } from './caller';

/** POST /portal/admin/invitations {email, kind?}: 201 with a link that makes its user a portal admin (or a user admin). Portal admins only. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  const { email, kind } = validate(adminInvitationBody, request.body);
  return outcomeResult(
    await portal().invitations.inviteAdmin(caller, email, idempotencyKeyOf(request.headers), kind === 'user-admin' ? 'user-admin' : 'admin'),
  );
});
