/**
 * GET /account: sign in (email, password, and the code when the account asks
 * for one), then the account's sections: Profile, Password, Email, My data and
 * Delete (scripts/self-service.ts), Security (scripts/security.ts) and
 * sessions and devices (scripts/sessions.ts). Tokens live in memory only (scripts/portal-api.ts).
 */
import { $, buttonById, clearErrors, field, inputById, readCredentials, readPageData, setBusy, showErrors } from './form';
import { linkedSection, linkOutcome } from './linked';
import { localized, text } from './page-texts';
import { passkeySignIn } from './passkeys';
import { portalApi, revokeRefreshToken } from './portal-api';
import { followProfileLanguage } from './profile-language';
import { offerCodeFor, oneTimeCodeField, stepUpPrompt, submitWebSignInCode, withCode } from './second-factor';
import { securitySection } from './security';
import { type ExtraFieldSpec, selfServiceSections } from './self-service';
import { sessionsSection } from './sessions';

const base = window.location.pathname.replace(/\/account\/?$/, '');
let stepUp: () => Promise<boolean> = () => Promise.resolve(false);
const api = portalApi(base, () => signOut(text('account.script.sessionEnded')), { stepUp: () => stepUp() });
stepUp = stepUpPrompt(api.send);
const code = oneTimeCodeField();
const say = (text: string) => {
  $('status').textContent = text;
};
const security = securitySection({ send: api.send, say });
const sessions = sessionsSection({ send: api.send, say });
const linked = linkedSection({ send: api.send, say, base });
const selfService = selfServiceSections({
  send: api.send,
  say,
  extraFields: readPageData<{ extraFields?: ExtraFieldSpec[] }>().extraFields ?? [],
  deleted: () => {
    api.forget();
    signOut(text('account.script.deleted'));
  },
});
const signInSlots = { formError: 'sign-in-error', fields: [field('email'), field('password'), code.slot] };

function signedIn(body: { access_token: string; refresh_token?: string }, email: string): void {
  api.signedIn(body.access_token, body.refresh_token);
  inputById('password').value = '';
  code.reset();
  $('who-email').textContent = email;
  $('sign-in').hidden = true;
  $('who').hidden = false;
  $('account').hidden = false;
  Promise.all([selfService.load(), security.load(), sessions.load(), linked.load()])
    // The account's language when the visitor chose none: the lists drawn in the old language are drawn again.
    .then(([locale]) => followProfileLanguage(locale))
    .then((switched) => (switched ? Promise.all([security.load(), sessions.load(), linked.load()]) : null))
    .then(() => {
      say(text('account.script.signedIn'));
      $('profile-title').focus();
    });
}

function signOut(text: string): string | undefined {
  const refreshToken = api.forget();
  security.reset();
  sessions.reset();
  linked.reset();
  selfService.reset();
  code.reset();
  $('account').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = text;
  $('email').focus();
  showLinkOutcome();
  return refreshToken;
}

/** Back from linking a provider: the page lost its tokens on the way, so it says how the link ended above the sign-in form (once). */
function showLinkOutcome(): void {
  const linkEnded = linkOutcome();
  if (!linkEnded) return;
  const where = linkEnded.linked ? $('linked-outcome') : $('sign-in-error');
  where.textContent = linkEnded.message;
  where.hidden = false;
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const submit = buttonById('sign-in-button');
  if (submit.disabled) return;
  clearErrors(signInSlots);
  // After Apple or Google (here, or from /signup's buttons) asked for the second factor, the code goes with the kept hand-off.
  if (submitWebSignInCode(code, signInSlots)) return;
  const credentials = readCredentials((problem) => showErrors(signInSlots, problem, 400, { focusFirstField: false }));
  if (!credentials) return;
  setBusy([submit], true, { element: $('status'), message: text('account.script.busy') });
  api.forget();
  api
    .send<{ access_token: string; refresh_token?: string }>('POST', '/login-flow/login', withCode(credentials, code))
    .then((result) => {
      setBusy([submit], false);
      if (result.ok && result.body?.access_token) return signedIn(result.body, credentials.email);
      offerCodeFor(result.body, code);
      showErrors(signInSlots, localized(result.body), result.status, { focusFirstField: false });
    })
    .catch(() => {
      setBusy([submit], false);
      $('sign-in-error').textContent = text('account.script.unreachable');
    });
});
// A passkey alone (or Apple / Google) answers the same tokens as the password; the address shown comes from the profile.
passkeySignIn({
  base,
  busy: (on) => setBusy([buttonById('passkey-sign-in'), buttonById('sign-in-button')], on),
  refused: (answer) => {
    // Apple or Google for an account with a second factor: the code field appears, the form then sends the code.
    offerCodeFor(answer.body, code);
    showErrors(signInSlots, localized(answer.body), answer.status, { focusFirstField: false });
  },
  signedIn: (tokens) => {
    signedIn(tokens as { access_token: string; refresh_token?: string }, '');
    api.send<{ email?: string }>('GET', '/login-flow/me').then((me) => {
      $('who-email').textContent = me.body?.email ?? '';
    });
  },
});
$('sign-out').addEventListener('click', () => revokeRefreshToken(base, signOut(text('account.script.signedOut'))));
$('email').focus();
showLinkOutcome();
