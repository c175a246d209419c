import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/portal-script.json';
import { emailField, NEXT_STEP_STYLE, SECOND_FACTOR_STYLE, signInForm, stepUpDialog } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';
import { scriptMessages } from './script-messages';
import { SECURITY_STYLE, securitySection } from './security-section';

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
const body = ({ t, ...texts }: Translator) => `
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
  <h2 id="sign-in-title">${escapeHtml(t('form.signIn'))}</h2>
  <p class="hint">${escapeHtml(t('portal.signInHint'))}</p>
  <p id="invite-hint" class="notice" hidden>You were invited to the portal. Sign in with the invited account to accept.</p>
  ${signInForm({ t, ...texts })}
</section>

<div id="app" hidden>
  <section id="factor-gate" class="gate" hidden aria-labelledby="factor-gate-title">
    <h2 id="factor-gate-title" tabindex="-1">Add a second factor to open the administration</h2>
    <p id="factor-gate-text">Administrators sign in with their password and a code. Add an authenticator app below: the administration opens as soon as it is confirmed.</p>
    <button id="factor-gate-step-up" type="button" hidden>Confirm with a code</button>
    ${securitySection({ t, ...texts })}
  </section>
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
      ${emailField('invite-email', "Teammate's email", 'off')}
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
      ${emailField('admin-email', "Admin's email", 'off')}
      <label for="admin-kind">Permission</label>
      <select id="admin-kind" name="kind"><option value="portal-admin">Portal admin (all teams)</option><option value="user-admin">User admin (the Users console)</option></select>
      <button id="admin-invite-button" type="submit" aria-busy="false">Create admin invitation link</button>
    </form>
    <div id="admin-invite-result" class="notice" hidden>
      <label for="admin-invite-link">Admin invitation link</label>
      <div class="row"><input id="admin-invite-link" type="text" readonly><button id="copy-admin-invite" type="button">Copy link</button></div>
    </div>
    <h3 id="admin-invitations-title">Pending admin invitations</h3>
    <p class="hint">Admin invitations expire sooner than team invitations. Withdraw one and its link stops working at once.</p>
    <div id="admin-invitations" aria-labelledby="admin-invitations-title"></div>
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
${stepUpDialog()}
<noscript><p class="form-error">This page needs JavaScript.</p></noscript>
`;

const STYLE = `
body{justify-content:flex-start}
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
.gate{border:2px solid var(--accent);border-radius:12px;padding:1rem 1.25rem;margin:1.5rem 0}
.gate h2{margin-top:0}
.gate h2:focus{outline:none}
`;

/** The portal page: static (no per-request data), so every instance serves the same bytes and CSP hashes. */
export function portalPage(look?: PageLook): HttpResult {
  return renderPage({
    look,
    title: 'Developer portal',
    body: body(textsOf(look)),
    script: SCRIPT,
    style: SECURITY_STYLE + SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + STYLE,
    wide: true,
    // The Security section's script (scripts/security.ts) speaks the page's language.
    data: { messages: scriptMessages(textsOf(look), ['account.script.failedWhat', 'account.error.*', 'security.script.*']) },
  });
}
