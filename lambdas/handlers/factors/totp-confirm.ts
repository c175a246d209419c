import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { totpConfirmBody } from '../../http/schemas/factors';
import { validate } from '../../http/validation';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/** POST /login-flow/factors/totp/confirm: the first code confirms the factor; the first factor brings ten recovery codes, shown once. */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const { factorId, code } = validate(totpConfirmBody, request.body);
  const confirmed = await secondFactors().confirmTotp(session.sub, factorId, code, request.clientIp, { familyId: session.sid, amr: session.session.amr });
  return ok({ factor: confirmed.factor, recoveryCodes: confirmed.recoveryCodes ?? null }, { 'Cache-Control': 'no-store' });
});
