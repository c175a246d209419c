/**
 * "Continue with Apple / Google" (docs/native-sign-in.md, "Web pages"): the
 * buttons are links to /login-flow/web-sign-in/{provider}/start; this adds the
 * page's own address as `return_to`, and on the way back picks the one-use
 * hand-off from the address's fragment and finishes the sign-in with
 * POST /login-flow/web-session, then the page goes on as after a passkey.
 */
import type { Answer, ApiBody } from './form';
import { postJson } from './form';
import type { SignInTokens } from './passkeys';

/** The sentences for the callback's failure codes (the fragment's `federated_error`). */
const FAILURE_TEXT: Record<string, string> = {
  state_invalid: 'This sign-in has expired or was already used. Please start again.',
  provider_refused: 'The provider did not complete the sign-in. Please try again.',
  provider_unavailable: 'This sign-in method is not available right now. Please use another way to sign in.',
  invalid_id_token: 'The sign-in with the provider could not be accepted. Please try again.',
};

/** The 409 of an account that exists with this address: the person signs in with their password and links from /account. */
const LINK_TEXT = 'An account with this email already exists. Sign in with your password (or passkey), then link this provider on your account page.';

export function resumeWebSignIn(options: { base: string; signedIn: (tokens: SignInTokens) => void; refused: (answer: Answer<SignInTokens>) => void }): void {
  const here = `${window.location.pathname}${window.location.search}`;
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-web-sign-in]'))) {
    // Signing up continues on /account (the link's own return_to, a page beside this one); every other page comes back to itself.
    const returnTo = link.dataset.returnTo ? `${options.base}/${link.dataset.returnTo}` : here;
    link.href = `${options.base}/login-flow/web-sign-in/${link.dataset.webSignIn}/start?return_to=${encodeURIComponent(returnTo)}`;
  }
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const handoff = fragment.get('federated');
  const failure = fragment.get('federated_error');
  if (!handoff && !failure) return;
  // The hand-off leaves the address at once: not in the history, not in a bookmark.
  window.history.replaceState(null, '', here);
  if (failure) {
    options.refused({ ok: false, status: 0, body: { formError: FAILURE_TEXT[failure] ?? FAILURE_TEXT.provider_refused } });
    return;
  }
  postJson<SignInTokens>(`${options.base}/login-flow/web-session`, { handoff })
    .then((answer) => {
      if (answer.ok && answer.body?.access_token) return options.signedIn(answer.body);
      const body: ApiBody | null = answer.body?.error === 'account_exists_sign_in_to_link' ? { ...answer.body, formError: LINK_TEXT } : answer.body;
      options.refused({ ...answer, body });
    })
    .catch(() =>
      options.refused({ ok: false, status: 0, body: { formError: 'The sign-in service could not be reached. Check your connection and try again.' } }),
    );
}
