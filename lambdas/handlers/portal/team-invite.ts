import { idempotencyKeyOf } from '../../core/portal/idempotency';
import { httpHandler } from '../../http/pipeline';
import { invitationBody } from '../../http/schemas/portal';
import { validate } from '../../http/validation';
import { portal } from '../../runtime';
import { outcomeResult, portalCaller } from './caller';

/** POST /portal/team/invitations {email}: 201 with a signed, expiring, single-use link to join the caller's team. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  const { email } = validate(invitationBody, request.body);
  return outcomeResult(await portal().invitations.inviteTeammate(caller, email, idempotencyKeyOf(request.headers)));
});
