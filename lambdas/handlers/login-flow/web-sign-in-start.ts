import { settings } from '../../config';
import { WebSignInFailedError } from '../../core/federation/web-sign-in';
import { httpHandler } from '../../http/pipeline';
import type { HttpResult } from '../../http/responses';
import { federatedProviderPath, webSignInStartQuery } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { pageReturnTo, pageWithFragment, webSignInCookie } from '../../http/web-sign-in';
import { webSignIn } from '../../runtime';

/**
 * GET /login-flow/web-sign-in/{provider}/start: "Continue with Apple / Google"
 * on a page. Stores state, nonce and PKCE verifier (single use, 10 minutes),
 * binds them to this browser with a cookie, and sends the browser to the provider.
 * With `link` (a ticket from POST /login-flow/identities/{provider}) the flow links instead of signing in.
 */
export const handler = httpHandler(async (request): Promise<HttpResult> => {
  const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
  const { return_to, link } = validate(webSignInStartQuery, request.query);
  let started: Awaited<ReturnType<ReturnType<typeof webSignIn>['start']>>;
  try {
    started = await webSignIn().start(provider, pageReturnTo(return_to), link);
  } catch (error) {
    // A link ticket that is unknown, used or expired: back to the account page, which says so.
    if (!(error instanceof WebSignInFailedError && error.forLink && error.returnTo)) throw error;
    return { statusCode: 302, headers: { Location: pageWithFragment(error.returnTo, { link_error: error.code }), 'Cache-Control': 'no-store' } };
  }
  return {
    statusCode: 302,
    headers: {
      Location: started.location,
      'Set-Cookie': webSignInCookie(started.bindingName, started.binding, settings().PUBLIC_BASE_URL, 600),
      'Cache-Control': 'no-store',
    },
  };
});
