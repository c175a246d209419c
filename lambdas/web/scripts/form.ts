/**
 * Browser helpers shared by the page scripts (bundled into each page's inline
 * script by `npm run build:pages`): element lookup, the page's JSON island,
 * per-field messages with aria-invalid, the form error, busy buttons and a
 * JSON POST to the API next to the page.
 */

/** What the API answers on an error (and some successes): the documented error shape, loosely. */
export interface ApiBody {
  error?: string;
  formError?: string;
  fieldErrors?: Record<string, string | boolean>;
  message?: string;
}

export interface Answer<T = ApiBody> {
  ok: boolean;
  status: number;
  body: T | null;
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
export const inputById = (id: string): HTMLInputElement => $<HTMLInputElement>(id);
export const buttonById = (id: string): HTMLButtonElement => $<HTMLButtonElement>(id);

/** Data the server put in `#page-data`: never interpolated into script text, so the script's hash stays fixed. */
export function readPageData<T>(): T {
  const island = document.getElementById('page-data');
  return JSON.parse(island?.textContent || '{}') as T;
}

/**
 * A message in the page's language: the page puts the texts its script says in
 * `#page-data` (`messages`, from the catalogues in lambdas/core/i18n), so the
 * script bytes and their CSP hash stay the same in every language.
 */
export function pageText(messages: Record<string, string> | undefined, key: string, params: Record<string, string> = {}): string {
  const template = messages?.[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/**
 * A text of a script several pages share (second factor, passkeys): the page's
 * language where the page sent the key in its `messages`, else the English given.
 */
export function sharedText(key: string, english: string, params: Record<string, string> = {}): string {
  const { messages } = readPageData<{ messages?: Record<string, string> }>();
  return pageText({ [key]: english, ...messages }, key, params);
}

/** The API sits next to the page: `/prod/login` -> `/prod`, `/login` -> ``. */
export const apiBase = (pagePath: RegExp): string => window.location.pathname.replace(pagePath, '');

/** A form field: its name in `fieldErrors`, its input and its message slot. */
export interface Field {
  name: string;
  input: string;
  error: string;
}

export const field = (name: string, input: string = name, error = `${input}-error`): Field => ({ name, input, error });

/** A form's error slots: the form-level message and its fields. */
export interface ErrorSlots {
  formError: string;
  fields: Field[];
}

function setFieldError(slot: Field, message: string | boolean | undefined): void {
  const input = $(slot.input);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  $(slot.error).textContent = typeof message === 'string' ? message : '';
}

export function clearErrors(slots: ErrorSlots): void {
  $(slots.formError).textContent = '';
  for (const slot of slots.fields) setFieldError(slot, undefined);
}

/**
 * The API's answers in the page's language. The API keeps its documented English
 * `formError` and `fieldErrors`; the page picks its own sentence by the answer's
 * `error` code (and, for a refused form, by the field's name). A code the table
 * does not know, or a page that sent none of these keys, keeps the API's words.
 */
interface AnswerText {
  form?: string;
  /** The form text when the API's English says the person must wait (`invalid_credentials` after many failures). */
  formWhenWaiting?: string;
  fields?: Record<string, string>;
  /**
   * The fields' sentences of a refused form (`FIELD_TEXTS`), for pages not in English: one sentence per field names
   * its rules, where the API's English names the exact problem ("too common", "too long"), which English pages keep.
   */
  ruleFields?: boolean;
}
/** A refused form's fields (`invalid_request` from zod, `invalid_registration`, the policy's `weak_password`). */
const FIELD_TEXTS: Record<string, string> = {
  email: 'form.answer.emailField',
  password: 'form.answer.passwordField',
  newPassword: 'form.answer.passwordField',
  passwordConfirmation: 'form.answer.passwordConfirmationField',
  firstName: 'form.answer.firstNameField',
  lastName: 'form.answer.lastNameField',
  approveTermsOfUse: 'form.answer.termsField',
  otp: 'form.answer.invalidOtpField',
};
const REFUSED_FORM: AnswerText = { form: 'form.script.correct', ruleFields: true };
const OTP_ASKED: AnswerText = { form: 'form.answer.mfaRequired', fields: { otp: 'factor.script.enterCodeField' } };
const PARTNER_DOWN: AnswerText = { form: 'form.answer.partnerUnavailable' };
export const ANSWER_TEXTS: Record<string, AnswerText> = {
  invalid_request: REFUSED_FORM,
  invalid_registration: REFUSED_FORM,
  weak_password: { form: 'account.error.weakPassword', ruleFields: true },
  invalid_credentials: { form: 'form.answer.invalidCredentials', formWhenWaiting: 'form.answer.invalidCredentialsWait' },
  email_not_verified: { form: 'form.answer.emailNotVerified' },
  mfa_required: OTP_ASKED,
  invalid_otp: { form: 'form.answer.invalidOtp', fields: { otp: 'form.answer.invalidOtpField' } },
  otp_reused: { form: 'form.answer.otpReused', fields: { otp: 'form.answer.otpReusedField' } },
  email_taken: { form: 'signup.script.email_taken', fields: { email: 'signup.script.email_taken' } },
  address_banned: { form: 'signup.script.address_banned', fields: { email: 'signup.script.address_banned' } },
  invalid_challenge: { form: 'form.answer.passkeyExpired' },
  invalid_passkey: { form: 'form.answer.passkeyInvalid' },
  unknown_passkey: { form: 'form.answer.passkeyUnknown' },
  // /activate's code refusals (core/oauth/activation.ts).
  unknown_code: { form: 'activate.script.unknown_code', fields: { user_code: 'activate.script.unknown_code' } },
  code_used: { form: 'activate.script.code_used', fields: { user_code: 'activate.script.code_used' } },
  code_denied: { form: 'activate.script.code_denied', fields: { user_code: 'activate.script.code_denied' } },
  code_expired: { form: 'activate.script.code_expired', fields: { user_code: 'activate.script.code_expired' } },
  // The web sign-in's callback codes (`#federated_error`, core/federation/web-sign-in.ts) and its web-session answers.
  state_invalid: { form: 'form.answer.webSignInExpired' },
  provider_refused: { form: 'form.answer.providerRefused' },
  provider_unavailable: { form: 'form.answer.providerUnavailable' },
  invalid_id_token: { form: 'form.answer.providerTokenRejected' },
  email_required: { form: 'form.answer.providerNoEmail' },
  account_exists_sign_in_to_link: { form: 'form.answer.signInToLink' },
  partner_unavailable: PARTNER_DOWN,
  partner_timeout: PARTNER_DOWN,
  partner_busy: PARTNER_DOWN,
  partner_rejected: PARTNER_DOWN,
  partner_bad_answer: PARTNER_DOWN,
  temporarily_unavailable: { form: 'form.answer.serviceBusy' },
  internal_error: { form: 'form.answer.internal' },
  // The account's own answers (scripts/page-texts.ts).
  current_password_required: { form: 'account.error.currentPasswordRequired', fields: { currentPassword: 'account.error.currentPasswordRequired' } },
  invalid_current_password: { form: 'account.error.invalidCurrentPassword', fields: { currentPassword: 'account.error.invalidCurrentPassword' } },
  same_email: { form: 'account.error.sameEmail', fields: { newEmail: 'account.error.sameEmailField' } },
  too_many_attempts: { form: 'account.error.tooManyAttempts' },
  last_sign_in_method: { form: 'linked.script.lastMethod' },
};

/** `account_disabled` has no code of its own (403 `forbidden`): the API's one sentence for it names it. */
const DISABLED_ENGLISH = 'This account has been disabled. Please contact support.';

/** The answer with its sentences in the page's language where `messages` has them; anything else as the API said it. */
export function inPageLanguage<T extends ApiBody>(body: T | null, messages: Record<string, string> | undefined): T | null {
  if (!body || !messages) return body;
  const known = body.error === 'forbidden' && body.formError === DISABLED_ENGLISH ? { form: 'form.answer.accountDisabled' } : ANSWER_TEXTS[body.error ?? ''];
  if (!known) return body;
  const waiting = known.formWhenWaiting && /\bwait\b/i.test(body.formError ?? '') ? known.formWhenWaiting : known.form;
  const formKey = waiting && messages[waiting] ? waiting : undefined;
  const english = typeof document === 'undefined' || /^en\b/.test(document.documentElement.lang || 'en');
  const fieldKeys = { ...(known.ruleFields && !english ? FIELD_TEXTS : {}), ...known.fields };
  const fieldErrors: Record<string, string | boolean> = { ...(body.fieldErrors ?? {}) };
  for (const [name, message] of Object.entries(fieldErrors)) {
    const key = fieldKeys[name];
    if (typeof message === 'string' && key && messages[key]) fieldErrors[name] = pageText(messages, key);
  }
  return { ...body, ...(formKey ? { formError: pageText(messages, formKey) } : {}), fieldErrors };
}

const pageMessages = () => readPageData<{ messages?: Record<string, string> }>().messages;

/** The answer's `formError` in the page's language (undefined when the answer has none). */
export const formErrorOf = (body: ApiBody | null): string | undefined => inPageLanguage(body, pageMessages())?.formError;

/** The form-level text: the (translated) `formError`, or `<failure> (HTTP n). Please try again.` */
export function failureText(body: ApiBody | null, httpStatus: number, failure = sharedText('form.script.failed', 'That did not work')): string {
  const answer = inPageLanguage(body, pageMessages());
  return (
    (answer && typeof answer.formError === 'string' && answer.formError) ||
    (httpStatus
      ? sharedText('form.script.failedHttp', '{failure} (HTTP {status}). Please try again.', { failure, status: String(httpStatus) })
      : sharedText('form.script.failedRetry', '{failure}. Please try again.', { failure }))
  );
}

export interface ShowOptions {
  /** The form-level message; default `failureText(body, status)`. */
  formError?: string;
  /** Focus the first field when no field is in error (forms whose only sensible next step is that field). */
  focusFirstField?: boolean;
}

/**
 * Marks every field from `fieldErrors`, writes the form error and focuses the first field in error.
 * The answer is said in the page's language (`inPageLanguage`); one error is said once: a form
 * error that only repeats a field's message becomes "Please correct the highlighted field".
 */
export function showErrors(slots: ErrorSlots, answer: ApiBody | null, httpStatus: number, options: ShowOptions = {}): void {
  const body = inPageLanguage(answer, pageMessages());
  const fieldErrors = (body && typeof body.fieldErrors === 'object' && body.fieldErrors) || {};
  let first: Field | null = null;
  const shown: string[] = [];
  slots.fields.forEach((slot) => {
    const message = fieldErrors[slot.name];
    setFieldError(slot, message);
    if (typeof message === 'string' && message) shown.push(message);
    if (message && !first) first = slot;
  });
  const formError = options.formError ?? failureText(body, httpStatus);
  $(slots.formError).textContent = shown.includes(formError)
    ? shown.length === 1
      ? sharedText('form.script.correctOne', 'Please correct the highlighted field.')
      : sharedText('form.script.correct', 'Please correct the highlighted fields.')
    : formError;
  const focus: Field | null = first ?? (options.focusFirstField === false ? null : (slots.fields[0] ?? null));
  if (focus) $(focus.input).focus();
}

/** Email and password of a sign-in form, checked for presence before anything is sent. */
export function readCredentials(report: (problem: ApiBody) => void): { email: string; password: string } | null {
  const email = inputById('email').value.trim();
  const password = inputById('password').value;
  const missing: Record<string, string> = {};
  if (!email) missing.email = sharedText('form.script.enterEmail', 'Enter your email address.');
  if (!password) missing.password = sharedText('form.script.enterPassword', 'Enter your password.');
  if (missing.email || missing.password) {
    report({ formError: sharedText('form.script.fillIn', 'Please fill in the highlighted fields.'), fieldErrors: missing });
    return null;
  }
  return { email, password };
}

/** Marks buttons busy (and disabled) while a request runs, and says so to screen readers. */
export function setBusy(buttons: HTMLButtonElement[], on: boolean, status?: { element: HTMLElement; message: string }): void {
  buttons.forEach((button) => {
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    button.disabled = on;
  });
  if (status) status.element.textContent = on ? status.message : '';
}

/** A JSON POST that never sends cookies; the answer's body is null when it is not JSON. */
export function postJson<T = ApiBody>(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  return fetch(url, {
    method: 'POST',
    headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, headers),
    body: JSON.stringify(payload),
    credentials: 'omit',
    cache: 'no-store',
  }).then((response) =>
    response
      .json()
      .catch(() => null)
      .then((body: T | null) => ({ ok: response.ok, status: response.status, body })),
  );
}

/** Shows one of a page's sections and hides the others. */
export const showOnly = (sections: string[], shown: string): void => {
  sections.forEach((id) => {
    $(id).hidden = id !== shown;
  });
};
