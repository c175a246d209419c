/**
 * GET /signup: create the account with POST /login-flow/register, show the
 * API's field errors under their fields, then the "check your inbox" step
 * whose "Send me a new link" asks /verify-email/resend. The tokens registration
 * answers with are not kept: the next step is the emailed link.
 */
import {
  $,
  type ApiBody,
  apiBase,
  buttonById,
  clearErrors,
  type ErrorSlots,
  field,
  inputById,
  pageText,
  postJson,
  readPageData,
  setBusy,
  showErrors,
} from './form';
import { resumeWebSignIn } from './web-sign-in';

interface SignupData {
  extraFields: { name: string; type: 'string' | 'number' | 'boolean' }[];
  minLength: number;
  maxLength: number;
  messages: Record<string, string>;
}

const data = readPageData<SignupData>();
const say = (key: string, params?: Record<string, string>) => pageText(data.messages, `signup.script.${key}`, params);
const unreachable = (): ApiBody => ({ formError: say('unreachable') });

const base = apiBase(/\/signup\/?$/);
const status = $('status');
const submit = buttonById('signup-submit');
let busy = false;
let email = '';

const slots: ErrorSlots = {
  formError: 'signup-form-error',
  fields: [
    field('firstName'),
    field('lastName'),
    field('email'),
    field('password'),
    ...data.extraFields.map((spec) => field(spec.name, `extra-${spec.name}`)),
    field('approveTermsOfUse'),
    field('approveMarketing'),
  ],
};

/** The length rules of the server's policy, live; the server's common-password check stays the judge. */
function strengthHint(password: string): { level: string; text: string } {
  const length = Array.from(password).length;
  if (!length) return { level: '', text: pageText(data.messages, 'signup.strength') };
  if (length < data.minLength) {
    const missing = data.minLength - length;
    return { level: 'short', text: say(missing === 1 ? 'tooShortOne' : 'tooShortOther', { count: String(missing) }) };
  }
  if (length > data.maxLength) return { level: 'short', text: say('tooLong') };
  if (length < 12) return { level: 'fair', text: say('fair') };
  return { level: 'strong', text: say('strong') };
}

const password = inputById('password');
password.addEventListener('input', () => {
  const hint = strengthHint(password.value);
  const element = $('password-strength');
  element.textContent = hint.text;
  element.setAttribute('data-level', hint.level);
});

function readForm(): Record<string, unknown> {
  const checked = (id: string) => inputById(id).checked;
  const payload: Record<string, unknown> = {
    firstName: inputById('firstName').value.trim(),
    lastName: inputById('lastName').value.trim(),
    email: inputById('email').value.trim(),
    password: password.value,
    approveTermsOfUse: checked('approveTermsOfUse'),
    approveMarketing: checked('approveMarketing'),
  };
  data.extraFields.forEach((spec) => {
    const input = inputById(`extra-${spec.name}`);
    payload[spec.name] = spec.type === 'boolean' ? input.checked : input.value.trim() || null;
  });
  return payload;
}

/** Empty text fields, named before anything is sent; the consents and the password's quality are the server's to judge, all at once. */
function missingFields(payload: Record<string, unknown>): Record<string, string> {
  const missing: Record<string, string> = {};
  if (!payload.firstName) missing.firstName = say('missingFirstName');
  if (!payload.lastName) missing.lastName = say('missingLastName');
  if (!payload.email) missing.email = say('missingEmail');
  if (!payload.password) missing.password = say('missingPassword');
  return missing;
}

function showInbox(): void {
  $('inbox-email').textContent = email;
  $('title').textContent = pageText(data.messages, 'signup.inboxTitle');
  $('register').hidden = true;
  $('inbox').hidden = false;
  $('title').focus();
}

$('signup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (busy) return;
  clearErrors(slots);
  const payload = readForm();
  const missing = missingFields(payload);
  if (Object.keys(missing).length) {
    showErrors(slots, { formError: say('fillIn'), fieldErrors: missing }, 0);
    return;
  }
  busy = true;
  setBusy([submit], true, { element: status, message: say('busy') });
  // The page's language becomes the account's: its emails are written in it.
  postJson<ApiBody>(`${base}/login-flow/register?lang=${encodeURIComponent(document.documentElement.lang)}`, payload)
    .then((result) => {
      busy = false;
      setBusy([submit], false, { element: status, message: '' });
      if (!result.ok) {
        // The API's codes and field names pick the page's own sentences (form.ts `ANSWER_TEXTS`).
        const body = result.body;
        const formError = body?.formError ? undefined : say('failed', { status: String(result.status) });
        return showErrors(slots, body, result.status, { focusFirstField: false, ...(formError ? { formError } : {}) });
      }
      email = String(payload.email);
      showInbox();
    })
    .catch(() => {
      busy = false;
      setBusy([submit], false, { element: status, message: '' });
      showErrors(slots, unreachable(), 0, { focusFirstField: false });
    });
});

const resend = buttonById('resend');
resend.addEventListener('click', () => {
  const resendStatus = $('resend-status');
  setBusy([resend], true, { element: status, message: say('resendBusy') });
  postJson(`${base}/verify-email/resend`, { email })
    .then((result) => {
      resendStatus.textContent = result.ok ? say('resent', { email }) : say('resendFailed', { status: String(result.status) });
    })
    .catch(() => {
      resendStatus.textContent = say('unreachable');
    })
    .then(() => {
      setBusy([resend], false, { element: status, message: '' });
      resendStatus.hidden = false;
    });
});

// "Continue with Apple / Google": the links gain their return_to (/account, which picks the sign-in up there).
resumeWebSignIn({ base, signedIn: () => undefined, refused: (answer) => showErrors(slots, answer.body, answer.status, { focusFirstField: false }) });
