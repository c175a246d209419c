import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/password-policy';
import type { ProfileFieldSpec } from '../core/profile-fields';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/signup-script.json';
import { emailField, webSignInButtons } from './markup';
import { escapeHtml, type PageLook, renderPage } from './page';

/**
 * The sign-up page (GET /signup): the fields and consents of
 * POST /login-flow/register (names, email, password, terms when
 * TERMS_REQUIRED, marketing, the platform's REGISTRATION_EXTRA_FIELDS), then
 * the "check your inbox" step: registration itself sends the verification
 * link, and "Send me a new link" asks /verify-email/resend for another.
 * The server's answers decide; the page only mirrors the length rules live.
 */
export interface SignupPageOptions {
  termsRequired: boolean;
  extraFields: readonly ProfileFieldSpec[];
  /** The providers offered as "Continue with ..." (configured for the web); the account page picks the sign-in up. */
  providers?: readonly ('apple' | 'google')[];
}

/** `companyName` -> `Company name`: the configuration names the field, the page needs words. */
const labelOf = (name: string): string => {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Extra fields carry the configured name as id and `name`, so the API's `fieldErrors` land under them. */
export const extraField = (spec: ProfileFieldSpec): string => {
  const id = `extra-${spec.name}`;
  const label = escapeHtml(labelOf(spec.name));
  if (spec.type === 'boolean')
    return `
<div class="check"><input id="${id}" name="${spec.name}" type="checkbox" aria-describedby="${id}-error"><label for="${id}">${label}</label></div>
<p id="${id}-error" class="field-error"></p>`;
  const numeric = spec.type === 'number' ? ' inputmode="decimal"' : '';
  return `
<label for="${id}">${label} <span class="optional">(optional)</span></label>
<input id="${id}" name="${spec.name}" type="text"${numeric} maxlength="${spec.maxLength}" aria-describedby="${id}-error">
<p id="${id}-error" class="field-error"></p>`;
};

const body = (options: SignupPageOptions) => `
<h1 id="title" tabindex="-1">Create your account</h1>
<section id="register">
  <p class="hint">One account for the apps, your TV and our partners. Already have one? <a href="account">Sign in</a>.</p>
  <form id="signup-form" novalidate aria-describedby="signup-form-error">
    <div id="signup-form-error" class="form-error" role="alert"></div>
    <label for="firstName">First name</label>
    <input id="firstName" name="firstName" type="text" autocomplete="given-name" maxlength="100" required aria-describedby="firstName-error">
    <p id="firstName-error" class="field-error"></p>
    <label for="lastName">Last name</label>
    <input id="lastName" name="lastName" type="text" autocomplete="family-name" maxlength="100" required aria-describedby="lastName-error">
    <p id="lastName-error" class="field-error"></p>
    ${emailField('email', 'Email', 'email')}
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-strength password-error">
    <p id="password-strength" class="hint strength" aria-live="polite">At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password.</p>
    <p id="password-error" class="field-error"></p>
    ${options.extraFields.map(extraField).join('')}
    <div class="check"><input id="approveTermsOfUse" name="approveTermsOfUse" type="checkbox"${options.termsRequired ? ' required' : ''} aria-describedby="approveTermsOfUse-error"><label for="approveTermsOfUse">I accept the terms of use${options.termsRequired ? '' : ' <span class="optional">(optional)</span>'}</label></div>
    <p id="approveTermsOfUse-error" class="field-error"></p>
    <div class="check"><input id="approveMarketing" name="approveMarketing" type="checkbox" aria-describedby="approveMarketing-error"><label for="approveMarketing">Send me news and offers by email <span class="optional">(optional)</span></label></div>
    <p id="approveMarketing-error" class="field-error"></p>
    <button id="signup-submit" type="submit" aria-busy="false">Create account</button>
    ${webSignInButtons(options.providers ?? [], 'account')}
  </form>
</section>
<section id="inbox" hidden>
  <p class="notice">We sent a link to <strong id="inbox-email"></strong>. Open it to confirm that the address is yours. Check your spam folder if it does not arrive in a few minutes.</p>
  <button id="resend" type="button" class="secondary" aria-busy="false">Send me a new link</button>
  <p id="resend-status" class="notice" role="status" hidden></p>
  <p class="next">Confirmed it already? <a href="account">Sign in to your account</a>.</p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to create your account.</p></noscript>`;

export const SIGNUP_STYLE = `
h1[tabindex="-1"]:focus{outline:none}
.check{display:flex;gap:.6rem;align-items:flex-start;margin-top:1rem}
.check input{margin:.3rem 0 0;width:1.1rem;height:1.1rem;flex:none}
.check input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.check label{margin:0;font-weight:400}
.optional{color:var(--muted);font-weight:400;font-size:.9rem}
.strength[data-level=short]{color:var(--danger)}
.next{margin-top:1.5rem}
#inbox .notice,#resend-status{overflow-wrap:anywhere}
a{color:var(--accent)}
@media (max-width:30rem){main{width:100%;margin:0;padding:1.25rem 1rem;border-radius:0;border-width:0 0 1px}}
`;

export function signupPage(options: SignupPageOptions & { look?: PageLook }): HttpResult {
  return renderPage({
    look: options.look,
    title: 'Create your account',
    body: body(options),
    script: SCRIPT,
    style: SIGNUP_STYLE,
    data: {
      extraFields: options.extraFields.map((spec) => ({ name: spec.name, type: spec.type })),
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
    },
  });
}
