/** Signing in (password and code, or a passkey), signing out, and the "send a new verification link" banner. */
import { $, buttonById, clearErrors, field, inputById, readCredentials } from '../form';
import { text } from '../page-texts';
import { passkeySignIn } from '../passkeys';
import { revokeRefreshToken } from '../portal-api';
import { followProfileLanguage } from '../profile-language';
import { offerCodeFor, oneTimeCodeField, submitWebSignInCode, withCode } from '../second-factor';
import { hideSecret } from './credentials';
import { busy, message, say, showFieldErrors } from './dom';
import { redrawFactorGate, resetFactorGate } from './factor-gate';
import { hasPendingInvite } from './invitation';
import { api, base, send } from './session';
import { loadAll } from './team';

type Tokens = { access_token: string; refresh_token?: string };

const signInCode = oneTimeCodeField();
const signInSlots = { formError: 'sign-in-error', fields: [field('email'), field('password'), signInCode.slot] };

function signedIn(body: Tokens): void {
  api.signedIn(body.access_token, body.refresh_token);
  inputById('password').value = '';
  signInCode.reset();
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('invitation').hidden = !hasPendingInvite();
  loadAll()
    // The account's language when the visitor chose none: what the scripts drew in the old language is drawn again.
    .then((team) => followProfileLanguage(team?.you.locale))
    .then((switched) => (switched ? Promise.all([loadAll(), redrawFactorGate()]) : null))
    .then(() => {
      say(text('account.script.signedIn'));
      (hasPendingInvite() ? $('accept-invitation') : $('credential-name')).focus();
    });
}

/** Clears the page back to the sign-in form; answers the refresh token so the caller can revoke it. */
export function signOut(text: string): string | undefined {
  const refreshToken = api.forget();
  hideSecret();
  resetFactorGate();
  signInCode.reset();
  $('admin').hidden = true;
  $('users').hidden = true;
  $('user-card').hidden = true;
  $('app').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = text || '';
  $('email').focus();
  return refreshToken;
}

function submitSignIn(event: Event): void {
  event.preventDefault();
  const submit = buttonById('sign-in-button');
  if (submit.disabled) return;
  clearErrors(signInSlots);
  // After Apple or Google asked for the second factor, the code goes with the kept hand-off.
  if (submitWebSignInCode(signInCode, signInSlots)) return;
  const credentials = readCredentials((problem) => showFieldErrors({ ok: false, status: 400, body: problem }, signInSlots));
  if (!credentials) return;
  busy(submit, true);
  say(text('account.script.busy'));
  api.forget();
  send<Tokens>('POST', '/login-flow/login', withCode(credentials, signInCode))
    .then((result) => {
      busy(submit, false);
      if (result.ok && result.body?.access_token) return signedIn(result.body);
      offerCodeFor(result.body, signInCode);
      showFieldErrors(result, signInSlots);
    })
    .catch(() => {
      busy(submit, false);
      $('sign-in-error').textContent = text('portal.script.signInUnreachable');
    });
}

function resendVerification(): void {
  const email = $('who-email').textContent || inputById('email').value.trim();
  const resend = buttonById('verify-resend');
  resend.disabled = true;
  send('POST', '/verify-email/resend', { email })
    .then((result) => {
      resend.disabled = false;
      $('verify-sent').textContent = result.ok ? text('portal.script.resent', { email }) : message(result, text('portal.script.resendFailed'));
    })
    .catch(() => {
      resend.disabled = false;
      $('verify-sent').textContent = text('portal.script.unreachable');
    });
}

export function wireVerifyResend(): void {
  $('verify-resend').addEventListener('click', resendVerification);
}

export function wireSignIn(): void {
  // A passkey alone answers the same tokens as the password (POST /login-flow/passkey/login).
  passkeySignIn({
    base,
    busy: (on) => busy(buttonById('passkey-sign-in'), on),
    signedIn: (tokens) => signedIn(tokens as Tokens),
    refused: (answer) => {
      offerCodeFor(answer.body, signInCode);
      showFieldErrors({ ok: false, status: answer.status, body: answer.body }, signInSlots);
    },
  });
  $('sign-in-form').addEventListener('submit', submitSignIn);
  $('sign-out').addEventListener('click', () => {
    revokeRefreshToken(base, signOut(text('account.script.signedOut')));
  });
}
