import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { httpHandler } from '../../http/pipeline';
import { created } from '../../http/responses';
import { passkeyRegisterBody } from '../../http/schemas/passkeys';
import { validate } from '../../http/validation';
import { passkeys } from '../../runtime';
import { factorOwner } from './caller';

/**
 * POST /login-flow/factors/passkeys `{challengeId, response, label?}`: the
 * authenticator's answer to the creation options; the passkey is a confirmed
 * factor at once (the first factor brings ten recovery codes, shown once).
 */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const { challengeId, response, label } = validate(passkeyRegisterBody, request.body);
  const added = await passkeys().register(session.sub, { challengeId, response: response as RegistrationResponseJSON, label }, request.clientIp, {
    familyId: session.sid,
    amr: session.session.amr,
  });
  return created({ factor: added.factor, recoveryCodes: added.recoveryCodes ?? null }, { 'Cache-Control': 'no-store' });
});
