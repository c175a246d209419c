/**
 * "Continue with Apple / Google" (docs/native-sign-in.md, "Web pages"): the
 * buttons are links to /login-flow/web-sign-in/{provider}/start; this adds the
 * page's own address as `return_to`, and on the way back picks the one-use
 * hand-off from the address's fragment and finishes the sign-in with
 * POST /login-flow/web-session, then the page goes on as after a passkey.
 * An account with a second factor answers 403 `mfa_required` and the server
 * keeps the hand-off: the page shows its code prompt (second-factor.ts) and its
 * form sends the code with `sendWebSignInCode` instead of the password flow.
 * A sign-in that would create an account on a platform that requires terms is
 * refused naming `approveTermsOfUse` (the server keeps the hand-off as well):
 * the terms step beside the buttons (markup.ts `webSignInButtons`) shows, and
 * "Create account" sends the hand-off again with the terms accepted.
 */
import type { Answer, ApiBody } from './form';
import { postJson, setBusy, sharedText } from './form';
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

type WebSignInOptions = {
  base: string;
  signedIn: (tokens: SignInTokens) => void;
  refused: (answer: Answer<SignInTokens>) => void;
  busy?: (on: boolean) => void;
};

/** The hand-off the server kept for a second factor, with the page's callbacks; null when no code is awaited. */
let awaitingCode: { handoff: string; options: WebSignInOptions } | null = null;

/** The hand-off the server kept for the terms a new account must accept; null when none is awaited. */
let awaitingTerms: { handoff: string; options: WebSignInOptions } | null = null;

/** The terms step (markup.ts `webSignInTerms`); absent on a page without the buttons. */
const termsStep = () => ({
  box: document.getElementById('web-sign-in-terms'),
  accept: document.getElementById('web-sign-in-accept') as HTMLInputElement | null,
  error: document.getElementById('web-sign-in-accept-error'),
  create: document.getElementById('web-sign-in-create') as HTMLButtonElement | null,
});

/** "Create account" of the terms step: the kept hand-off again, with the terms accepted. */
function acceptTerms(): void {
  const { accept, error, create } = termsStep();
  if (!awaitingTerms || !accept || !error || !create || create.disabled) return;
  if (!accept.checked) {
    error.textContent = sharedText('webSignIn.script.termsMissing', 'Please accept the terms of use to create an account.');
    accept.setAttribute('aria-invalid', 'true');
    accept.focus();
    return;
  }
  error.textContent = '';
  accept.removeAttribute('aria-invalid');
  const { handoff, options } = awaitingTerms;
  setBusy([create], true);
  options.busy?.(true);
  finishWebSignIn(options, { handoff, approveTermsOfUse: true });
}

/** Shows (or hides) the terms step; the refusal the page shows then says what to do instead of naming a field it does not have. */
function showTermsStep(shown: boolean): void {
  const { box, accept, create } = termsStep();
  if (create) setBusy([create], false);
  if (!box) return;
  box.hidden = !shown;
  if (shown) accept?.focus();
}

/** True while a federated sign-in waits for its second factor: the page's form sends the code with `sendWebSignInCode`. */
export const webSignInAwaitsCode = (): boolean => awaitingCode !== null;

/** Sends the code (or the passkey answer) with the kept hand-off; the answer goes to the page as the first one did. */
export function sendWebSignInCode(factor: { otp?: string; passkey?: unknown }): void {
  if (!awaitingCode) return;
  const { handoff, options } = awaitingCode;
  options.busy?.(true);
  finishWebSignIn(options, Object.assign({ handoff }, factor));
}

function finishWebSignIn(options: WebSignInOptions, payload: { handoff: string; otp?: string; passkey?: unknown; approveTermsOfUse?: boolean }): void {
  postJson<SignInTokens>(`${options.base}/login-flow/web-session`, payload)
    .then((answer) => {
      options.busy?.(false);
      // A missing or wrong code keeps the hand-off on the server (a refusal naming `otp`), so do the terms a new account
      // must accept (a refusal naming `approveTermsOfUse`); anything else ends it.
      const factorAsked = !answer.ok && (answer.body?.error === 'mfa_required' || !!answer.body?.fieldErrors?.otp);
      const termsAsked = !answer.ok && !!answer.body?.fieldErrors?.approveTermsOfUse;
      awaitingCode = factorAsked ? { handoff: payload.handoff, options } : null;
      awaitingTerms = termsAsked ? { handoff: payload.handoff, options } : null;
      showTermsStep(termsAsked);
      if (answer.ok && answer.body?.access_token) return options.signedIn(answer.body);
      options.refused({ ...answer, body: refusalText(answer.body, termsAsked) });
    })
    .catch(() => {
      options.busy?.(false);
      showTermsStep(awaitingTerms !== null);
      options.refused({
        ok: false,
        status: 0,
        body: { formError: sharedText('form.script.signInUnreachable', 'The sign-in service could not be reached. Check your connection and try again.') },
      });
    });
}

/** The refusal as the page shows it: the sentence for linking, or for the terms step (its field is the step's own). */
function refusalText(body: SignInTokens | null, termsAsked: boolean): ApiBody | null {
  if (body?.error === 'account_exists_sign_in_to_link') return { ...body, formError: LINK_TEXT };
  if (termsAsked)
    return {
      error: body?.error,
      formError: sharedText('webSignIn.script.termsNeeded', 'Accept the terms of use to create your account, then press Create account.'),
    };
  return body;
}

export function resumeWebSignIn(options: WebSignInOptions): void {
  document.getElementById('web-sign-in-create')?.addEventListener('click', acceptTerms);
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
  if (failure || !handoff) {
    options.refused({
      ok: false,
      status: 0,
      body: { error: failure && FAILURE_TEXT[failure] ? failure : 'provider_refused', formError: FAILURE_TEXT[failure ?? ''] ?? FAILURE_TEXT.provider_refused },
    });
    return;
  }
  finishWebSignIn(options, { handoff });
}
