import type { HttpResult } from '../http/responses';
import { FORM_HELPERS } from './form-script';
import { renderPage } from './page';

/**
 * What the page knows about its link when served: `valid` shows the confirm
 * button, `used` / `expired` / `invalid` explain why not and offer a new link,
 * `none` (no token) offers a new link straight away, and `unchecked` (the store
 * could not be asked) shows the button and lets the confirm call decide.
 */
export type VerifyPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

const BODY = `
<h1 id="title" tabindex="-1">Confirm your email</h1>
<section id="confirm" hidden>
  <form id="confirm-form" novalidate aria-describedby="confirm-form-error">
    <p class="hint">Press the button to confirm that this address is yours. Partners you sign in to through us rely on it.</p>
    <div id="confirm-form-error" class="form-error" role="alert"></div>
    <button id="confirm-submit" type="submit" aria-busy="false">Confirm my email</button>
  </form>
</section>
<section id="request-link" hidden>
  <form id="request-form" novalidate aria-describedby="request-form-error">
    <p id="link-problem" class="form-error" hidden></p>
    <p class="hint">Enter the email address of your account and we will send you a new confirmation link.</p>
    <div id="request-form-error" class="form-error" role="alert"></div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
    <p id="email-error" class="field-error"></p>
    <button id="request-submit" type="submit" aria-busy="false">Send a new link</button>
  </form>
</section>
<section id="done" hidden>
  <p id="done-text" class="notice" role="status"></p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to confirm your email.</p></noscript>
`;

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
#link-problem{margin:0 0 1rem}
`;

const SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('page-data').textContent || '{}');
  var $ = function (id) { return document.getElementById(id); };
  // The API sits next to this page: /verify-email -> /verify-email/confirm, /prod/verify-email -> /prod/verify-email/confirm.
  var base = window.location.pathname.replace(/\\/verify-email\\/?$/, '');
  var token = data.token || '';
  var status = $('status');
  var busy = false;

  // Keep the token out of history and bookmarks once the page holds it.
  if (window.history && window.history.replaceState && window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }

  function show(section) {
    ['confirm', 'request-link', 'done'].forEach(function (id) { $(id).hidden = id !== section; });
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
    $('title').textContent = problem ? 'This link cannot be used' : 'Confirm your email';
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

  $('confirm-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    var form = $('confirm-form');
    $('confirm-form-error').textContent = '';
    setBusy($('confirm-submit'), true, 'Confirming, please wait.');
    send('/verify-email/confirm', { token: token })
      .then(function (result) {
        setBusy($('confirm-submit'), false);
        if (result.ok) return finish('Email confirmed', (result.body && result.body.message) || 'Your email address is confirmed.');
        var code = result.body && result.body.error;
        if (typeof code === 'string' && code.indexOf('verify_link_') === 0) return offerNewLink(result.body.formError);
        $('confirm-form-error').textContent = (result.body && result.body.formError) || 'That did not work (HTTP ' + result.status + '). Please try again.';
        $('confirm-submit').focus();
      })
      .catch(function () {
        setBusy($('confirm-submit'), false);
        $(form.id + '-error').textContent = UNREACHABLE.formError;
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
    send('/verify-email/resend', { email: email })
      .then(function (result) {
        setBusy($('request-submit'), false);
        if (!result.ok) return showErrors(form, ['email'], result.body, result.status);
        finish('Check your email', 'If ' + email + ' belongs to an account that is not confirmed yet, we have sent it a new link. Check your spam folder if it does not arrive.');
      })
      .catch(function () {
        setBusy($('request-submit'), false);
        showErrors(form, ['email'], UNREACHABLE, 0);
      });
  });

  if (data.state === 'valid' || data.state === 'unchecked') {
    show('confirm');
    $('confirm-submit').focus();
  } else {
    offerNewLink(data.problem || '');
  }
})();`;

export function verifyEmailPage(options: { state: VerifyPageState; token?: string; problem?: string }): HttpResult {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return renderPage({
    title: 'Confirm your email',
    body: BODY,
    script: SCRIPT,
    style: STYLE,
    data: { state: options.state, token: withToken ? (options.token ?? '') : '', problem: options.problem ?? '' },
  });
}
