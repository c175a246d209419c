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

/** The form-level text: the server's `formError`, or `<failure> (HTTP n). Please try again.` */
export function failureText(body: ApiBody | null, httpStatus: number, failure = 'That did not work'): string {
  return (
    (body && typeof body.formError === 'string' && body.formError) ||
    (httpStatus ? `${failure} (HTTP ${httpStatus}). Please try again.` : `${failure}. Please try again.`)
  );
}

export interface ShowOptions {
  /** The form-level message; default `failureText(body, status)`. */
  formError?: string;
  /** Focus the first field when no field is in error (forms whose only sensible next step is that field). */
  focusFirstField?: boolean;
}

/** Marks every field from `fieldErrors`, writes the form error and focuses the first field in error. */
export function showErrors(slots: ErrorSlots, body: ApiBody | null, httpStatus: number, options: ShowOptions = {}): void {
  const fieldErrors = (body && typeof body.fieldErrors === 'object' && body.fieldErrors) || {};
  let first: Field | null = null;
  slots.fields.forEach((slot) => {
    const message = fieldErrors[slot.name];
    setFieldError(slot, message);
    if (message && !first) first = slot;
  });
  $(slots.formError).textContent = options.formError ?? failureText(body, httpStatus);
  const focus: Field | null = first ?? (options.focusFirstField === false ? null : (slots.fields[0] ?? null));
  if (focus) $(focus.input).focus();
}

/** Email and password of a sign-in form, checked for presence before anything is sent. */
export function readCredentials(report: (problem: ApiBody) => void): { email: string; password: string } | null {
  const email = inputById('email').value.trim();
  const password = inputById('password').value;
  const missing: Record<string, string> = {};
  if (!email) missing.email = 'Enter your email address.';
  if (!password) missing.password = 'Enter your password.';
  if (missing.email || missing.password) {
    report({ formError: 'Please fill in the highlighted fields.', fieldErrors: missing });
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
