import type { Translator } from '../core/i18n/translate';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/password-policy';
import type { ProfileFieldSpec } from '../core/profile-fields';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/signup-script.json';
import { answerMessages, emailField, webSignInButtons } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

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
export const extraFieldIn =
  ({ t }: Translator) =>
  (spec: ProfileFieldSpec): string => {
    const id = `extra-${spec.name}`;
    const label = escapeHtml(labelOf(spec.name));
    const optional = `<span class="optional">${escapeHtml(t('signup.optional'))}</span>`;
    if (spec.type === 'boolean')
      return `
<div class="check"><input id="${id}" name="${spec.name}" type="checkbox" aria-describedby="${id}-error"><label for="${id}">${label}</label></div>
<p id="${id}-error" class="field-error"></p>`;
    const numeric = spec.type === 'number' ? ' inputmode="decimal"' : '';
    return `
<label for="${id}">${label} ${optional}</label>
<input id="${id}" name="${spec.name}" type="text"${numeric} maxlength="${spec.maxLength}" aria-describedby="${id}-error">
<p id="${id}-error" class="field-error"></p>`;
  };

/** An extra field in English (pages that do not pass their language yet). */
export const extraField = extraFieldIn(textsOf());

/** What scripts/signup.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator): Record<string, string> => {
  const { t } = texts;
  return {
    ...answerMessages(texts),
    'signup.strength': t('signup.strength', { min: PASSWORD_MIN_LENGTH }),
    'signup.script.tooShortOne': t('signup.script.tooShortOne'),
    'signup.script.tooShortOther': t('signup.script.tooShortOther'),
    'signup.script.tooLong': t('signup.script.tooLong', { max: PASSWORD_MAX_LENGTH }),
    'signup.script.fair': t('signup.script.fair'),
    'signup.script.strong': t('signup.script.strong'),
    'signup.script.missingFirstName': t('signup.script.missingFirstName'),
    'signup.script.missingLastName': t('signup.script.missingLastName'),
    'signup.script.missingEmail': t('signup.script.missingEmail'),
    'signup.script.missingPassword': t('signup.script.missingPassword'),
    'signup.script.fillIn': t('signup.script.fillIn'),
    'signup.inboxTitle': t('signup.inboxTitle'),
    'signup.script.busy': t('signup.script.busy'),
    'signup.script.resendBusy': t('signup.script.resendBusy'),
    'signup.script.resent': t('signup.script.resent'),
    'signup.script.resendFailed': t('signup.script.resendFailed'),
    'signup.script.unreachable': t('signup.script.unreachable'),
    'signup.script.failed': t('signup.script.failed'),
    'signup.script.email_taken': t('signup.script.email_taken'),
    'signup.script.address_banned': t('signup.script.address_banned'),
  };
};

const optionalMark = ({ t }: Translator) => ` <span class="optional">${escapeHtml(t('signup.optional'))}</span>`;

const body = (options: SignupPageOptions, texts: Translator) => {
  const { t } = texts;
  return `
<h1 id="title" tabindex="-1">${escapeHtml(t('signup.title'))}</h1>
<section id="register">
  <p class="hint">${escapeHtml(t('signup.hint'))} <a href="account">${escapeHtml(t('signup.hintSignIn'))}</a>.</p>
  <form id="signup-form" novalidate aria-describedby="signup-form-error">
    <div id="signup-form-error" class="form-error" role="alert"></div>
    <label for="firstName">${escapeHtml(t('signup.firstName'))}</label>
    <input id="firstName" name="firstName" type="text" autocomplete="given-name" maxlength="100" required aria-describedby="firstName-error">
    <p id="firstName-error" class="field-error"></p>
    <label for="lastName">${escapeHtml(t('signup.lastName'))}</label>
    <input id="lastName" name="lastName" type="text" autocomplete="family-name" maxlength="100" required aria-describedby="lastName-error">
    <p id="lastName-error" class="field-error"></p>
    ${emailField('email', escapeHtml(t('form.email')), 'email')}
    <label for="password">${escapeHtml(t('form.password'))}</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-strength password-error">
    <p id="password-strength" class="hint strength" aria-live="polite">${escapeHtml(t('signup.strength', { min: PASSWORD_MIN_LENGTH }))}</p>
    <p id="password-error" class="field-error"></p>
    ${options.extraFields.map(extraFieldIn(texts)).join('')}
    <div class="check"><input id="approveTermsOfUse" name="approveTermsOfUse" type="checkbox"${options.termsRequired ? ' required' : ''} aria-describedby="approveTermsOfUse-error"><label for="approveTermsOfUse">${escapeHtml(t('signup.terms'))}${options.termsRequired ? '' : optionalMark(texts)}</label></div>
    <p id="approveTermsOfUse-error" class="field-error"></p>
    <div class="check"><input id="approveMarketing" name="approveMarketing" type="checkbox" aria-describedby="approveMarketing-error"><label for="approveMarketing">${escapeHtml(t('signup.marketing'))}${optionalMark(texts)}</label></div>
    <p id="approveMarketing-error" class="field-error"></p>
    <button id="signup-submit" type="submit" aria-busy="false">${escapeHtml(t('form.createAccount'))}</button>
    ${webSignInButtons(options.providers ?? [], 'account', texts)}
  </form>
</section>
<section id="inbox" hidden>
  <p class="notice">${escapeHtml(t('signup.inboxSent'))} <strong id="inbox-email"></strong>. ${escapeHtml(t('signup.inboxOpen'))}</p>
  <button id="resend" type="button" class="secondary" aria-busy="false">${escapeHtml(t('signup.resend'))}</button>
  <p id="resend-status" class="notice" role="status" hidden></p>
  <p class="next">${escapeHtml(t('signup.confirmed'))} <a href="account">${escapeHtml(t('verify.nextAccount'))}</a>.</p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">${escapeHtml(t('form.needsJavaScript', { task: t('signup.task') }))}</p></noscript>`;
};

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
  const texts = textsOf(options.look);
  return renderPage({
    look: options.look,
    title: texts.t('signup.title'),
    body: body(options, texts),
    script: SCRIPT,
    style: SIGNUP_STYLE,
    data: {
      extraFields: options.extraFields.map((spec) => ({ name: spec.name, type: spec.type })),
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      messages: scriptMessages(texts),
    },
  });
}
