import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { federatedProviderPath } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { linkedIdentities, sessionCheck } from '../../runtime';

/**
 * DELETE /login-flow/identities/{provider} (Bearer, session checked; a recent
 * second factor when the account has one): unlinks the provider. 409
 * `last_sign_in_method` when it is the account's only way to sign in.
 */
export const handler = httpHandler(async (request) => {
  const session = await sessionCheck().verify(bearerToken(request.headers));
  const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
  await linkedIdentities().unlink(session, provider);
  return ok({ status: 200, message: 'The sign-in method has been unlinked.' });
});
