import type { HttpResult } from '../http/responses';
import { renderPage } from './page';
import { FORM_HELPERS } from './form-script';

/**
 * What the page knows about its link when it is served: `valid` shows the
 * new-password form, `used` / `expired` / `invalid` explain why not and offer
 * a new link, `none` (no token) asks for the email straight away, and
 * `unchecked` (the store could not be asked) shows the form and lets the
 * confirm call decide.
 */
export type ResetPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

const BODY = `
<h1 id="title" tabindex="-1">Reset your password</h1>
<section id="set-password" hidden>
  <form id="password-form" novalidate aria-describedby="password-form-error">
    <p id="unchecked-note" class="hint" hidden>We could not check this link just now; you can still try it.</p>
    <div id="password-form-error" class="form-error" role="alert"></div>
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint password-error">
    <p id="password-hint" class="hint">At least 8 characters. A few unrelated words make a strong password that is easy to remember.</p>
    <p id="password-error" class="field-error"></p>
    <label for="passwordConfirmation">Repeat the new password</label>
    <input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required aria-describedby="passwordConfirmation-error">
    <p id="passwordConfirmation-error" class="field-error"></p>
    <label class="check"><input id="show-passwords" type="checkbox"> Show passwords</label>
    <button id="password-submit" type="submit" aria-busy="false">Set new password</button>
  </form>
</section>
<section id="request-link" hidden>
  <form id="request-form" novalidate aria-describedby="request-form-error">
    <p id="link-problem" class="form-error" hidden></p>
    <p class="hint">Enter the email address of your account and we will send you a link to choose a new password.</p>
    <div id="request-form-error" class="form-error" role="alert"></div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
    <p id="email-error" class="field-error"></p>
    <button id="request-submit" type="submit" aria-busy="false">Send me a new link</button>
  </form>
</section>
<section id="done" hidden>
  <p id="done-text" class="notice" role="status"></p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to reset your password.</p></noscript>
`;

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
label.check input{width:auto;margin:0}
#link-problem{margin:0 0 1rem}
`;

const SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('page-data').textContent || '{}');
  var $ = function (id) { return document.getElementById(id); };
  // The API sits next to this page: /reset-password -> /login-flow/..., /prod/reset-password -> /prod/login-flow/...
  var base = window.location.pathname.replace(/\\/reset-password\\/?$/, '');
  var token = data.token || '';
  var status = $('status');
  var busy = false;

  // The token has done its job in the address bar: keep it out of history and bookmarks.
  if (window.history && window.history.replaceState && window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }

  function show(section) {
    ['set-password', 'request-link', 'done'].forEach(function (id) { $(id).hidden = id !== section; });
  }

${FORM_HELPERS}

  function setBusy(button, on, message) {
    busy = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    button.disabled = on;
    status.textContent = on ? message : '';
  }

  var UNREACHABLE = { formError: 'The service could not be reached. Check your connection and try again.' };

  function offerNewLink(problem) {
    $('title').textContent = problem ? 'This link cannot be used' : 'Reset your password';
    $('link-problem').textContent = problem || '';
    $('link-problem').hidden = !problem;
    show('request-link');
    if (problem) $('title').focus();
    else $('email').focus();
  }

  function finish(title, message) {
    $('title').textContent = title;
    $('done-text').textContent = message;
    show('done');
    $('title').focus();
  }

  $('show-passwords').addEventListener('change', function (event) {
    var type = event.target.checked ? 'text' : 'password';
    $('password').type = type;
    $('passwordConfirmation').type = type;
  });

  $('password-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    var form = $('password-form');
    var fields = ['password', 'passwordConfirmation'];
    clearErrors(form, fields);
    var password = $('password').value;
    var repeated = $('passwordConfirmation').value;
    var problems = {};
    if (password.length < 8) problems.password = 'Use at least 8 characters.';
    if (repeated !== password) problems.passwordConfirmation = 'The passwords do not match.';
    if (problems.password || problems.passwordConfirmation) {
      showErrors(form, fields, { formError: 'Please correct the highlighted fields.', fieldErrors: problems }, 0);
      return;
    }
    setBusy($('password-submit'), true, 'Setting your new password, please wait.');
    send('/login-flow/reset-password/confirm', { token: token, password: password, passwordConfirmation: repeated })
      .then(function (result) {
        setBusy($('password-submit'), false);
        if (result.ok) {
          $('password').value = '';
          $('passwordConfirmation').value = '';
          finish('Password changed', (result.body && result.body.message) || 'Your password was changed.');
          return;
        }
        var code = result.body && result.body.error;
        if (typeof code === 'string' && code.indexOf('reset_link_') === 0) return offerNewLink(result.body.formError);
        showErrors(form, fields, result.body, result.status);
      })
      .catch(function () {
        setBusy($('password-submit'), false);
        showErrors(form, fields, UNREACHABLE, 0);
      });
  });

  $('request-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    var form = $('request-form');
    clearErrors(form, ['email']);
    var email = $('email').value.trim();
    if (!email) {
      showErrors(form, ['email'], { formError: 'Enter your email address.', fieldErrors: { email: 'Enter your email address.' } }, 0);
      return;
    }
    setBusy($('request-submit'), true, 'Sending the link, please wait.');
    send('/login-flow/reset-password', { email: email })
      .then(function (result) {
        setBusy($('request-submit'), false);
        if (!result.ok) return showErrors(form, ['email'], result.body, result.status);
        finish('Check your email', 'If an account exists for ' + email + ', we have sent it a new link. It works once, for ' + data.validMinutes + ' minutes. Check your spam folder if it does not arrive.');
      })
      .catch(function () {
        setBusy($('request-submit'), false);
        showErrors(form, ['email'], UNREACHABLE, 0);
      });
  });

  if (data.state === 'valid' || data.state === 'unchecked') {
    $('title').textContent = 'Choose a new password';
    $('unchecked-note').hidden = data.state !== 'unchecked';
    show('set-password');
    $('password').focus();
  } else {
    offerNewLink(data.problem || '');
  }
})();`;

export function resetPasswordPage(options: { state: ResetPageState; token?: string; problem?: string; validMinutes: number }): HttpResult {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return renderPage({
    title: 'Reset your password',
    body: BODY,
    script: SCRIPT,
    style: STYLE,
    data: { state: options.state, token: withToken ? (options.token ?? '') : '', problem: options.problem ?? '', validMinutes: options.validMinutes },
  });
}
