/** GET /login: posts the credentials to /sso/{partner}/login and opens the partner at the top level. */
import {
  $,
  type ApiBody,
  apiBase,
  buttonById,
  clearErrors,
  failureText,
  field,
  inputById,
  pageText,
  postJson,
  readCredentials,
  readPageData,
  setBusy,
  showErrors,
} from './form';
import { passkeySignIn, type SignInTokens } from './passkeys';
import { offerCodeFor, oneTimeCodeField, submitWebSignInCode, withCode } from './second-factor';
import { verifyResend } from './verify-resend';

interface LoginData {
  partner: 'astrato' | 'acronis';
  partnerName: string;
  messages: Record<string, string>;
}

interface HandOff extends ApiBody {
  redirect_url?: unknown;
  url?: unknown;
}

const form = $<HTMLFormElement>('login-form');
const button = buttonById('submit');
const status = $('status');
const continueBox = $('continue');
const continueLink = $('continue-link');
// An account with a second factor is asked for its code (403 mfa_required): the same request goes again with `otp`.
const code = oneTimeCodeField();
const SLOTS = { formError: 'form-error', fields: [field('email'), field('password'), code.slot] };
const { partner, partnerName, messages } = readPageData<LoginData>();
const say = (key: string, params?: Record<string, string>) => pageText(messages, key, params);
// The target comes from this page's own address (a portal menu link) and is checked by the server's allow-list.
const target = new URLSearchParams(window.location.search).get('target');
// /login -> /sso/astrato/login, /prod/login -> /prod/sso/acronis/login.
const base = apiBase(/\/login\/?$/);
const endpoint = `${base}/sso/${partner}/login`;
// Astrato needs a confirmed email: a refusal offers a new link right here.
const resend = verifyResend({
  base,
  email: () => inputById('email').value.trim(),
  sent: (email) => say('login.script.sent', { email }),
});
let busy = false;

function busyState(on: boolean): void {
  busy = on;
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  setBusy([button], on, { element: status, message: say('login.script.busy') });
}

function showSignInErrors(body: ApiBody | null, httpStatus: number): void {
  offerCodeFor(body, code);
  showErrors(SLOTS, body, httpStatus, { formError: failureText(body, httpStatus, say('login.script.failed')), focusFirstField: false });
  resend.offerFor(body);
}

function openAtTopLevel(url: string): void {
  continueLink.setAttribute('href', url);
  status.textContent = say('login.script.opening', { partner: partnerName });
  try {
    (window.top ?? window).location.href = url;
  } catch {
    // A sandboxed frame may not navigate the top window: the link below still can, on a click.
  }
  setTimeout(() => {
    busyState(false);
    continueBox.hidden = false;
  }, 2000);
}

/** A hand-off answer: the partner's URL opens at the top level, anything else is shown as the form's errors. */
function handOff(result: { ok: boolean; status: number; body: HandOff | null }): void {
  // Astrato answers redirect_url (the ticket page), Acronis url (the external-login link).
  const url = result.body && (partner === 'acronis' ? result.body.url : result.body.redirect_url);
  if (result.ok && typeof url === 'string' && /^https?:\/\//i.test(url)) {
    inputById('password').value = '';
    code.reset();
    openAtTopLevel(url);
    return;
  }
  busyState(false);
  showSignInErrors(result.body, result.status);
}

// A passkey alone: the passkey sign-in answers tokens, and the bearer hand-off (POST /sso/{partner}) opens the partner.
passkeySignIn({
  base,
  busy: busyState,
  refused: (answer) => showSignInErrors(answer.body, answer.status),
  signedIn: (tokens: SignInTokens) => {
    busyState(true);
    postJson<HandOff>(`${base}/sso/${partner}`, partner === 'acronis' && target ? { target_uri: target } : {}, {
      Authorization: `Bearer ${tokens.access_token}`,
    })
      .then(handOff)
      .catch(() => {
        busyState(false);
        showSignInErrors({ formError: say('login.script.unreachable') }, 0);
      });
  },
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (busy) return;
  clearErrors(SLOTS);
  continueBox.hidden = true;
  // After Apple or Google asked for the second factor, the code goes with the kept hand-off.
  if (submitWebSignInCode(code, SLOTS)) return;
  const credentials = readCredentials((problem) => showSignInErrors(problem, 0));
  if (!credentials) return;
  busyState(true);
  postJson<HandOff>(endpoint, withCode(partner === 'acronis' && target ? Object.assign({}, credentials, { target_uri: target }) : credentials, code))
    .then(handOff)
    .catch(() => {
      busyState(false);
      showSignInErrors({ formError: say('login.script.unreachable') }, 0);
    });
});
