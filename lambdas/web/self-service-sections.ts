import type { Translator } from '../core/i18n/translate';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/password-policy';
import type { ProfileFieldSpec } from '../core/profile-fields';
import { escapeHtml } from './page';
import { extraField } from './signup-page';

/**
 * The account page's self-service sections (script: scripts/self-service.ts):
 * Profile, Password, Email, My data and Delete my account. Each is a small
 * function holding its own words, so they move into the language catalogues
 * one section at a time. Ids start with the section's name.
 */

const passwordInput = (id: string, label: string, autocomplete: string, hint = '') => `
<label for="${id}">${escapeHtml(label)}</label>
<input id="${id}" type="password" autocomplete="${autocomplete}" maxlength="${PASSWORD_MAX_LENGTH}" aria-describedby="${id}-error"${hint ? ` placeholder="${hint}"` : ''}>
<p id="${id}-error" class="field-error"></p>`;

const textInput = (id: string, label: string, autocomplete: string, type = 'text') => `
<label for="${id}">${escapeHtml(label)}</label>
<input id="${id}" type="${type}" autocomplete="${autocomplete}" maxlength="${type === 'email' ? 254 : 100}" aria-describedby="${id}-error"${type === 'email' ? ' autocapitalize="none" spellcheck="false"' : ''}>
<p id="${id}-error" class="field-error"></p>`;

export const profileSection = ({ t }: Translator, extraFields: readonly ProfileFieldSpec[]): string => `
<section id="profile" aria-labelledby="profile-title">
  <h2 id="profile-title" tabindex="-1">${escapeHtml(t('selfService.profile'))}</h2>
  <form id="profile-form" novalidate aria-describedby="profile-form-error">
    <div id="profile-form-error" class="form-error" role="alert"></div>
    ${textInput('profile-first-name', t('selfService.firstName'), 'given-name')}
    ${textInput('profile-last-name', t('selfService.lastName'), 'family-name')}
    ${extraFields.map(extraField).join('')}
    <button id="profile-save" type="submit" aria-busy="false">${escapeHtml(t('selfService.saveProfile'))}</button>
    <p id="profile-saved" class="saved" role="status"></p>
  </form>
</section>`;

export const passwordSection = ({ t }: Translator): string => `
<section id="password-change" aria-labelledby="password-title">
  <h2 id="password-title" tabindex="-1">${escapeHtml(t('selfService.password'))}</h2>
  <p class="hint">${escapeHtml(t('selfService.passwordHint'))}</p>
  <form id="password-form" novalidate aria-describedby="password-form-error">
    <div id="password-form-error" class="form-error" role="alert"></div>
    ${passwordInput('password-current', t('selfService.currentPassword'), 'current-password')}
    ${passwordInput('password-new', t('selfService.newPassword', { count: PASSWORD_MIN_LENGTH }), 'new-password')}
    <div class="check"><input id="password-sign-out-others" type="checkbox" checked><label for="password-sign-out-others">${escapeHtml(t('selfService.signOutOthers'))}</label></div>
    <button id="password-save" type="submit" aria-busy="false">${escapeHtml(t('selfService.password'))}</button>
    <p id="password-saved" class="saved" role="status"></p>
  </form>
</section>`;

export const emailSection = ({ t }: Translator): string => `
<section id="email-change" aria-labelledby="email-change-title">
  <h2 id="email-change-title" tabindex="-1">${escapeHtml(t('selfService.email'))}</h2>
  <p class="hint">${escapeHtml(t('selfService.yourEmail'))} <strong id="email-current"></strong>. ${escapeHtml(t('selfService.emailHint'))}</p>
  <form id="email-form" novalidate aria-describedby="email-form-error">
    <div id="email-form-error" class="form-error" role="alert"></div>
    ${textInput('email-new', t('selfService.newEmail'), 'email', 'email')}
    ${passwordInput('email-password', t('selfService.currentPassword'), 'current-password')}
    <button id="email-save" type="submit" aria-busy="false">${escapeHtml(t('selfService.sendLink'))}</button>
    <p id="email-pending" class="saved" role="status"></p>
  </form>
</section>`;

export const myDataSection = ({ t }: Translator): string => `
<section id="my-data" aria-labelledby="my-data-title">
  <h2 id="my-data-title" tabindex="-1">${escapeHtml(t('selfService.myData'))}</h2>
  <p class="hint">${escapeHtml(t('selfService.myDataHint'))}</p>
  <div id="my-data-error" class="form-error" role="alert"></div>
  <button id="my-data-download" type="button" class="secondary" aria-busy="false">${escapeHtml(t('selfService.download'))}</button>
</section>`;

export const deleteSection = ({ t }: Translator): string => `
<section id="delete" aria-labelledby="delete-title">
  <h2 id="delete-title" tabindex="-1">${escapeHtml(t('selfService.delete'))}</h2>
  <p class="hint">${escapeHtml(t('selfService.deleteHint'))}</p>
  <button id="delete-open" type="button" class="danger" aria-busy="false">${escapeHtml(t('selfService.deleteOpen'))}</button>
</section>
<dialog id="delete-dialog" class="step-up" aria-labelledby="delete-dialog-title" aria-describedby="delete-dialog-text">
  <form id="delete-form" novalidate aria-describedby="delete-form-error">
    <h2 id="delete-dialog-title">${escapeHtml(t('selfService.deleteTitle'))}</h2>
    <p id="delete-dialog-text" class="hint">${escapeHtml(t('selfService.deleteText'))}</p>
    <div id="delete-form-error" class="form-error" role="alert"></div>
    ${textInput('delete-confirm-email', t('selfService.deleteEmail'), 'off', 'email')}
    <div class="row"><button id="delete-submit" type="submit" class="danger" aria-busy="false">${escapeHtml(t('selfService.deleteSubmit'))}</button><button id="delete-cancel" type="button" class="secondary">${escapeHtml(t('selfService.cancel'))}</button></div>
  </form>
</dialog>`;

/** Every self-service section, in the page's order. */
export const selfServiceSections = (texts: Translator, extraFields: readonly ProfileFieldSpec[]): string =>
  [profileSection(texts, extraFields), passwordSection(texts), emailSection(texts), myDataSection(texts)].join('\n');

/** Mobile first: every field full width, long addresses wrap. */
export const SELF_SERVICE_STYLE = `
#email-current{overflow-wrap:anywhere}
.saved{color:var(--muted);font-size:.9rem;margin:.5rem 0 0;overflow-wrap:anywhere}
.check{display:flex;gap:.5rem;align-items:center;margin-top:1rem}
.check input{width:auto;margin:0}
button.danger{background:#b42318;color:#fff}
`;
