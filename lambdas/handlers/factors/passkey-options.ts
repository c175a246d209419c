import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { passkeys } from '../../runtime';
import { factorOwner } from './caller';

/**
 * POST /login-flow/factors/passkeys/options: WebAuthn creation options for a
 * new passkey of the signed-in user (discoverable, user verification
 * preferred, none of their passkeys again) and the id of the stored,
 * single-use challenge to send back with the answer.
 */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  return ok(await passkeys().registrationOptions(session.sub), { 'Cache-Control': 'no-store' });
});
