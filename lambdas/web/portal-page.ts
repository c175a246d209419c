import type { MessageKey } from '../core/i18n/catalogues';
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
const body = (texts: Translator) => {
  const { t } = texts;
  const e = (key: MessageKey) => escapeHtml(t(key));
  // The placeholders of the invitation sentence become the slots the script fills.
  const inviteSent = e('portal.inviteSent').replace('{email}', '<strong id="invite-to"></strong>').replace('{expires}', '<span id="invite-expires"></span>');
  return `
<header class="bar">
  <h1>${e('portal.title')}</h1>
  <div id="who" class="who" hidden><span id="who-email"></span> · <span id="who-team"></span> <button id="sign-out" type="button" class="link">${e('account.signOut')}</button></div>
</header>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<div id="page-error" class="form-error" role="alert"></div>
<div id="verify-banner" class="notice" hidden>
  <p>${e('portal.verifyBanner')}</p>
  <button id="verify-resend" type="button" class="secondary">${e('form.sendNewLink')}</button>
  <p id="verify-sent" role="status"></p>
</div>

<section id="sign-in" aria-labelledby="sign-in-title">
  <h2 id="sign-in-title">${e('form.signIn')}</h2>
  <p class="hint">${e('portal.signInHint')}</p>
  <p id="invite-hint" class="notice" hidden>${e('portal.inviteHint')}</p>
  ${signInForm(texts)}
</section>

<div id="app" hidden>
  <section id="factor-gate" class="gate" hidden aria-labelledby="factor-gate-title">
    <h2 id="factor-gate-title" tabindex="-1">${e('portal.gateTitle')}</h2>
    <p id="factor-gate-text">${e('portal.gateEnrol')}</p>
    <button id="factor-gate-step-up" type="button" hidden>${e('portal.gateStepUp')}</button>
    ${securitySection(texts)}
  </section>
  <section id="invitation" class="notice" hidden aria-labelledby="invitation-title">
    <h2 id="invitation-title">${e('portal.invitationTitle')}</h2>
    <p id="invitation-text">${e('portal.invitationText')}</p>
    <div class="row wrap"><button id="accept-invitation" type="button">${e('portal.acceptInvitation')}</button><button id="dismiss-invitation" type="button" class="secondary">${e('portal.notNow')}</button></div>
  </section>

  <section id="secret-panel" class="secret" hidden tabindex="-1" aria-labelledby="secret-title">
    <h2 id="secret-title">${e('portal.secretTitle')}</h2>
    <p class="warning"><strong>${e('portal.secretOnce')}</strong> ${e('portal.secretStore')}</p>
    <dl class="facts">
      <dt>${e('portal.environment')}</dt><dd id="secret-environment"></dd>
      <dt>${e('portal.clientId')}</dt><dd><code id="secret-client-id"></code></dd>
      <dt>${e('portal.tokenUrl')}</dt><dd><code id="secret-token-url"></code></dd>
      <dt>${e('portal.apis')}</dt><dd id="secret-audiences"></dd>
    </dl>
    <label for="secret-value">${e('portal.clientSecret')}</label>
    <div class="row stack"><input id="secret-value" type="text" readonly spellcheck="false" autocomplete="off"><button id="copy-secret" type="button">${e('portal.copySecret')}</button></div>
    <button id="dismiss-secret" type="button" class="secondary">${e('portal.secretStored')}</button>
  </section>

  <section aria-labelledby="credentials-title">
    <h2 id="credentials-title">${e('portal.credentialsTitle')}</h2>
    <p class="hint">${e('portal.credentialsHint')}</p>
    <div id="environments"></div>
    <form id="create-form" novalidate aria-describedby="create-error">
      <h3>${e('portal.createTitle')}</h3>
      <div id="create-error" class="form-error" role="alert"></div>
      <div class="grid">
        <div>
          <label for="credential-name">${e('portal.name')}</label>
          <input id="credential-name" name="name" type="text" maxlength="64" required aria-describedby="name-error" placeholder="${e('portal.namePlaceholder')}">
          <p id="name-error" class="field-error"></p>
        </div>
        <div>
          <label for="credential-environment">${e('portal.environment')}</label>
          <select id="credential-environment" name="environment"><option value="sandbox">${e('portal.sandbox')}</option><option value="production">${e('portal.production')}</option></select>
          <p class="field-error"></p>
        </div>
      </div>
      <button id="create-button" type="submit" aria-busy="false">${e('portal.createButton')}</button>
    </form>
  </section>

  <section aria-labelledby="team-title">
    <h2 id="team-title">${e('portal.teamTitle')}</h2>
    <ul id="members" class="members"></ul>
    <p id="pending" class="hint"></p>
    <form id="invite-form" novalidate aria-describedby="invite-error">
      <h3>${e('portal.inviteTitle')}</h3>
      <div id="invite-error" class="form-error" role="alert"></div>
      ${emailField('invite-email', e('portal.inviteEmail'), 'off')}
      <button id="invite-button" type="submit" aria-busy="false">${e('portal.inviteButton')}</button>
    </form>
    <div id="invite-result" class="notice" hidden>
      <p>${inviteSent}</p>
      <label for="invite-link">${e('portal.inviteLink')}</label>
      <div class="row stack"><input id="invite-link" type="text" readonly><button id="copy-invite" type="button">${e('portal.copyLink')}</button></div>
    </div>
  </section>

  <section id="admin" hidden aria-labelledby="admin-title">
    <h2 id="admin-title">${e('portal.adminTitle')}</h2>
    <table class="list"><caption class="visually-hidden">${e('portal.allTeams')}</caption>
      <thead><tr><th scope="col">${e('portal.teamTitle')}</th><th scope="col">${e('portal.members')}</th><th scope="col">${e('portal.credentials')}</th></tr></thead>
      <tbody id="admin-teams"></tbody></table>
    <form id="admin-invite-form" novalidate aria-describedby="admin-invite-error">
      <h3>${e('portal.adminInviteTitle')}</h3>
      <div id="admin-invite-error" class="form-error" role="alert"></div>
      ${emailField('admin-email', e('portal.adminEmail'), 'off')}
      <label for="admin-kind">${e('portal.permission')}</label>
      <select id="admin-kind" name="kind"><option value="portal-admin">${e('portal.portalAdminOption')}</option><option value="user-admin">${e('portal.userAdminOption')}</option></select>
      <button id="admin-invite-button" type="submit" aria-busy="false">${e('portal.adminInviteButton')}</button>
    </form>
    <div id="admin-invite-result" class="notice" hidden>
      <label for="admin-invite-link">${e('portal.adminInviteLink')}</label>
      <div class="row stack"><input id="admin-invite-link" type="text" readonly><button id="copy-admin-invite" type="button">${e('portal.copyLink')}</button></div>
    </div>
    <h3 id="admin-invitations-title">${e('portal.adminInvitationsTitle')}</h3>
    <p class="hint">${e('portal.adminInvitationsHint')}</p>
    <div id="admin-invitations" aria-labelledby="admin-invitations-title"></div>
  </section>

  <section id="users" hidden aria-labelledby="users-title">
    <h2 id="users-title">${e('console.title')}</h2>
    <p class="hint">${e('console.hint')}</p>
    <form id="user-search-form" novalidate aria-describedby="user-search-error">
      <div id="user-search-error" class="form-error" role="alert"></div>
      <label for="user-search-email">${e('console.userEmail')}</label>
      <div class="row stack"><input id="user-search-email" name="email" type="email" autocomplete="off" required aria-describedby="user-search-email-error"><button id="user-search-button" type="submit" aria-busy="false">${e('console.find')}</button></div>
      <p id="user-search-email-error" class="field-error"></p>
    </form>
    <div id="user-card" class="card" hidden tabindex="-1" aria-labelledby="user-card-title">
      <h3 id="user-card-title"></h3>
      <dl id="user-facts" class="facts"></dl>
      <div id="user-actions" class="row wrap"></div>
      <h4 id="user-sessions-title">${e('console.sessions')}</h4>
      <div id="user-sessions"></div>
      <h4 id="user-audit-title">${e('console.audit')}</h4>
      <div id="user-audit"></div>
    </div>
  </section>
</div>

<dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
  <form method="dialog">
    <h2 id="confirm-title">${e('portal.confirmTitle')}</h2>
    <p id="confirm-text"></p>
    <div class="row wrap"><button id="confirm-yes" value="yes" class="danger">${e('portal.delete')}</button><button id="confirm-no" value="no" class="secondary" autofocus>${e('portal.cancel')}</button></div>
  </form>
</dialog>
${stepUpDialog(texts)}
<noscript><p class="form-error">${e('account.needsJavaScript')}</p></noscript>
`;
};

/**
 * The portal's style. Its lists (credentials, teams, admin invitations, the console's sessions and audit trail) are
 * tables on wide screens and a card per row on a phone: each value under its column's heading (`data-label`, set by
 * scripts/portal/dom.ts `cell`).
 */
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
h3,h4,dd,li,td,.hint,.who{overflow-wrap:anywhere}
.row input{min-width:0}
dl.facts dd{min-width:0}
@media (max-width:40rem){
.row.stack{flex-direction:column;align-items:stretch}
.row.stack button{width:100%}
dl.facts{grid-template-columns:1fr;gap:0}
dl.facts dd{margin-bottom:.5rem}
table.list,table.list tbody,table.list tr,table.list td{display:block;width:auto}
table.list thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table.list tr{border:1px solid var(--border);border-radius:12px;padding:.5rem .75rem;margin:.75rem 0}
table.list td{border:0;padding:.25rem 0}
table.list td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;font-weight:600;color:var(--muted)}
table.list td button.small{margin:.25rem .25rem .25rem 0}
}
`;

const PORTAL_SCRIPT_GROUPS = [
  'portal.*',
  'console.*',
  'form.email',
  'form.otp*',
  'account.script.*',
  'account.error.*',
  'security.script.*',
  'factor.script.*',
  'passkey.script.*',
];

/** The portal page: static (no per-request data), so every instance serves the same bytes and CSP hashes. */
export function portalPage(look?: PageLook): HttpResult {
  const texts = textsOf(look);
  return renderPage({
    look,
    title: texts.t('portal.title'),
    body: body(texts),
    script: SCRIPT,
    style: SECURITY_STYLE + SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + STYLE,
    wide: true,
    // The portal's scripts, the Security section's (scripts/security.ts) and the sign-in's speak the page's language.
    data: { messages: scriptMessages(texts, PORTAL_SCRIPT_GROUPS) },
  });
}
