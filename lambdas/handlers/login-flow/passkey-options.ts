import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { passkeys } from '../../runtime';

/**
 * POST /login-flow/passkey/options: WebAuthn request options with an empty
 * allowCredentials (the browser offers the user's discoverable passkeys) and
 * the single-use challenge's id. The answer signs in alone
 * (POST /login-flow/passkey/login) or is the `passkey` second factor beside a
 * password or in a step-up. Limited per client address.
 */
export const handler = httpHandler(async (request) => ok(await passkeys().authenticationOptions(request.clientIp), { 'Cache-Control': 'no-store' }), {
  errorStyle: 'login-flow',
});
