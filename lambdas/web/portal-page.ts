import type { HttpResult } from '../http/responses';
import { renderPage } from './page';

/**
 * The developer portal page (GET /portal). Plain HTML and one script, no
 * framework: sign in with email and password (POST /login-flow/login), then
 * list, create, rotate and delete the team's API credentials per environment,
 * invite teammates, accept an invitation from the link's fragment, and (for
 * portal admins) see every team and invite admins.
 *
 * Tokens live in memory only (a closure variable), never in localStorage or
 * sessionStorage: nothing on the origin can read them after the tab closes,
 * and a reload simply asks to sign in again. The refresh token is used once
 * on a 401 to renew a short-lived access token. Secrets are shown once, in a
 * panel with a copy button and a warning, and removed from the page when it
 * is dismissed.
 */
const BODY = `
<header class="bar">
  <h1>Developer portal</h1>
  <div id="who" class="who" hidden><span id="who-email"></span> · <span id="who-team"></span> <button id="sign-out" type="button" class="link">Sign out</button></div>
</header>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<div id="page-error" class="form-error" role="alert"></div>
<div id="verify-banner" class="notice" hidden>
  <p>Confirm your email address to create credentials and accept invitations: open the link we emailed you.</p>
  <button id="verify-resend" type="button" class="secondary">Send a new link</button>
  <p id="verify-sent" role="status"></p>
</div>

<section id="sign-in" aria-labelledby="sign-in-title">
  <h2 id="sign-in-title">Sign in</h2>
  <p class="hint">Use your account to manage your team's API credentials.</p>
  <p id="invite-hint" class="notice" hidden>You were invited to the portal. Sign in with the invited account to accept.</p>
  <form id="sign-in-form" novalidate aria-describedby="sign-in-error">
    <div id="sign-in-error" class="form-error" role="alert"></div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
    <p id="email-error" class="field-error"></p>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error">
    <p id="password-error" class="field-error"></p>
    <button id="sign-in-button" type="submit" aria-busy="false">Sign in</button>
  </form>
</section>

<div id="app" hidden>
  <section id="invitation" class="notice" hidden aria-labelledby="invitation-title">
    <h2 id="invitation-title">You have an invitation</h2>
    <p id="invitation-text">Accept it to join the team (or to become a portal admin) with this account.</p>
    <div class="row"><button id="accept-invitation" type="button">Accept invitation</button><button id="dismiss-invitation" type="button" class="secondary">Not now</button></div>
  </section>

  <section id="secret-panel" class="secret" hidden tabindex="-1" aria-labelledby="secret-title">
    <h2 id="secret-title">Copy your client secret now</h2>
    <p class="warning"><strong>This secret is shown only once.</strong> Store it in your secret manager now: it cannot be shown again. If you lose it, rotate the credential to get a new one.</p>
    <dl class="facts">
      <dt>Environment</dt><dd id="secret-environment"></dd>
      <dt>Client ID</dt><dd><code id="secret-client-id"></code></dd>
      <dt>Token URL</dt><dd><code id="secret-token-url"></code></dd>
      <dt>APIs</dt><dd id="secret-audiences"></dd>
    </dl>
    <label for="secret-value">Client secret</label>
    <div class="row"><input id="secret-value" type="text" readonly spellcheck="false" autocomplete="off"><button id="copy-secret" type="button">Copy secret</button></div>
    <button id="dismiss-secret" type="button" class="secondary">I have stored the secret</button>
  </section>

  <section aria-labelledby="credentials-title">
    <h2 id="credentials-title">API credentials</h2>
    <p class="hint">Each credential is a machine-to-machine client: exchange its client ID and secret at the token URL (client credentials grant) for an access token to the APIs listed.</p>
    <div id="environments"></div>
    <form id="create-form" novalidate aria-describedby="create-error">
      <h3>Create a credential</h3>
      <div id="create-error" class="form-error" role="alert"></div>
      <div class="grid">
        <div>
          <label for="credential-name">Name</label>
          <input id="credential-name" name="name" type="text" maxlength="64" required aria-describedby="name-error" placeholder="e.g. Billing service">
          <p id="name-error" class="field-error"></p>
        </div>
        <div>
          <label for="credential-environment">Environment</label>
          <select id="credential-environment" name="environment"><option value="sandbox">Sandbox</option><option value="production">Production</option></select>
          <p class="field-error"></p>
        </div>
      </div>
      <button id="create-button" type="submit" aria-busy="false">Create credential</button>
    </form>
  </section>

  <section aria-labelledby="team-title">
    <h2 id="team-title">Team</h2>
    <ul id="members" class="members"></ul>
    <p id="pending" class="hint"></p>
    <form id="invite-form" novalidate aria-describedby="invite-error">
      <h3>Invite a teammate</h3>
      <div id="invite-error" class="form-error" role="alert"></div>
      <label for="invite-email">Teammate's email</label>
      <input id="invite-email" name="email" type="email" autocomplete="off" required aria-describedby="invite-email-error">
      <p id="invite-email-error" class="field-error"></p>
      <button id="invite-button" type="submit" aria-busy="false">Create invitation link</button>
    </form>
    <div id="invite-result" class="notice" hidden>
      <p>Send this link to <strong id="invite-to"></strong>. It works once, for that email's account only, until <span id="invite-expires"></span>.</p>
      <label for="invite-link">Invitation link</label>
      <div class="row"><input id="invite-link" type="text" readonly><button id="copy-invite" type="button">Copy link</button></div>
    </div>
  </section>

  <section id="admin" hidden aria-labelledby="admin-title">
    <h2 id="admin-title">Administration</h2>
    <table class="list"><caption class="visually-hidden">All teams</caption>
      <thead><tr><th scope="col">Team</th><th scope="col">Members</th><th scope="col">Credentials</th></tr></thead>
      <tbody id="admin-teams"></tbody></table>
    <form id="admin-invite-form" novalidate aria-describedby="admin-invite-error">
      <h3>Invite an admin</h3>
      <div id="admin-invite-error" class="form-error" role="alert"></div>
      <label for="admin-email">Admin's email</label>
      <input id="admin-email" name="email" type="email" autocomplete="off" required aria-describedby="admin-email-error">
      <p id="admin-email-error" class="field-error"></p>
      <label for="admin-kind">Permission</label>
      <select id="admin-kind" name="kind"><option value="portal-admin">Portal admin (all teams)</option><option value="user-admin">User admin (the Users console)</option></select>
      <button id="admin-invite-button" type="submit" aria-busy="false">Create admin invitation link</button>
    </form>
    <div id="admin-invite-result" class="notice" hidden>
      <label for="admin-invite-link">Admin invitation link</label>
      <div class="row"><input id="admin-invite-link" type="text" readonly><button id="copy-admin-invite" type="button">Copy link</button></div>
    </div>
  </section>

  <section id="users" hidden aria-labelledby="users-title">
    <h2 id="users-title">Users</h2>
    <p class="hint">Find a user by email to see their sessions and state, and act on support requests. Every action is recorded in the audit trail.</p>
    <form id="user-search-form" novalidate aria-describedby="user-search-error">
      <div id="user-search-error" class="form-error" role="alert"></div>
      <label for="user-search-email">User's email</label>
      <div class="row"><input id="user-search-email" name="email" type="email" autocomplete="off" required aria-describedby="user-search-email-error"><button id="user-search-button" type="submit" aria-busy="false">Find user</button></div>
      <p id="user-search-email-error" class="field-error"></p>
    </form>
    <div id="user-card" class="card" hidden tabindex="-1" aria-labelledby="user-card-title">
      <h3 id="user-card-title"></h3>
      <dl id="user-facts" class="facts"></dl>
      <div id="user-actions" class="row wrap"></div>
      <h4 id="user-sessions-title">Sessions</h4>
      <div id="user-sessions"></div>
      <h4 id="user-audit-title">Audit trail</h4>
      <div id="user-audit"></div>
    </div>
  </section>
</div>

<dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
  <form method="dialog">
    <h2 id="confirm-title">Are you sure?</h2>
    <p id="confirm-text"></p>
    <div class="row"><button id="confirm-yes" value="yes" class="danger">Delete</button><button id="confirm-no" value="no" class="secondary" autofocus>Cancel</button></div>
  </form>
</dialog>
<noscript><p class="form-error">This page needs JavaScript.</p></noscript>
`;

const STYLE = `
body{align-items:flex-start}
main.wide{max-width:64rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem}
h3{font-size:1rem;margin:1.5rem 0 0}
.bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.5rem}
.who{color:var(--muted);font-size:.9rem}
button.link{width:auto;margin:0;padding:0;background:none;color:var(--accent);text-decoration:underline;font-weight:400}
button.danger{background:var(--danger)}
button.small{width:auto;margin:0 .25rem 0 0;padding:.35rem .7rem;font-size:.875rem}
.row{display:flex;gap:.5rem;align-items:center}
.row button{width:auto;margin-top:0;white-space:nowrap}
.row input{flex:1}
.grid{display:grid;grid-template-columns:2fr 1fr;gap:1rem}
select{width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:var(--card);border:1px solid var(--border);border-radius:8px}
table.list{width:100%;border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
table.list th,table.list td{text-align:left;padding:.5rem;border-bottom:1px solid var(--border);vertical-align:top}
code{font-size:.85rem;word-break:break-all}
.secret{border:2px solid var(--danger);border-radius:12px;padding:1rem 1.25rem;margin:1.5rem 0}
.secret h2{margin-top:0}
.warning{color:var(--danger)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ul.members{padding-left:1.25rem}
ul.members li{margin:.25rem 0}
dialog{border:1px solid var(--border);border-radius:12px;background:var(--card);color:var(--text);max-width:28rem}
dialog::backdrop{background:rgba(0,0,0,.4)}
.empty{color:var(--muted);font-style:italic}
.row.wrap{flex-wrap:wrap;margin:.75rem 0}
.card{border:1px solid var(--border);border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}
.card h3{margin-top:0}
h4{font-size:.95rem;margin:1.25rem 0 .25rem}
@media (max-width:40rem){.grid{grid-template-columns:1fr}}
`;

const SCRIPT = `(function () {
  'use strict';
  var base = window.location.pathname.replace(/\\/portal\\/?$/, '');
  var tokens = null;
  var createKey = null;
  var pendingInvite = null;
  var state = { team: null };
  var $ = function (id) { return document.getElementById(id); };

  function say(text) { $('status').textContent = text; }
  function pageError(text) { $('page-error').textContent = text || ''; }

  $('verify-resend').addEventListener('click', function () {
    var email = $('who-email').textContent || $('email').value.trim();
    $('verify-resend').disabled = true;
    send('POST', '/verify-email/resend', { email: email }).then(function (result) {
      $('verify-resend').disabled = false;
      $('verify-sent').textContent = result.ok ? 'We sent a new link to ' + email + '. Check your inbox (and spam folder).' : message(result, 'Could not send a new link');
    }).catch(function () { $('verify-resend').disabled = false; $('verify-sent').textContent = 'The portal could not be reached.'; });
  });

  function setBusy(button, on) {
    button.setAttribute('aria-busy', on ? 'true' : 'false');
    button.disabled = on;
  }

  function readInvite() {
    var match = /[#&]invite=([^&]+)/.exec(window.location.hash);
    if (!match) return;
    pendingInvite = decodeURIComponent(match[1]);
    // The token stays out of the address bar (history, screenshots) once read.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    $('invite-hint').hidden = false;
  }

  function send(method, path, body, headers, retried) {
    var init = { method: method, headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' };
    Object.keys(headers || {}).forEach(function (name) { init.headers[name] = headers[name]; });
    if (tokens) init.headers.Authorization = 'Bearer ' + tokens.access;
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(base + path, init).then(function (response) {
      return response.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (error) { parsed = null; }
        if (response.status === 401 && tokens && !retried) {
          return refresh().then(function (ok) {
            if (ok) return send(method, path, body, headers, true);
            signOut('Your session has ended. Please sign in again.');
            throw new Error('signed out');
          });
        }
        return { ok: response.ok, status: response.status, body: parsed };
      });
    });
  }

  function refresh() {
    if (!tokens || !tokens.refresh) return Promise.resolve(false);
    return fetch(base + '/login-flow/refresh', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'omit', cache: 'no-store',
      body: JSON.stringify({ refresh_token: tokens.refresh })
    }).then(function (response) {
      if (!response.ok) return false;
      return response.json().then(function (body) {
        tokens = { access: body.access_token, refresh: body.refresh_token };
        return true;
      });
    }).catch(function () { return false; });
  }

  // Any answer that says "confirm your email first" offers to send a new link.
  function offerVerification(result) {
    if (result.body && result.body.error === 'email_not_verified') $('verify-banner').hidden = false;
  }

  function message(result, fallback) {
    offerVerification(result);
    return (result.body && typeof result.body.formError === 'string' && result.body.formError) || fallback + ' (HTTP ' + result.status + ').';
  }

  function showFieldErrors(result, slots, formErrorId) {
    var fieldErrors = (result.body && result.body.fieldErrors) || {};
    var first = null;
    Object.keys(slots).forEach(function (field) {
      var input = $(slots[field][0]);
      var slot = $(slots[field][1]);
      var text = fieldErrors[field];
      if (text) { input.setAttribute('aria-invalid', 'true'); if (!first) first = input; } else input.removeAttribute('aria-invalid');
      slot.textContent = typeof text === 'string' ? text : '';
    });
    $(formErrorId).textContent = message(result, 'That did not work');
    if (first) first.focus();
  }

  function clearForm(slots, formErrorId) {
    Object.keys(slots).forEach(function (field) { $(slots[field][0]).removeAttribute('aria-invalid'); $(slots[field][1]).textContent = ''; });
    $(formErrorId).textContent = '';
  }

  function cell(row, text, tag) {
    var element = document.createElement(tag || 'td');
    if (text instanceof Node) element.appendChild(text); else element.textContent = text;
    row.appendChild(element);
    return element;
  }

  function code(text) { var element = document.createElement('code'); element.textContent = text; return element; }

  function button(label, className, onClick, described) {
    var element = document.createElement('button');
    element.type = 'button';
    element.className = 'small ' + (className || '');
    element.textContent = label;
    if (described) element.setAttribute('aria-label', described);
    element.addEventListener('click', onClick);
    return element;
  }

  function formatDate(value) { return value ? new Date(value).toLocaleString() : '—'; }

  function renderCredentials(data) {
    var container = $('environments');
    container.textContent = '';
    ['sandbox', 'production'].forEach(function (environment) {
      var info = (data.environments || {})[environment] || { available: false };
      var heading = document.createElement('h3');
      heading.textContent = environment === 'sandbox' ? 'Sandbox' : 'Production';
      container.appendChild(heading);
      if (!info.available) {
        var note = document.createElement('p');
        note.className = 'form-error';
        note.textContent = info.message || 'This environment is not available.';
        container.appendChild(note);
      } else {
        var hint = document.createElement('p');
        hint.className = 'hint';
        hint.textContent = 'Token URL: ' + info.token_url + (info.audiences && info.audiences.length ? ' · APIs: ' + info.audiences.join(', ') : '');
        container.appendChild(hint);
      }
      var list = (data.credentials || []).filter(function (credential) { return credential.environment === environment; });
      if (!list.length) {
        var empty = document.createElement('p');
        empty.className = 'empty';
        empty.textContent = 'No ' + environment + ' credentials yet.';
        container.appendChild(empty);
        return;
      }
      var table = document.createElement('table');
      table.className = 'list';
      table.setAttribute('data-environment', environment);
      var caption = document.createElement('caption');
      caption.className = 'visually-hidden';
      caption.textContent = heading.textContent + ' credentials';
      table.appendChild(caption);
      var head = table.createTHead().insertRow();
      ['Name', 'Client ID', 'APIs', 'Created', 'Actions'].forEach(function (title) { cell(head, title, 'th').setAttribute('scope', 'col'); });
      var body = table.createTBody();
      list.forEach(function (credential) {
        var row = body.insertRow();
        row.setAttribute('data-client-id', credential.client_id);
        cell(row, credential.name);
        cell(row, code(credential.client_id));
        cell(row, credential.audiences.join(', ') || '—');
        cell(row, formatDate(credential.created_at));
        var actions = cell(row, '');
        actions.appendChild(button('Rotate secret', 'secondary', function () { rotate(credential); }, 'Rotate the secret of ' + credential.name));
        actions.appendChild(button('Delete', 'danger', function () { remove(credential); }, 'Delete ' + credential.name));
      });
      container.appendChild(table);
    });
  }

  function loadCredentials() {
    return send('GET', '/portal/credentials').then(function (result) {
      if (!result.ok) { pageError(message(result, 'Could not load your credentials')); return; }
      renderCredentials(result.body);
    });
  }

  function renderTeam(data) {
    state.team = data;
    $('who-email').textContent = data.you.email;
    $('who-team').textContent = data.team.name;
    $('team-title').textContent = 'Team: ' + data.team.name;
    var members = $('members');
    members.textContent = '';
    data.members.forEach(function (member) {
      var item = document.createElement('li');
      item.appendChild(document.createTextNode(member.email + (member.you ? ' (you)' : '') + ' '));
      if (!member.you && data.members.length > 1) {
        item.appendChild(button('Remove', 'secondary', function () { removeMember(member); }, 'Remove ' + member.email + ' from the team'));
      }
      members.appendChild(item);
    });
    $('pending').textContent = data.invitations.length ? 'Pending invitations: ' + data.invitations.map(function (invitation) { return invitation.email; }).join(', ') : '';
    $('admin').hidden = !data.you.is_admin;
    if (data.you.is_admin) loadAdmin();
    loadUsersSection();
  }

  function loadTeam() {
    return send('GET', '/portal/team').then(function (result) {
      if (!result.ok) { pageError(message(result, 'Could not load your team')); return; }
      renderTeam(result.body);
    });
  }

  function loadAdmin() {
    return send('GET', '/portal/admin/teams').then(function (result) {
      var body = $('admin-teams');
      body.textContent = '';
      if (!result.ok) { pageError(message(result, 'Could not load the teams')); return; }
      result.body.teams.forEach(function (team) {
        var row = body.insertRow();
        cell(row, team.name);
        cell(row, String(team.member_count));
        cell(row, team.credentials.map(function (credential) { return credential.name + ' (' + credential.environment + ')'; }).join(', ') || '—');
      });
    });
  }

  function loadAll() { pageError(''); return Promise.all([loadTeam(), loadCredentials()]); }

  function showSecret(body) {
    $('secret-environment').textContent = body.environment;
    $('secret-client-id').textContent = body.client_id;
    $('secret-token-url').textContent = body.token_url;
    $('secret-audiences').textContent = (body.audiences || []).join(', ');
    $('secret-value').value = body.client_secret;
    $('secret-panel').hidden = false;
    $('secret-panel').focus();
    say('Credential ready. Copy the client secret now; it is shown only once.');
  }

  function hideSecret() {
    $('secret-value').value = '';
    $('secret-client-id').textContent = '';
    $('secret-panel').hidden = true;
    $('credential-name').focus();
  }

  function copy(inputId, buttonId) {
    var input = $(inputId);
    var done = function () { $(buttonId).textContent = 'Copied'; say('Copied to the clipboard.'); setTimeout(function () { $(buttonId).textContent = buttonId === 'copy-secret' ? 'Copy secret' : 'Copy link'; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); say('Press Ctrl+C (or Cmd+C) to copy.'); });
    } else { input.select(); say('Press Ctrl+C (or Cmd+C) to copy.'); }
  }

  function confirmDialog(text, yesLabel) {
    return new Promise(function (resolve) {
      var dialog = $('confirm');
      $('confirm-text').textContent = text;
      $('confirm-yes').textContent = yesLabel;
      dialog.returnValue = '';
      dialog.addEventListener('close', function onClose() { dialog.removeEventListener('close', onClose); resolve(dialog.returnValue === 'yes'); });
      dialog.showModal();
      $('confirm-no').focus();
    });
  }

  function rotate(credential) {
    confirmDialog('Rotate the secret of "' + credential.name + '"? The current secret stops working at once; services using it must switch to the new one.', 'Rotate secret').then(function (yes) {
      if (!yes) return;
      send('POST', '/portal/credentials/' + encodeURIComponent(credential.client_id) + '/rotate', undefined, { 'Idempotency-Key': newKey() }).then(function (result) {
        if (!result.ok) { pageError(message(result, 'Could not rotate the secret')); return; }
        showSecret(result.body);
      });
    });
  }

  function remove(credential) {
    confirmDialog('Delete "' + credential.name + '" (' + credential.environment + ')? Services using it lose access at once. This cannot be undone.', 'Delete').then(function (yes) {
      if (!yes) return;
      send('DELETE', '/portal/credentials/' + encodeURIComponent(credential.client_id)).then(function (result) {
        if (!result.ok) { pageError(message(result, 'Could not delete the credential')); return; }
        say('Credential deleted.');
        loadAll();
      });
    });
  }

  function removeMember(member) {
    confirmDialog('Remove ' + member.email + ' from the team? They keep their account and get a team of their own.', 'Remove').then(function (yes) {
      if (!yes) return;
      send('DELETE', '/portal/team/members/' + encodeURIComponent(member.user_id)).then(function (result) {
        if (!result.ok) { pageError(message(result, 'Could not remove the member')); return; }
        loadTeam();
      });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function signedIn(body) {
    tokens = { access: body.access_token, refresh: body.refresh_token };
    $('password').value = '';
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('invitation').hidden = !pendingInvite;
    loadAll().then(function () { say('Signed in.'); (pendingInvite ? $('accept-invitation') : $('credential-name')).focus(); });
  }

  function signOut(text) {
    tokens = null;
    state.team = null;
    hideSecret();
    $('users').hidden = true;
    $('user-card').hidden = true;
    $('app').hidden = true;
    $('who').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = text || '';
    $('email').focus();
  }

  var signInSlots = { email: ['email', 'email-error'], password: ['password', 'password-error'] };
  $('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var submit = $('sign-in-button');
    if (submit.disabled) return;
    clearForm(signInSlots, 'sign-in-error');
    var email = $('email').value.trim();
    var password = $('password').value;
    if (!email || !password) {
      showFieldErrors({ status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { email: email ? '' : 'Enter your email address.', password: password ? '' : 'Enter your password.' } } }, signInSlots, 'sign-in-error');
      return;
    }
    setBusy(submit, true);
    say('Signing in, please wait.');
    tokens = null;
    send('POST', '/login-flow/login', { email: email, password: password }).then(function (result) {
      setBusy(submit, false);
      if (result.ok && result.body && result.body.access_token) signedIn(result.body);
      else showFieldErrors(result, signInSlots, 'sign-in-error');
    }).catch(function () {
      setBusy(submit, false);
      $('sign-in-error').textContent = 'The portal could not be reached. Check your connection and try again.';
    });
  });

  var createSlots = { name: ['credential-name', 'name-error'] };
  $('create-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var submit = $('create-button');
    if (submit.disabled) return;
    clearForm(createSlots, 'create-error');
    var name = $('credential-name').value.trim();
    if (!name) { showFieldErrors({ status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { name: 'Give the credential a name.' } } }, createSlots, 'create-error'); return; }
    // One key per intended credential: a retry after a network error returns the same credential, not a second one.
    createKey = createKey || newKey();
    setBusy(submit, true);
    say('Creating the credential, please wait.');
    send('POST', '/portal/credentials', { name: name, environment: $('credential-environment').value }, { 'Idempotency-Key': createKey }).then(function (result) {
      setBusy(submit, false);
      if (!result.ok) { if (result.status < 500) createKey = null; showFieldErrors(result, createSlots, 'create-error'); return; }
      createKey = null;
      $('credential-name').value = '';
      showSecret(result.body);
      loadAll();
    }).catch(function () { setBusy(submit, false); $('create-error').textContent = 'The portal could not be reached. Try again: the same request will not create a second credential.'; });
  });

  function inviteForm(formId, inputId, errorId, buttonId, path, onDone) {
    var slots = { email: [inputId, errorId] };
    $(formId).addEventListener('submit', function (event) {
      event.preventDefault();
      var submit = $(buttonId);
      var formError = formId.replace('-form', '-error');
      clearForm(slots, formError);
      setBusy(submit, true);
      var payload = { email: $(inputId).value.trim() };
      if (formId === 'admin-invite-form') payload.kind = $('admin-kind').value;
      send('POST', path, payload).then(function (result) {
        setBusy(submit, false);
        if (!result.ok) { showFieldErrors(result, slots, formError); return; }
        $(inputId).value = '';
        onDone(result.body);
      }).catch(function () { setBusy(submit, false); $(formError).textContent = 'The portal could not be reached.'; });
    });
  }

  inviteForm('invite-form', 'invite-email', 'invite-email-error', 'invite-button', '/portal/team/invitations', function (body) {
    $('invite-to').textContent = body.email;
    $('invite-expires').textContent = formatDate(body.expires_at);
    $('invite-link').value = body.invitation_url;
    $('invite-result').hidden = false;
    $('invite-link').focus();
    loadTeam();
  });
  inviteForm('admin-invite-form', 'admin-email', 'admin-email-error', 'admin-invite-button', '/portal/admin/invitations', function (body) {
    $('admin-invite-link').value = body.invitation_url;
    $('admin-invite-result').hidden = false;
    $('admin-invite-link').focus();
  });

  $('accept-invitation').addEventListener('click', function () {
    var submit = $('accept-invitation');
    setBusy(submit, true);
    send('POST', '/portal/team/join', { token: pendingInvite }).then(function (result) {
      setBusy(submit, false);
      if (!result.ok) { pageError(message(result, 'Could not accept the invitation')); return; }
      pendingInvite = null;
      $('invitation').hidden = true;
      say(result.body.joined === 'admin' ? 'You are now a portal admin.' : 'You joined ' + result.body.team.name + '.');
      loadAll();
    });
  });
  $('dismiss-invitation').addEventListener('click', function () { pendingInvite = null; $('invitation').hidden = true; });
  $('copy-secret').addEventListener('click', function () { copy('secret-value', 'copy-secret'); });
  $('copy-invite').addEventListener('click', function () { copy('invite-link', 'copy-invite'); });
  $('copy-admin-invite').addEventListener('click', function () { copy('admin-invite-link', 'copy-admin-invite'); });
  $('dismiss-secret').addEventListener('click', hideSecret);
  $('sign-out').addEventListener('click', function () {
    var refreshToken = tokens && tokens.refresh;
    signOut('You are signed out.');
    if (refreshToken) fetch(base + '/oauth/revoke', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=' + encodeURIComponent(refreshToken), credentials: 'omit' }).catch(function () {});
  });

  // Users (operator console): shown only when the console answers, i.e. to holders of user-admin with a verified email.
  var selectedUser = null;

  function loadUsersSection() {
    return send('GET', '/admin/audit?limit=1').then(function (result) { $('users').hidden = !result.ok; });
  }

  function fact(list, term, value) {
    var dt = document.createElement('dt'); dt.textContent = term; list.appendChild(dt);
    var dd = document.createElement('dd'); dd.textContent = value; list.appendChild(dd);
  }

  function userAction(label, text, yesLabel, method, path, done, className) {
    return button(label, className || 'secondary', function () {
      confirmDialog(text, yesLabel).then(function (yes) {
        if (!yes) return;
        send(method, '/admin/users/' + encodeURIComponent(selectedUser.user_id) + path, undefined, method === 'POST' ? { 'Idempotency-Key': newKey() } : undefined).then(function (result) {
          if (!result.ok) { pageError(message(result, 'That did not work')); return; }
          pageError('');
          done(result);
        });
      });
    });
  }

  function renderUser(user) {
    selectedUser = user;
    var name = (user.first_name + ' ' + user.last_name).trim();
    $('user-card-title').textContent = (name ? name + ' · ' : '') + user.email;
    var facts = $('user-facts');
    facts.textContent = '';
    fact(facts, 'State', user.disabled_at ? 'Disabled since ' + formatDate(user.disabled_at) : 'Active');
    fact(facts, 'Email', user.email_verified ? 'Verified ' + formatDate(user.email_verified_at) : 'Not verified');
    fact(facts, 'Sign-in back-off', user.backoff.locked_until ? user.backoff.failures + ' failed attempts, locked until ' + formatDate(user.backoff.locked_until) : user.backoff.failures + ' failed attempts, not locked');
    fact(facts, 'Created', formatDate(user.created_at));
    fact(facts, 'Last sign-in', formatDate(user.last_sign_in_at));
    fact(facts, 'Team', user.team ? user.team.name : '—');
    fact(facts, 'Permissions', user.permissions.join(', ') || '—');
    fact(facts, 'Pending TV sign-ins', String(user.device_grants.length));
    fact(facts, 'User id', user.user_id);

    var actions = $('user-actions');
    actions.textContent = '';
    var who = user.email;
    actions.appendChild(userAction('Sign out everywhere', 'Sign ' + who + ' out of every device, including approved TV sign-ins? They must sign in again everywhere.', 'Sign out everywhere', 'POST', '/sign-out', function () { say('Signed out everywhere.'); reloadUser(); }));
    actions.appendChild(userAction('Unlock sign-in', 'Clear the failed sign-in attempts of ' + who + ' so they can try again at once?', 'Unlock', 'POST', '/unlock', function () { say('Sign-in unlocked.'); reloadUser(); }));
    if (user.disabled_at) actions.appendChild(userAction('Enable account', 'Enable ' + who + ' again? They can sign in, refresh and use hand-offs again.', 'Enable', 'POST', '/enable', function () { say('Account enabled.'); reloadUser(); }));
    else actions.appendChild(userAction('Disable account', 'Disable ' + who + '? They can no longer sign in, refresh tokens, approve a TV or open a partner app until enabled.', 'Disable', 'POST', '/disable', function () { say('Account disabled.'); reloadUser(); }, 'danger'));
    if (!user.email_verified) actions.appendChild(userAction('Send verification email', 'Send ' + who + ' a new link to verify their email address?', 'Send email', 'POST', '/verification-email', function () { say('Verification email sent.'); reloadUser(); }));
    actions.appendChild(userAction('Export data', 'Download everything stored about ' + who + ' as one JSON file? The export is recorded in the audit trail.', 'Export', 'GET', '/export', function (result) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([JSON.stringify(result.body, null, 2)], { type: 'application/json' }));
      link.download = 'user-' + user.user_id + '.json';
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      say('Export downloaded.');
      loadUserAudit();
    }));
    actions.appendChild(userAction('Delete user', 'Delete the account of ' + who + ' for good: profile, sessions and team seat. This cannot be undone.', 'Delete user', 'DELETE', '', function () {
      say('User deleted.');
      $('user-card').hidden = true;
      selectedUser = null;
    }, 'danger'));

    var sessions = $('user-sessions');
    sessions.textContent = '';
    if (!user.sessions.length) {
      var none = document.createElement('p'); none.className = 'empty'; none.textContent = 'No active sessions.'; sessions.appendChild(none);
    } else {
      var table = document.createElement('table');
      table.className = 'list';
      table.setAttribute('aria-labelledby', 'user-sessions-title');
      var head = table.createTHead().insertRow();
      ['Client', 'Started', 'Last used', 'Expires', 'Actions'].forEach(function (title) { cell(head, title, 'th').setAttribute('scope', 'col'); });
      var body = table.createTBody();
      user.sessions.forEach(function (session) {
        var row = body.insertRow();
        row.setAttribute('data-session-id', session.session_id);
        cell(row, session.client === 'tv' ? 'TV (' + session.client_id + ')' : 'App');
        cell(row, formatDate(session.started_at));
        cell(row, formatDate(session.last_used_at));
        cell(row, formatDate(session.expires_at));
        var actionsCell = cell(row, '');
        var end = userAction('Sign out', 'Sign out this session (started ' + formatDate(session.started_at) + ')? That device must sign in again.', 'Sign out session', 'DELETE', '/sessions/' + encodeURIComponent(session.session_id), function () { say('Session signed out.'); reloadUser(); });
        end.setAttribute('aria-label', 'Sign out the session started ' + formatDate(session.started_at));
        actionsCell.appendChild(end);
      });
      sessions.appendChild(table);
    }
    $('user-card').hidden = false;
    loadUserAudit();
  }

  function loadUserAudit() {
    if (!selectedUser) return Promise.resolve();
    return send('GET', '/admin/audit?limit=20&userId=' + encodeURIComponent(selectedUser.user_id)).then(function (result) {
      var container = $('user-audit');
      container.textContent = '';
      if (!result.ok) { pageError(message(result, 'Could not load the audit trail')); return; }
      if (!result.body.entries.length) {
        var none = document.createElement('p'); none.className = 'empty'; none.textContent = 'No recorded actions yet.'; container.appendChild(none); return;
      }
      var table = document.createElement('table');
      table.className = 'list';
      table.setAttribute('aria-labelledby', 'user-audit-title');
      var head = table.createTHead().insertRow();
      ['When', 'Action', 'By', 'Changes'].forEach(function (title) { cell(head, title, 'th').setAttribute('scope', 'col'); });
      var body = table.createTBody();
      result.body.entries.forEach(function (entry) {
        var row = body.insertRow();
        row.setAttribute('data-action', entry.action);
        cell(row, formatDate(entry.at));
        cell(row, entry.action);
        cell(row, entry.actor_email);
        cell(row, Object.keys(entry.changes).map(function (field) { return field + ': ' + JSON.stringify(entry.changes[field].before) + ' → ' + JSON.stringify(entry.changes[field].after); }).join('; ') || '—');
      });
      container.appendChild(table);
    });
  }

  function reloadUser() {
    if (!selectedUser) return;
    send('GET', '/admin/users/' + encodeURIComponent(selectedUser.user_id)).then(function (result) {
      if (!result.ok) { pageError(message(result, 'Could not load the user')); return; }
      renderUser(result.body);
    });
  }

  var searchSlots = { email: ['user-search-email', 'user-search-email-error'] };
  $('user-search-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var submit = $('user-search-button');
    clearForm(searchSlots, 'user-search-error');
    var email = $('user-search-email').value.trim();
    if (!email) { showFieldErrors({ status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { email: "Enter the user's email address." } } }, searchSlots, 'user-search-error'); return; }
    setBusy(submit, true);
    send('GET', '/admin/users?email=' + encodeURIComponent(email)).then(function (result) {
      if (!result.ok) { setBusy(submit, false); $('user-card').hidden = true; selectedUser = null; showFieldErrors(result, searchSlots, 'user-search-error'); return; }
      return send('GET', '/admin/users/' + encodeURIComponent(result.body.user_id)).then(function (card) {
        setBusy(submit, false);
        if (!card.ok) { showFieldErrors(card, searchSlots, 'user-search-error'); return; }
        renderUser(card.body);
        say('Showing ' + card.body.email + '.');
        $('user-card').focus();
      });
    }).catch(function () { setBusy(submit, false); $('user-search-error').textContent = 'The portal could not be reached.'; });
  });

  readInvite();
  $('email').focus();
})();`;

/** The portal page: static (no per-request data), so every instance serves the same bytes and CSP hashes. */
export function portalPage(): HttpResult {
  return renderPage({ title: 'Developer portal', body: BODY, script: SCRIPT, style: STYLE, wide: true });
}
