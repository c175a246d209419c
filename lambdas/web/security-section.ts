import type { MessageKey } from '../core/i18n/catalogues';
import type { Translator } from '../core/i18n/translate';
import { escapeHtml } from './page';

/**
 * The Security section of the account page (and of the portal's "add a second
 * factor first" step for admins): the list of second factors, one button per
 * kind of factor one can add, the TOTP enrolment and the recovery codes shown
 * once. The script is scripts/security.ts; ids start with `security-`,
 * `factor-`, `totp-` or `recovery-` so the section fits into any page.
 */

/** One "add" button per kind of factor: a new kind (passkeys) is one more row here and one more entry in the script's ADD_FACTOR. */
export const ADD_FACTOR_BUTTONS: readonly { id: string; kind: string; label: MessageKey }[] = [
  { id: 'add-totp', kind: 'totp', label: 'security.addTotp' },
  // Hidden until the script knows the browser can make a passkey.
  { id: 'add-passkey', kind: 'passkey', label: 'security.addPasskey' },
];

export const securitySection = ({ t }: Translator): string => {
  const say = (key: MessageKey) => escapeHtml(t(key));
  return `
<section id="security" aria-labelledby="security-title">
  <h2 id="security-title" tabindex="-1">${say('security.title')}</h2>
  <p class="hint">${say('security.hint')}</p>
  <div id="security-error" class="form-error" role="alert"></div>
  <h3 id="factor-list-title">${say('security.factors')}</h3>
  <ul id="factor-list" class="factor-list" aria-labelledby="factor-list-title"></ul>
  <p id="recovery-left" class="hint"></p>
  <div id="add-factor" class="factor-actions" role="group" aria-label="${say('security.addFactor')}">
    ${ADD_FACTOR_BUTTONS.map((button) => `<button id="${button.id}" type="button" data-factor-kind="${button.kind}" aria-busy="false"${button.kind === 'passkey' ? ' hidden' : ''}>${say(button.label)}</button>`).join('\n    ')}
  </div>
  <button id="new-recovery-codes" type="button" class="secondary" aria-busy="false" hidden>${say('security.newCodes')}</button>

  <section id="totp-enrolment" class="panel" hidden aria-labelledby="totp-title">
    <h3 id="totp-title" tabindex="-1">${say('security.addTotp')}</h3>
    <ol class="steps">
      <li>${say('security.totpScan')}</li>
      <li>${say('security.totpEnter')}</li>
    </ol>
    <img id="totp-qr" class="qr" alt="${say('security.totpQr')}" width="200" height="200">
    <p>${say('security.totpKey')} <code id="totp-secret" class="secret-text"></code></p>
    <form id="totp-form" novalidate aria-describedby="totp-form-error">
      <div id="totp-form-error" class="form-error" role="alert"></div>
      <label for="totp-code">${say('security.totpCode')}</label>
      <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="10" aria-describedby="totp-code-error">
      <p id="totp-code-error" class="field-error"></p>
      <button id="totp-confirm" type="submit" aria-busy="false">${say('security.totpConfirm')}</button>
      <button id="totp-cancel" type="button" class="secondary">${say('security.cancel')}</button>
    </form>
  </section>

  <section id="passkey-enrolment" class="panel" hidden aria-labelledby="passkey-title">
    <h3 id="passkey-title" tabindex="-1">${say('security.addPasskey')}</h3>
    <p class="hint">${say('security.passkeyHint')}</p>
    <form id="passkey-form" novalidate aria-describedby="passkey-form-error">
      <div id="passkey-form-error" class="form-error" role="alert"></div>
      <label for="passkey-label">${say('security.passkeyName')}</label>
      <input id="passkey-label" name="label" type="text" maxlength="60" value="${say('security.passkeyDefault')}" aria-describedby="passkey-label-error">
      <p id="passkey-label-error" class="field-error"></p>
      <button id="passkey-create" type="submit" aria-busy="false">${say('security.passkeyCreate')}</button>
      <button id="passkey-cancel" type="button" class="secondary">${say('security.cancel')}</button>
    </form>
  </section>

  <section id="recovery-panel" class="panel secret" hidden tabindex="-1" aria-labelledby="recovery-title">
    <h3 id="recovery-title">${say('security.recoveryTitle')}</h3>
    <p class="warning"><strong>${say('security.recoveryOnce')}</strong> ${say('security.recoveryWhy')}</p>
    <ol id="recovery-codes" class="codes"></ol>
    <button id="recovery-copy" type="button" class="secondary">${say('security.recoveryCopy')}</button>
    <button id="recovery-stored" type="button">${say('security.recoveryStored')}</button>
  </section>
</section>`;
};

/** Mobile first: the list is a column of rows, the QR code and codes never wider than the screen. */
export const SECURITY_STYLE = `
.factor-list{list-style:none;padding:0;margin:.5rem 0}
.factor-list li{border:1px solid var(--border);border-radius:8px;padding:.75rem;margin:.5rem 0;overflow-wrap:anywhere}
.factor-list .factor-name{font-weight:600}
.factor-list .factor-facts{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.factor-list .factor-buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
.factor-list .factor-buttons button{width:auto;margin:0;padding:.35rem .8rem;font-size:.875rem}
.factor-list form{margin-top:.5rem}
.factor-list .empty{color:var(--muted);font-style:italic;border:0;padding:0}
.factor-actions button{margin-top:.75rem}
.panel{border:1px solid var(--border);border-radius:12px;padding:1rem;margin:1.25rem 0}
.panel.secret{border:2px solid var(--danger)}
.panel h3{margin-top:0}
.panel h3:focus{outline:none}
.steps{padding-left:1.25rem}
.qr{display:block;width:200px;max-width:100%;height:auto;background:#fff;border-radius:8px;margin:.5rem auto}
.secret-text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all;letter-spacing:.05em}
.codes{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding-left:1.75rem}
@media (min-width:30rem){.codes{columns:2;column-gap:2rem}}
.warning{color:var(--danger)}
button.danger{background:var(--danger)}
.confirm-inline{margin-top:.5rem;padding:.5rem .75rem;border-left:3px solid var(--danger)}
.confirm-inline p{margin:0}
`;
