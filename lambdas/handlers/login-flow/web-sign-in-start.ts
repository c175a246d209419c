import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { federatedProviderPath, webSignInStartQuery } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { pageReturnTo, webSignInCookie } from '../../http/web-sign-in';
import { webSignIn } from '../../runtime';

/**
 * GET /login-flow/web-sign-in/{provider}/start: "Continue with Apple / Google"
 * on a page. Stores state, nonce and PKCE verifier (single use, 10 minutes),
 * binds them to this browser with a cookie, and sends the browser to the provider.
 */
export const handler = httpHandler(async (request) => {
  const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
  const { return_to } = validate(webSignInStartQuery, request.query);
  const started = await webSignIn().start(provider, pageReturnTo(return_to));
  return {
    statusCode: 302,
    headers: {
      Location: started.location,
      'Set-Cookie': webSignInCookie(started.bindingName, started.binding, settings().PUBLIC_BASE_URL, 600),
      'Cache-Control': 'no-store',
    },
  };
});
