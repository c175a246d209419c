import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { federatedProviderPath } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { identityLinking, sessionCheck } from '../../runtime';

/**
 * POST /login-flow/identities/{provider} (Bearer, session checked; a recent
 * second factor when the account has one): a one-use link ticket, bound to
 * the user and this session, for GET /login-flow/web-sign-in/{provider}/start?link=...
 * 409 `already_linked` when the account has an identity of the provider.
 */
export const handler = httpHandler(async (request) => {
  const session = await sessionCheck().verify(bearerToken(request.headers));
  const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
  const { ticket, expiresIn } = await identityLinking().issueTicket(session, provider);
  return ok({ status: 200, ticket, expires_in: expiresIn });
});
