import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { privilegedAccount, secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/** DELETE /login-flow/factors/{factorId}: 204; needs a recent factor (step-up); an admin's last factor stays. */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  secondFactors().requireRecentFactor(session.session);
  await secondFactors().remove(session.sub, request.pathParameters.factorId ?? '', await privilegedAccount(session.sub));
  return noContent();
});
