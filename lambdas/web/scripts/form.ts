/**
 * Browser helpers shared by the page scripts (bundled into each page's inline
 * script by `npm run build:pages`): element lookup, the page's JSON island,
 * per-field messages with aria-invalid, the form error, busy buttons and a
 * JSON POST to the API next to the page.
 */
import { type ApiBody, inPageLanguage as answerInPageLanguage } from './answer-texts';

export type { ApiBody } from './answer-texts';

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

const pageMessages = () => readPageData<{ messages?: Record<string, string> }>().messages;
/** The page's words for an API answer (answer-texts.ts); an English page keeps the API's exact field words. */
export const inPageLanguage = <T extends ApiBody>(body: T | null, messages = pageMessages()): T | null =>
  answerInPageLanguage(body, messages, /^en\b/.test(document.documentElement.lang || 'en'));

/** The answer's `formError` in the page's language (undefined when the answer has none). */
export const formErrorOf = (body: ApiBody | null): string | undefined => inPageLanguage(body)?.formError;

/** The form-level text: the (translated) `formError`, or `<failure> (HTTP n). Please try again.` */
export function failureText(body: ApiBody | null, httpStatus: number, failure = sharedText('form.script.failed', 'That did not work')): string {
  const answer = inPageLanguage(body);
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
  const body = inPageLanguage(answer);
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
