/**
 * Form markup the pages share, so that the ids the page scripts rely on
 * (`<field>` and `<field>-error`, `<form>-error`) are written in one place.
 */

import { type Translator, translator } from '../core/i18n/translate';
import { PASSWORD_MIN_LENGTH } from '../core/password-policy';
import { escapeHtml } from './page';
import { scriptMessages } from './script-messages';

/** Pages not yet given a language pass nothing and get English. */
const ENGLISH = translator('en');

/** A labelled email input with its message slot. */
export const emailField = (id: string, label: string, autocomplete: string): string => `
<label for="${id}">${label}</label>
<input id="${id}" name="email" type="email" autocomplete="${autocomplete}"${autocomplete === 'off' ? '' : ' autocapitalize="none" spellcheck="false"'} required aria-describedby="${id}-error">
<p id="${id}-error" class="field-error"></p>`;

/** Email and password for signing in (ids `email` and `password`, as the scripts' `readCredentials` expects). */
export const credentialFields = ({ t }: Translator = ENGLISH): string => `${emailField('email', escapeHtml(t('form.email')), 'username webauthn')}
<label for="password">${escapeHtml(t('form.password'))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error">
<p id="password-error" class="field-error"></p>`;

/** The "Send a new link" box for an `email_not_verified` refusal (see scripts/verify-resend.ts); hidden until then. */
export const verifyResendBox = ({ t }: Translator = ENGLISH): string => `
<div id="verify-box" hidden>
  <button id="resend" type="button" class="secondary">${escapeHtml(t('form.sendNewLink'))}</button>
  <p id="resend-status" class="notice" role="status" hidden></p>
</div>`;

/**
 * The end of a page opened from an emailed link: the "send me a new link"
 * form, the done notice and the status line (see scripts/link-page.ts).
 */
export const linkPageTail = (options: { hint: string; button: string; needs: string; next: string }, texts: Translator = ENGLISH): string => `
<section id="request-link" hidden>
  <form id="request-form" novalidate aria-describedby="request-form-error">
    <p id="link-problem" class="form-error" hidden></p>
    <p class="hint">${options.hint}</p>
    <div id="request-form-error" class="form-error" role="alert"></div>
    ${emailField('email', escapeHtml(texts.t('form.email')), 'email')}
    <button id="request-submit" type="submit" aria-busy="false">${options.button}</button>
  </form>
</section>
${doneStep('done', options.needs, options.next, texts)}`;

/**
 * The one-button main step of a page opened from an emailed link (confirm the address, confirm the new
 * address): its ids (`confirm`, `confirm-form`, `confirm-form-error`, `confirm-submit`) are what the pages'
 * scripts read. `hint` and `button` are plain text.
 */
export const confirmStep = (hint: string, button: string): string => `<section id="confirm" hidden>
  <form id="confirm-form" novalidate aria-describedby="confirm-form-error">
    <p class="hint">${escapeHtml(hint)}</p>
    <div id="confirm-form-error" class="form-error" role="alert"></div>
    <button id="confirm-submit" type="submit" aria-busy="false">${escapeHtml(button)}</button>
  </form>
</section>`;

/**
 * The closing notice of a page with steps, its screen-reader status line and
 * the no-JavaScript note. `next` (HTML) is the step after it: no page ends in
 * a dead end.
 */
export const doneStep = (sectionId: string, needs: string, next: string, { t }: Translator = ENGLISH): string => `
<section id="${sectionId}" hidden>
  <p id="done-text" class="notice" role="status"></p>
  <p id="done-next" class="next">${next}</p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">${escapeHtml(t('form.needsJavaScript', { task: needs }))}</p></noscript>
`;

/** The links of a sign-in form for people without an account or without their password (relative: they work under a stage path). */
export const accountHelpLinks = ({ t }: Translator = ENGLISH): string =>
  `<p class="account-help"><a href="signup">${escapeHtml(t('form.createAccount'))}</a><span aria-hidden="true"> · </span><a href="reset-password">${escapeHtml(t('form.forgotPassword'))}</a></p>`;

/** Style of `accountHelpLinks` and of the next step under a done notice. */
export const NEXT_STEP_STYLE = `
.account-help{margin:1.25rem 0 0;text-align:center;font-size:.9rem}
.account-help a,.next a{color:var(--accent)}
.next{margin:1rem 0 0}
`;

/** Style of the pages opened from an emailed link: the focusable title and the problem notice. */
export const LINK_PAGE_STYLE = `
h1[tabindex="-1"]:focus{outline:none}
#link-problem{margin:0 0 1rem}
${NEXT_STEP_STYLE}`;

/** What scripts/link-page.ts reads from `#page-data`: the token only while the link may still work; `returnTo` already allow-listed (http/return-to.ts). */
export function linkPageData(options: { state: string; token?: string; problem?: string; returnTo?: string }): {
  state: string;
  token: string;
  problem: string;
  returnTo: string;
} {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return { state: options.state, token: withToken ? (options.token ?? '') : '', problem: options.problem ?? '', returnTo: options.returnTo ?? '' };
}

/** What scripts/link-page.ts says (the new-link form and the done step), in the page's language: each link page adds them to its `messages`. */
export const linkPageMessages = (texts: Translator): Record<string, string> => {
  const { t } = texts;
  return {
    ...answerMessages(texts),
    'link.script.cannotUse': t('link.script.cannotUse'),
    'link.script.continue': t('link.script.continue'),
    'link.script.fillIn': t('link.script.fillIn'),
    'link.script.enterEmail': t('link.script.enterEmail'),
    'link.script.sending': t('link.script.sending'),
    'link.script.checkEmail': t('link.script.checkEmail'),
    'link.script.unreachable': t('link.script.unreachable'),
  };
};

/**
 * What scripts/form.ts says on every form (missing fields, failures) and the API's answers it says in the
 * page's language (`ANSWER_TEXTS`): every page with a form adds them to its `messages`.
 */
export const answerMessages = (texts: Translator): Record<string, string> => ({
  ...scriptMessages(texts, ['form.script.*', 'form.answer.*']),
  'form.answer.passwordField': texts.t('form.answer.passwordField', { min: PASSWORD_MIN_LENGTH }),
  'account.error.weakPassword': texts.t('account.error.weakPassword'),
  'account.error.tooManyAttempts': texts.t('account.error.tooManyAttempts'),
  'signup.script.email_taken': texts.t('signup.script.email_taken'),
  'signup.script.address_banned': texts.t('signup.script.address_banned'),
  'factor.script.enterCodeField': texts.t('factor.script.enterCodeField'),
});

/** What scripts/second-factor.ts, scripts/passkeys.ts and scripts/web-sign-in.ts say, in the page's language: sign-in pages add them to their `messages`. */
export const secondFactorMessages = ({ t }: Translator): Record<string, string> => ({
  'form.otpLabel': t('form.otpLabel'),
  'form.otpHint': t('form.otpHint'),
  'form.otpRecovery': t('form.otpRecovery'),
  'factor.script.recoveryLabel': t('factor.script.recoveryLabel'),
  'factor.script.recoveryHint': t('factor.script.recoveryHint'),
  'factor.script.useApp': t('factor.script.useApp'),
  'factor.script.passkeyFailed': t('factor.script.passkeyFailed'),
  'factor.script.enterCode': t('factor.script.enterCode'),
  'factor.script.enterCodeField': t('factor.script.enterCodeField'),
  'factor.script.unreachable': t('factor.script.unreachable'),
  'passkey.script.closed': t('passkey.script.closed'),
  'passkey.script.unsupported': t('passkey.script.unsupported'),
  'webSignIn.script.termsNeeded': t('webSignIn.script.termsNeeded'),
  'webSignIn.script.termsMissing': t('webSignIn.script.termsMissing'),
});

/**
 * The one-time-code field of a sign-in form (docs/security.md): hidden until the
 * API answers 403 `mfa_required`, then the same request goes again with `otp`
 * (see scripts/second-factor.ts). Digits by default; "Use a recovery code"
 * switches the keyboard to text; "Use a passkey instead" (where the browser can)
 * answers with a passkey (`passkey`) instead of a code.
 */
export const oneTimeCodeField = (id = 'otp', { t }: Translator = ENGLISH): string => `
<div id="${id}-box" class="otp-box" hidden>
  <label id="${id}-label" for="${id}">${escapeHtml(t('form.otpLabel'))}</label>
  <input id="${id}" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" autocorrect="off" spellcheck="false" maxlength="40" aria-describedby="${id}-hint ${id}-error">
  <p id="${id}-hint" class="hint">${escapeHtml(t('form.otpHint'))}</p>
  <p id="${id}-error" class="field-error"></p>
  <button id="${id}-mode" type="button" class="link">${escapeHtml(t('form.otpRecovery'))}</button>
  <button id="${id}-passkey" type="button" class="link" hidden>${escapeHtml(t('form.otpPasskey'))}</button>
</div>`;

/** The step-up dialog: a sensitive action answered 403 `step_up_required`; a code here, then the action runs once more. */
export const stepUpDialog = (texts: Translator = ENGLISH): string => `
<dialog id="step-up" class="step-up" aria-labelledby="step-up-title" aria-describedby="step-up-text">
  <form id="step-up-form" novalidate aria-describedby="step-up-error">
    <h2 id="step-up-title">${escapeHtml(texts.t('form.stepUpTitle'))}</h2>
    <p id="step-up-text" class="hint">${escapeHtml(texts.t('form.stepUpText'))}</p>
    <div id="step-up-error" class="form-error" role="alert"></div>
    ${oneTimeCodeField('step-up-otp', texts)}
    <div class="row"><button id="step-up-submit" type="submit" aria-busy="false">${escapeHtml(texts.t('form.stepUpConfirm'))}</button><button id="step-up-cancel" type="button" class="secondary">${escapeHtml(texts.t('form.stepUpCancel'))}</button></div>
  </form>
</dialog>`;

/** Style of the code field and the step-up dialog. */
export const SECOND_FACTOR_STYLE = `
.otp-box input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.1em}
button.link{display:inline;width:auto;margin:.25rem 0 0;padding:0;background:none;border:0;color:var(--accent);font:inherit;font-size:.9rem;font-weight:400;text-decoration:underline;cursor:pointer}
dialog.step-up{border:1px solid var(--border);border-radius:12px;background:var(--card);color:var(--text);width:min(28rem,calc(100vw - 2rem))}
dialog.step-up::backdrop{background:rgba(0,0,0,.4)}
dialog.step-up h2{margin-top:0;font-size:1.2rem}
dialog.step-up .row{display:flex;gap:.5rem;flex-wrap:wrap}
dialog.step-up .row button{flex:1}
`;

/** "Sign in with a passkey" (scripts/passkeys.ts): hidden until the script knows the browser can use passkeys. */
export const passkeySignInButton = ({ t }: Translator = ENGLISH): string =>
  `<button id="passkey-sign-in" type="button" class="secondary" aria-busy="false" hidden>${escapeHtml(t('form.passkeySignIn'))}</button>`;

/**
 * The ways to sign in, in the order every sign-in form (/login, /activate, /account, /portal) offers them: email
 * and password, the code field the API may ask for, the form's own submit button (`submit`, HTML), a passkey
 * instead, then the providers configured for the web.
 */
export const signInMethods = (
  submit: string,
  texts: Translator,
  providers: readonly ('apple' | 'google')[],
  termsUrl?: string,
): string => `${credentialFields(texts)}
  ${oneTimeCodeField('otp', texts)}
    ${submit}
    ${passkeySignInButton(texts)}
    ${webSignInButtons(providers, undefined, texts, termsUrl)}`;

/**
 * The sign-in form of the signed-in pages (/account, /portal): email and password, the code when asked, a passkey
 * instead, and the links to sign up and reset. Its ids (`sign-in-form`, `sign-in-error`, `sign-in-button`) are what
 * the pages' scripts read.
 */
export const signInForm = (
  texts: Translator = ENGLISH,
  providers: readonly ('apple' | 'google')[] = [],
  termsUrl?: string,
): string => `<form id="sign-in-form" novalidate aria-describedby="sign-in-error">
    <div id="sign-in-error" class="form-error" role="alert"></div>
  ${signInMethods(`<button id="sign-in-button" type="submit" aria-busy="false">${escapeHtml(texts.t('form.signIn'))}</button>`, texts, providers, termsUrl)}
  </form>
  ${accountHelpLinks(texts)}`;

const APPLE_LOGO =
  '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path fill="currentColor" d="M16.365 1.43c0 1.14-.493 2.27-1.177 3.08-.744.9-1.99 1.57-2.987 1.57-.12 0-.23-.02-.3-.03-.01-.06-.04-.22-.04-.39 0-1.15.572-2.27 1.206-2.98.804-.94 2.142-1.64 3.248-1.68.03.13.05.28.05.43zm4.565 15.71c-.03.07-.463 1.58-1.518 3.12-.945 1.34-1.94 2.71-3.43 2.71-1.517 0-1.9-.88-3.63-.88-1.698 0-2.302.91-3.67.91-1.377 0-2.332-1.26-3.428-2.8-1.287-1.82-2.323-4.63-2.323-7.28 0-4.28 2.797-6.55 5.552-6.55 1.448 0 2.675.95 3.6.95.865 0 2.222-1.01 3.902-1.01.613 0 2.886.06 4.374 2.19-.13.09-2.383 1.37-2.383 4.19 0 3.26 2.854 4.42 2.955 4.45z"/></svg>';

const GOOGLE_LOGO =
  '<svg viewBox="0 0 48 48" width="18" height="18" aria-hidden="true" focusable="false"><path fill="#EA4335" d="M24 9.5c3.54 0 6.71 1.22 9.21 3.6l6.85-6.85C35.9 2.38 30.47 0 24 0 14.62 0 6.51 5.38 2.56 13.22l7.98 6.19C12.43 13.72 17.74 9.5 24 9.5z"/><path fill="#4285F4" d="M46.98 24.55c0-1.57-.15-3.09-.38-4.55H24v9.02h12.94c-.58 2.96-2.26 5.48-4.78 7.18l7.73 6c4.51-4.18 7.09-10.36 7.09-17.65z"/><path fill="#FBBC05" d="M10.53 28.59c-.48-1.45-.76-2.99-.76-4.59s.27-3.14.76-4.59l-7.98-6.19C.92 16.46 0 20.12 0 24c0 3.88.92 7.54 2.56 10.78l7.97-6.19z"/><path fill="#34A853" d="M24 48c6.48 0 11.93-2.13 15.89-5.81l-7.73-6c-2.15 1.45-4.92 2.3-8.16 2.3-6.26 0-11.57-4.22-13.47-9.91l-7.98 6.19C6.51 42.62 14.62 48 24 48z"/></svg>';

/**
 * "Continue with Apple" (Apple's guidelines: black, or white on dark, with the Apple logo) and "Continue with
 * Google" (Google's: the four-colour G on a white or neutral button, the standard text), as plain links to the web
 * flow: the page's script adds `return_to` (web-sign-in.ts). `returnTo` fixes where it continues (sign-up: /account).
 * Only the providers configured for the web are offered.
 */
export const webSignInButtons = (providers: readonly ('apple' | 'google')[], returnTo?: string, texts: Translator = ENGLISH, termsUrl?: string): string =>
  providers.length === 0
    ? ''
    : providers
        .map((provider) => {
          const [logo, text] = provider === 'apple' ? [APPLE_LOGO, texts.t('form.continueApple')] : [GOOGLE_LOGO, texts.t('form.continueGoogle')];
          const target = returnTo ? ` data-return-to="${returnTo}"` : '';
          return `<a class="web-sign-in ${provider}" id="web-sign-in-${provider}" data-web-sign-in="${provider}"${target} href="login-flow/web-sign-in/${provider}/start">${logo}<span>${escapeHtml(text)}</span></a>`;
        })
        // The terms step sits on the page the sign-in comes back to: not on one that continues elsewhere (sign-up: /account).
        .join('') + (returnTo ? '' : webSignInTerms(texts, termsUrl));

/**
 * The terms step of a sign-in with Apple / Google that would create an account on a platform that requires terms
 * (TERMS_REQUIRED): hidden until POST /login-flow/web-session names `approveTermsOfUse`, then scripts/web-sign-in.ts
 * sends the kept hand-off again with the terms accepted. Buttons, not a form: it sits inside the page's sign-in form.
 */
const webSignInTerms = ({ t }: Translator, termsUrl?: string): string => `
<div id="web-sign-in-terms" class="web-sign-in-terms" hidden>
  <p class="hint">${escapeHtml(t('form.webSignInTerms'))}${termsUrl ? ` <a href="${escapeHtml(termsUrl)}" target="_blank" rel="noopener">${escapeHtml(t('form.webSignInTermsLink'))}</a>` : ''}</p>
  <div class="check"><input id="web-sign-in-accept" type="checkbox" aria-describedby="web-sign-in-accept-error"><label for="web-sign-in-accept">${escapeHtml(t('signup.terms'))}</label></div>
  <p id="web-sign-in-accept-error" class="field-error"></p>
  <button id="web-sign-in-create" type="button" aria-busy="false">${escapeHtml(t('form.createAccount'))}</button>
</div>`;
