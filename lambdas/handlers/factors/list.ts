import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/** GET /login-flow/factors: the user's confirmed second factors (never a secret) and how many recovery codes are left. */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const [factors, recoveryCodesLeft] = await Promise.all([secondFactors().list(session.sub), secondFactors().recoveryCodesLeft(session.sub)]);
  return ok({ factors, recoveryCodesLeft });
});
