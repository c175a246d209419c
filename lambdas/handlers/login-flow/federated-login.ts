import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { federatedLoginBody, federatedProviderPath } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { federatedSignIn } from '../../runtime';

/** POST /login-flow/login/{provider}: a provider's ID token + the raw nonce -> the same tokens as POST /login-flow/login (docs/native-sign-in.md). */
export const handler = httpHandler(
  async (request) => {
    const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
    const { idToken, nonce, firstName, lastName, approveTermsOfUse, otp, passkey } = validate(federatedLoginBody, request.body);
    const tokens = await federatedSignIn().signIn(
      provider,
      { idToken, nonce, firstName, lastName, approveTermsOfUse, otp, passkey: passkey as PasskeyAnswer | undefined, correlationId: request.correlationId },
      request.clientIp,
    );
    count('SignInSucceeded');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
