import { settings } from '../../config';
import { bindingCookieName, WebSignInFailedError } from '../../core/federation/web-sign-in';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { federatedProviderPath, webSignInCallback } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { cookieValue, pageReturnTo, pageWithFragment, webSignInCookie } from '../../http/web-sign-in';
import { webSignIn } from '../../runtime';

/**
 * GET (Google: the query) and POST (Apple: form_post) /login-flow/web-sign-in/{provider}/callback:
 * the state taken once, the code exchanged with the PKCE verifier, the ID
 * token verified like the native route's; the browser goes back to the page
 * with a one-use hand-off code (or a failure's code) in the fragment. A link
 * from /account goes back with `linked` (or `link_error`) and issues no tokens.
 */
export const handler = httpHandler(async (request) => {
  const { provider } = validate(federatedProviderPath, request.pathParameters, 'The provider is apple or google.');
  const answer = validate(webSignInCallback, request.method === 'POST' ? request.body : request.query);
  const name = answer.state ? bindingCookieName(answer.state) : undefined;
  const binding = name ? cookieValue(request.headers.cookie, name) : undefined;
  let location: string;
  try {
    const done = await webSignIn().callback(provider, { ...answer, binding });
    location = pageWithFragment(done.returnTo, 'linked' in done ? { linked: done.linked } : { federated: done.handoff });
  } catch (error) {
    if (!(error instanceof WebSignInFailedError)) throw error;
    // A link from /account that did not happen is not a failed sign-in.
    if (!error.forLink) count('SignInFailed');
    location = pageWithFragment(error.returnTo ?? pageReturnTo(undefined), error.forLink ? { link_error: error.code } : { federated_error: error.code });
  }
  return {
    // 303: after Apple's POST the page is fetched with GET.
    statusCode: 303,
    headers: {
      Location: location,
      'Cache-Control': 'no-store',
      ...(name ? { 'Set-Cookie': webSignInCookie(name, '', settings().PUBLIC_BASE_URL, 0) } : {}),
    },
  };
});
