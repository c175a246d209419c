/** GET /activate: look up the TV's code, show it again to compare (RFC 8628 §5.4), then approve with credentials or deny. */
import { capitalized } from '../../core/i18n/sentence';
import {
  $,
  type Answer,
  type ApiBody,
  apiBase,
  buttonById,
  clearErrors,
  field,
  formErrorOf,
  inputById,
  pageText,
  postJson,
  readCredentials,
  readPageData,
  setBusy,
  showErrors,
  showOnly,
} from './form';
import { passkeySignIn } from './passkeys';
import { offerCodeFor, oneTimeCodeField, submitWebSignInCode, withCode } from './second-factor';
import { verifyResend } from './verify-resend';

interface ActivateData {
  userCode?: string;
  messages: Record<string, string>;
}

interface Lookup extends ApiBody {
  client_name: string;
  user_code: string;
}

const data = readPageData<ActivateData>();
const say = (key: string, params?: Record<string, string>) => pageText(data.messages, `activate.script.${key}`, params);

// /activate -> /activate/lookup, /prod/activate -> /prod/activate/lookup.
const base = apiBase(/\/activate\/?$/);
const status = $('status');
const codeForm = $<HTMLFormElement>('code-form');
const approveForm = $<HTMLFormElement>('approve-form');
const CODE_SLOTS = { formError: 'code-form-error', fields: [field('user_code')] };
// An account with a second factor is asked for its code (403 mfa_required; the TV code stays pending): approve again with `otp`.
const code = oneTimeCodeField();
const APPROVE_SLOTS = { formError: 'approve-form-error', fields: [field('email'), field('password'), code.slot] };
const CODE_ERRORS = ['unknown_code', 'code_expired', 'code_used', 'code_denied', 'too_many_attempts'];
const UNREACHABLE: ApiBody = { formError: say('unreachable') };
// With LOGIN_REQUIRES_VERIFIED_EMAIL an unconfirmed address may not approve; the code stays valid, so after the click the same form works.
const resend = verifyResend({
  base,
  email: () => inputById('email').value.trim(),
  sent: (email) => say('sent', { email }),
});
let current: Lookup | null = null;
let busy = false;

const show = (step: string) => showOnly(['step-code', 'step-approve', 'step-done'], step);
const send = <T = ApiBody>(path: string, payload: unknown, headers?: Record<string, string>): Promise<Answer<T>> => postJson<T>(base + path, payload, headers);

function busyState(buttons: HTMLButtonElement[], on: boolean, message = ''): void {
  busy = on;
  setBusy(buttons, on, { element: status, message });
}

/**
 * The lookup in flight: a sign-in that answers before it (a provider's hand-off read from the address at load, next to
 * the QR code's lookup) approves once the code is known, instead of being dropped.
 */
let lookingUp: Promise<void> = Promise.resolve();

function lookup(): void {
  if (busy) return;
  clearErrors(CODE_SLOTS);
  const code = inputById('user_code').value.trim();
  if (!code) {
    showErrors(CODE_SLOTS, { formError: say('fillIn'), fieldErrors: { user_code: say('enterCode') } }, 0);
    return;
  }
  const submit = [buttonById('code-submit')];
  busyState(submit, true, say('checking'));
  lookingUp = send<Lookup>('/activate/lookup', { user_code: code })
    .then((result) => {
      busyState(submit, false);
      if (!result.ok || !result.body) {
        showErrors(CODE_SLOTS, result.body, result.status);
        return;
      }
      current = result.body;
      // It starts the sentence ("Your TV app asks to sign in"), whatever case the configured name has.
      $('client-name').textContent = capitalized(current.client_name, document.documentElement.lang || 'en');
      $('confirm-code').textContent = current.user_code;
      inputById('user_code').value = current.user_code;
      clearErrors(APPROVE_SLOTS);
      show('step-approve');
      $('email').focus();
    })
    .catch(() => {
      busyState(submit, false);
      showErrors(CODE_SLOTS, UNREACHABLE, 0);
    });
}

function backToCode(body: ApiBody | null, httpStatus: number): void {
  current = null;
  show('step-code');
  if (body) {
    const said = formErrorOf(body);
    showErrors(CODE_SLOTS, { ...body, formError: said, fieldErrors: { user_code: said || true } }, httpStatus);
  } else $('user_code').focus();
}

/** `accessToken`: approved by a passkey sign-in (POST /login-flow/passkey/login) instead of email and password. */
function decide(decision: 'approve' | 'deny', accessToken?: string): void {
  if (busy || !current) return;
  clearErrors(APPROVE_SLOTS);
  resend.offerFor(null);
  const payload: Record<string, string> = { user_code: current.user_code, decision };
  if (decision === 'approve' && !accessToken) {
    const credentials = readCredentials((problem) => showErrors(APPROVE_SLOTS, problem, 0));
    if (!credentials) return;
    Object.assign(payload, withCode(credentials, code));
  }
  const buttons = [buttonById('approve'), buttonById('deny')];
  busyState(buttons, true, decision === 'approve' ? say('approving') : say('cancelling'));
  send('/activate/decision', payload, accessToken ? { Authorization: `Bearer ${accessToken}` } : undefined)
    .then((result) => {
      busyState(buttons, false);
      if (result.ok && result.body) {
        inputById('password').value = '';
        code.reset();
        $('title').textContent = decision === 'approve' ? say('connected') : say('cancelled');
        $('done-text').textContent = decision === 'approve' ? say('approvedText', { client: $('client-name').textContent ?? '' }) : say('deniedText');
        show('step-done');
        $('title').focus();
        return;
      }
      const body = result.body;
      if (body && CODE_ERRORS.includes(body.error ?? '') && body.fieldErrors?.user_code) return backToCode(body, result.status);
      offerCodeFor(body, code);
      showErrors(APPROVE_SLOTS, body, result.status);
      resend.offerFor(body);
    })
    .catch(() => {
      busyState(buttons, false);
      showErrors(APPROVE_SLOTS, UNREACHABLE, 0);
    });
}

// A passkey alone: its sign-in answers tokens, and the approval goes with the access token.
passkeySignIn({
  base,
  refused: (answer) => {
    offerCodeFor(answer.body, code);
    showErrors(APPROVE_SLOTS, answer.body, answer.status);
  },
  signedIn: (tokens) => void lookingUp.then(() => decide('approve', tokens.access_token)),
});

codeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  lookup();
});
approveForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearErrors(APPROVE_SLOTS);
  // After Apple or Google asked for the second factor, the code goes with the kept hand-off (then the approval as above).
  if (submitWebSignInCode(code, APPROVE_SLOTS)) return;
  decide('approve');
});
$('deny').addEventListener('click', () => decide('deny'));
$('change-code').addEventListener('click', () => backToCode(null, 0));

if (data.userCode) {
  // From verification_uri_complete (a QR code): look the code up at once; the next step still shows it to compare with the TV.
  inputById('user_code').value = data.userCode;
  lookup();
} else {
  $('user_code').focus();
}
