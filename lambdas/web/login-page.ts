import type { HttpResult } from '../http/responses';
import { renderPage } from './page';

/**
 * The custom login page (GET /login) for Astrato, or for Acronis with
 * `?partner=acronis[&target=...]`. Plain HTML and a small script: it posts
 * email and password (and, for Acronis, the target from the page's own query)
 * to /sso/{partner}/login and sends the top-level window to the URL it gets
 * back, so it works on its own, from a portal menu link and inside an iframe
 * of a portal allowed by LOGIN_PAGE_FRAME_ANCESTORS.
 */
export type LoginPartner = 'astrato' | 'acronis';

const PARTNER_TEXT: Record<LoginPartner, { name: string; hint: string; admin: string }> = {
  astrato: {
    name: 'Astrato',
    hint: 'Sign in with your account to open your analytics.',
    admin:
      'This page signs users in to Astrato with their LoginBridge account. LoginBridge asks Astrato for a sign-in ticket with an API key and secret kept in the Astrato secret (ASTRATO_SECRET_ARN; locally ASTRATO_CLIENT_ID and ASTRATO_CLIENT_SECRET). Take them from Astrato <strong>Administration -&gt; System Settings -&gt; OEM Management API</strong>, not from the Google OAuth credentials of Enterprise Authentication. To show this page inside your portal\'s iframe, add the portal\'s origin to LOGIN_PAGE_FRAME_ANCESTORS.',
  },
  acronis: {
    name: 'Acronis',
    hint: 'Sign in with your account to open your Acronis console.',
    admin:
      'This page signs users in to Acronis Cyber Protect Cloud with their LoginBridge account. LoginBridge asks Acronis for a one-time token with an API client of the users\' tenant, kept in the Acronis secret (ACRONIS_SECRET_ARN; locally ACRONIS_BASE_URL, ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET). Link here from a portal menu as <code>/login?partner=acronis&amp;target=/bc/</code>; the target must be on ACRONIS_TARGET_ALLOWLIST.',
  },
};

const body = (partner: LoginPartner) => `
<h1>Sign in</h1>
<p class="hint">${PARTNER_TEXT[partner].hint}</p>
<form id="login-form" method="post" action="sso/${partner}/login" novalidate aria-describedby="form-error">
  <div id="form-error" class="form-error" role="alert"></div>
  <div id="verify-box" hidden>
    <button id="resend" type="button" class="secondary">Send a new link</button>
    <p id="resend-status" class="notice" role="status" hidden></p>
  </div>
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
  <p id="email-error" class="field-error"></p>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error">
  <p id="password-error" class="field-error"></p>
  <button id="submit" type="submit" aria-busy="false">Log In</button>
  <p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
  <p id="continue" class="notice" hidden>Signed in. If ${PARTNER_TEXT[partner].name} does not open by itself, <a id="continue-link" href="#" target="_top" rel="noopener">continue to ${PARTNER_TEXT[partner].name}</a>.</p>
</form>
<noscript><p class="form-error">This page needs JavaScript to sign you in.</p></noscript>
<details class="admin-help">
  <summary>For administrators</summary>
  <p class="hint">${PARTNER_TEXT[partner].admin}</p>
</details>
`;

const STYLE = `
.admin-help{margin-top:1.5rem}
.admin-help summary{cursor:pointer;color:var(--muted);font-size:.9rem}
`;

// Plain ES5-level script: no build step, no framework, runs in any embedded browser.
const SCRIPT = `(function () {
  'use strict';
  var form = document.getElementById('login-form');
  var button = document.getElementById('submit');
  var formError = document.getElementById('form-error');
  var status = document.getElementById('status');
  var continueBox = document.getElementById('continue');
  var continueLink = document.getElementById('continue-link');
  var FIELDS = ['email', 'password'];
  var busy = false;
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var partner = data.partner;
  var partnerName = data.partnerName;
  // The target comes from this page's own address (a portal menu link) and is checked by the server's allow-list.
  var target = new URLSearchParams(window.location.search).get('target');
  // The API sits next to this page: /login -> /sso/astrato/login, /prod/login -> /prod/sso/acronis/login.
  var base = window.location.pathname.replace(/\\/login\\/?$/, '');
  var endpoint = base + '/sso/' + partner + '/login';
  var verifyBox = document.getElementById('verify-box');
  var resendButton = document.getElementById('resend');
  var resendStatus = document.getElementById('resend-status');

  function setFieldError(name, message) {
    var input = document.getElementById(name);
    var slot = document.getElementById(name + '-error');
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    slot.textContent = typeof message === 'string' ? message : '';
  }

  function clearErrors() {
    formError.textContent = '';
    FIELDS.forEach(function (name) { setFieldError(name, null); });
  }

  function setBusy(on) {
    busy = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    form.setAttribute('aria-busy', on ? 'true' : 'false');
    button.disabled = on;
    status.textContent = on ? 'Signing in, please wait.' : '';
  }

  function showErrors(body, httpStatus) {
    var fieldErrors = (body && typeof body.fieldErrors === 'object' && body.fieldErrors) || {};
    var firstInvalid = null;
    FIELDS.forEach(function (name) {
      if (fieldErrors[name]) {
        setFieldError(name, fieldErrors[name]);
        if (!firstInvalid) firstInvalid = name;
      }
    });
    formError.textContent = (body && typeof body.formError === 'string' && body.formError) ||
      (httpStatus ? 'Sign-in failed (HTTP ' + httpStatus + '). Please try again.' : 'Sign-in failed. Please try again.');
    // Astrato needs a confirmed email: offer a new link right here.
    verifyBox.hidden = !(body && body.error === 'email_not_verified');
    resendStatus.hidden = true;
    if (firstInvalid) document.getElementById(firstInvalid).focus();
  }

  function openAtTopLevel(url) {
    continueLink.setAttribute('href', url);
    status.textContent = 'Signed in. Opening ' + partnerName + '.';
    try {
      window.top.location.href = url;
    } catch (error) {
      // A sandboxed frame may not navigate the top window: the link below still can, on a click.
    }
    setTimeout(function () {
      setBusy(false);
      continueBox.hidden = false;
    }, 2000);
  }

  resendButton.addEventListener('click', function () {
    var email = form.elements.email.value.trim();
    resendButton.disabled = true;
    fetch(base + '/verify-email/resend', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: email }),
      credentials: 'omit',
      cache: 'no-store'
    })
      .then(function (response) {
        resendStatus.textContent = response.ok ? 'We sent a new link to ' + email + '. Open it, confirm, then sign in again.' : 'Could not send a new link (HTTP ' + response.status + ').';
      })
      .catch(function () { resendStatus.textContent = 'The service could not be reached. Check your connection and try again.'; })
      .then(function () { resendButton.disabled = false; resendStatus.hidden = false; });
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    continueBox.hidden = true;
    var email = form.elements.email.value.trim();
    var password = form.elements.password.value;
    var missing = {};
    if (!email) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    if (missing.email || missing.password) {
      showErrors({ formError: 'Please fill in the highlighted fields.', fieldErrors: missing }, 0);
      return;
    }
    setBusy(true);
    fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(partner === 'acronis' && target ? { email: email, password: password, target_uri: target } : { email: email, password: password }),
      credentials: 'omit',
      cache: 'no-store'
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        // Astrato answers redirect_url (the ticket page), Acronis url (the external-login link).
        var url = result.body && (partner === 'acronis' ? result.body.url : result.body.redirect_url);
        if (result.ok && typeof url === 'string' && /^https?:\\/\\//i.test(url)) {
          form.elements.password.value = '';
          openAtTopLevel(url);
          return;
        }
        setBusy(false);
        showErrors(result.body, result.status);
      })
      .catch(function () {
        setBusy(false);
        showErrors({ formError: 'The sign-in service could not be reached. Check your connection and try again.' }, 0);
      });
  });
})();`;

export interface LoginPageOptions {
  /** CSP frame-ancestors sources from LOGIN_PAGE_FRAME_ANCESTORS. */
  frameAncestors: string[];
  /** Where the user goes after signing in (default Astrato). */
  partner?: LoginPartner;
}

export function loginPage(options: LoginPageOptions): HttpResult {
  const partner = options.partner ?? 'astrato';
  return renderPage({
    title: 'Sign in',
    body: body(partner),
    script: SCRIPT,
    style: STYLE,
    frameAncestors: options.frameAncestors,
    data: { partner, partnerName: PARTNER_TEXT[partner].name },
  });
}
