import type { HttpResult } from '../http/responses';
import { renderPage } from './page';
import { FORM_HELPERS } from './form-script';

/**
 * GET /activate: where a person connects a TV (RFC 8628 §3.3). Step one asks
 * for the code (pre-filled from `verification_uri_complete`), step two shows
 * which app asks and the code again, so the person can check it against the
 * TV (§5.4 remote phishing), then signs in to approve, or cancels.
 */
const BODY = `
<h1 id="title" tabindex="-1">Connect your TV</h1>
<section id="step-code">
  <form id="code-form" novalidate aria-describedby="code-form-error">
    <p class="hint">Enter the code shown on your TV screen.</p>
    <div id="code-form-error" class="form-error" role="alert"></div>
    <label for="user_code">Code from your TV</label>
    <input id="user_code" name="user_code" type="text" class="code-input" autocomplete="one-time-code" autocapitalize="characters" autocorrect="off" spellcheck="false" maxlength="32" placeholder="BCDF-GHJK" required aria-describedby="user_code-hint user_code-error">
    <p id="user_code-hint" class="hint">8 letters. Capitals or not, with or without the dash.</p>
    <p id="user_code-error" class="field-error"></p>
    <button id="code-submit" type="submit" aria-busy="false">Continue</button>
  </form>
</section>
<section id="step-approve" hidden>
  <form id="approve-form" novalidate aria-describedby="approve-form-error">
    <p><strong id="client-name"></strong> asks to sign in to your account.</p>
    <p class="notice">Check that your TV shows the code <strong id="confirm-code" class="code"></strong>. If it does not, or you did not start this, choose <em>Cancel sign-in</em>.</p>
    <div id="approve-form-error" class="form-error" role="alert"></div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
    <p id="email-error" class="field-error"></p>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error">
    <p id="password-error" class="field-error"></p>
    <button id="approve" type="submit" aria-busy="false">Sign in and connect</button>
    <button id="deny" type="button" class="secondary" aria-busy="false">Cancel sign-in</button>
    <p class="links"><button id="change-code" type="button" class="link">Enter a different code</button> · <a id="forgot" href="reset-password">Forgot your password?</a></p>
  </form>
</section>
<section id="step-done" hidden>
  <p id="done-text" class="notice" role="status"></p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to connect your TV.</p></noscript>
`;

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
.code,.code-input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.15em}
.code-input{text-transform:uppercase;font-size:1.25rem}
.code-input::placeholder{text-transform:none;letter-spacing:.15em}
.links{margin-top:1.25rem;color:var(--muted);font-size:.9rem;text-align:center}
button.link{display:inline;width:auto;margin:0;padding:0;background:none;border:0;color:var(--accent);font:inherit;font-weight:400;text-decoration:underline;cursor:pointer}
button.secondary{margin-top:.75rem}
`;

// Plain ES5-level script, like /login: no build step, no framework.
const SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('page-data').textContent || '{}');
  var $ = function (id) { return document.getElementById(id); };
  // The API sits next to this page: /activate -> /activate/lookup, /prod/activate -> /prod/activate/lookup.
  var base = window.location.pathname.replace(/\\/activate\\/?$/, '');
  var status = $('status');
  var codeForm = $('code-form');
  var approveForm = $('approve-form');
  var current = null;
  var busy = false;
  var CODE_ERRORS = { unknown_code: 1, code_expired: 1, code_used: 1, code_denied: 1, too_many_attempts: 1 };

  function show(step) {
    ['step-code', 'step-approve', 'step-done'].forEach(function (id) { $(id).hidden = id !== step; });
  }

${FORM_HELPERS}

  function setBusy(buttons, on, message) {
    busy = on;
    buttons.forEach(function (button) {
      button.setAttribute('aria-busy', on ? 'true' : 'false');
      button.disabled = on;
    });
    status.textContent = on ? message : '';
  }

  var UNREACHABLE = { formError: 'The sign-in service could not be reached. Check your connection and try again.' };

  function lookup() {
    if (busy) return;
    clearErrors(codeForm, ['user_code']);
    var code = $('user_code').value.trim();
    if (!code) {
      showErrors(codeForm, ['user_code'], { formError: 'Enter the code shown on your TV.', fieldErrors: { user_code: 'Enter the code shown on your TV.' } }, 0);
      return;
    }
    setBusy([$('code-submit')], true, 'Checking the code, please wait.');
    send('/activate/lookup', { user_code: code })
      .then(function (result) {
        setBusy([$('code-submit')], false);
        if (!result.ok || !result.body) return showErrors(codeForm, ['user_code'], result.body, result.status);
        current = result.body;
        $('client-name').textContent = current.client_name;
        $('confirm-code').textContent = current.user_code;
        $('user_code').value = current.user_code;
        clearErrors(approveForm, ['email', 'password']);
        show('step-approve');
        $('email').focus();
      })
      .catch(function () {
        setBusy([$('code-submit')], false);
        showErrors(codeForm, ['user_code'], UNREACHABLE, 0);
      });
  }

  function backToCode(body, httpStatus) {
    current = null;
    show('step-code');
    if (body) showErrors(codeForm, ['user_code'], { formError: body.formError, fieldErrors: { user_code: body.formError || true } }, httpStatus);
    else $('user_code').focus();
  }

  function decide(decision) {
    if (busy || !current) return;
    clearErrors(approveForm, ['email', 'password']);
    var payload = { user_code: current.user_code, decision: decision };
    if (decision === 'approve') {
      payload.email = $('email').value.trim();
      payload.password = $('password').value;
      var missing = {};
      if (!payload.email) missing.email = 'Enter your email address.';
      if (!payload.password) missing.password = 'Enter your password.';
      if (missing.email || missing.password) {
        showErrors(approveForm, ['email', 'password'], { formError: 'Please fill in the highlighted fields.', fieldErrors: missing }, 0);
        return;
      }
    }
    var buttons = [$('approve'), $('deny')];
    setBusy(buttons, true, decision === 'approve' ? 'Signing in and connecting your TV, please wait.' : 'Cancelling the sign-in, please wait.');
    send('/activate/decision', payload)
      .then(function (result) {
        setBusy(buttons, false);
        if (result.ok && result.body) {
          $('password').value = '';
          $('title').textContent = decision === 'approve' ? 'Your TV is connected' : 'Sign-in cancelled';
          $('done-text').textContent = result.body.message;
          show('step-done');
          $('title').focus();
          return;
        }
        if (result.body && CODE_ERRORS[result.body.error] && result.body.fieldErrors && result.body.fieldErrors.user_code) return backToCode(result.body, result.status);
        showErrors(approveForm, ['email', 'password'], result.body, result.status);
      })
      .catch(function () {
        setBusy(buttons, false);
        showErrors(approveForm, ['email', 'password'], UNREACHABLE, 0);
      });
  }

  codeForm.addEventListener('submit', function (event) { event.preventDefault(); lookup(); });
  approveForm.addEventListener('submit', function (event) { event.preventDefault(); decide('approve'); });
  $('deny').addEventListener('click', function () { decide('deny'); });
  $('change-code').addEventListener('click', function () { backToCode(null, 0); });

  if (data.userCode) {
    // From verification_uri_complete (a QR code): look the code up at once; the next step still shows it to compare with the TV.
    $('user_code').value = data.userCode;
    lookup();
  } else {
    $('user_code').focus();
  }
})();`;

/** The page, with the code from `?user_code=` (already normalised or cut short by the handler) to pre-fill. */
export function activatePage(options: { userCode?: string }): HttpResult {
  return renderPage({ title: 'Connect your TV', body: BODY, script: SCRIPT, style: STYLE, data: { userCode: options.userCode ?? '' } });
}
