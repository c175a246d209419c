import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../core/password-policy';
import type { ProfileFieldSpec } from '../core/profile-fields';
import { extraField } from './signup-page';

/**
 * The account page's self-service sections (script: scripts/self-service.ts):
 * Profile, Password, Email, My data and Delete my account. Each is a small
 * function holding its own words, so they move into the language catalogues
 * one section at a time. Ids start with the section's name.
 */

const passwordInput = (id: string, label: string, autocomplete: string, hint = '') => `
<label for="${id}">${label}</label>
<input id="${id}" type="password" autocomplete="${autocomplete}" maxlength="${PASSWORD_MAX_LENGTH}" aria-describedby="${id}-error"${hint ? ` placeholder="${hint}"` : ''}>
<p id="${id}-error" class="field-error"></p>`;

const textInput = (id: string, label: string, autocomplete: string, type = 'text') => `
<label for="${id}">${label}</label>
<input id="${id}" type="${type}" autocomplete="${autocomplete}" maxlength="${type === 'email' ? 254 : 100}" aria-describedby="${id}-error"${type === 'email' ? ' autocapitalize="none" spellcheck="false"' : ''}>
<p id="${id}-error" class="field-error"></p>`;

export const profileSection = (extraFields: readonly ProfileFieldSpec[]): string => `
<section id="profile" aria-labelledby="profile-title">
  <h2 id="profile-title" tabindex="-1">Profile</h2>
  <form id="profile-form" novalidate aria-describedby="profile-form-error">
    <div id="profile-form-error" class="form-error" role="alert"></div>
    ${textInput('profile-first-name', 'First name', 'given-name')}
    ${textInput('profile-last-name', 'Last name', 'family-name')}
    ${extraFields.map(extraField).join('')}
    <button id="profile-save" type="submit" aria-busy="false">Save profile</button>
    <p id="profile-saved" class="saved" role="status"></p>
  </form>
</section>`;

export const passwordSection = (): string => `
<section id="password-change" aria-labelledby="password-title">
  <h2 id="password-title" tabindex="-1">Change password</h2>
  <p class="hint">If your account has a second factor, you confirm a code instead of your current password.</p>
  <form id="password-form" novalidate aria-describedby="password-form-error">
    <div id="password-form-error" class="form-error" role="alert"></div>
    ${passwordInput('password-current', 'Current password', 'current-password')}
    ${passwordInput('password-new', `New password (at least ${PASSWORD_MIN_LENGTH} characters)`, 'new-password')}
    <div class="check"><input id="password-sign-out-others" type="checkbox" checked><label for="password-sign-out-others">Sign out my other devices</label></div>
    <button id="password-save" type="submit" aria-busy="false">Change password</button>
    <p id="password-saved" class="saved" role="status"></p>
  </form>
</section>`;

export const emailSection = (): string => `
<section id="email-change" aria-labelledby="email-change-title">
  <h2 id="email-change-title" tabindex="-1">Change email</h2>
  <p class="hint">Your email: <strong id="email-current"></strong>. A new address takes effect when you open the link we send to it; your current address is told.</p>
  <form id="email-form" novalidate aria-describedby="email-form-error">
    <div id="email-form-error" class="form-error" role="alert"></div>
    ${textInput('email-new', 'New email address', 'email', 'email')}
    ${passwordInput('email-password', 'Current password', 'current-password')}
    <button id="email-save" type="submit" aria-busy="false">Send the link</button>
    <p id="email-pending" class="saved" role="status"></p>
  </form>
</section>`;

export const myDataSection = (): string => `
<section id="my-data" aria-labelledby="my-data-title">
  <h2 id="my-data-title" tabindex="-1">My data</h2>
  <p class="hint">Everything we store about you, as one JSON file. It never contains your password or codes.</p>
  <div id="my-data-error" class="form-error" role="alert"></div>
  <button id="my-data-download" type="button" class="secondary" aria-busy="false">Download my data</button>
</section>`;

export const deleteSection = (): string => `
<section id="delete" aria-labelledby="delete-title">
  <h2 id="delete-title" tabindex="-1">Delete my account</h2>
  <p class="hint">This deletes your account and everything stored with it, on every device. It cannot be undone.</p>
  <button id="delete-open" type="button" class="danger" aria-busy="false">Delete my account…</button>
</section>
<dialog id="delete-dialog" class="step-up" aria-labelledby="delete-dialog-title" aria-describedby="delete-dialog-text">
  <form id="delete-form" novalidate aria-describedby="delete-form-error">
    <h2 id="delete-dialog-title">Delete your account?</h2>
    <p id="delete-dialog-text" class="hint">Type your email address to confirm. Your account and its data are deleted at once.</p>
    <div id="delete-form-error" class="form-error" role="alert"></div>
    ${textInput('delete-confirm-email', 'Your email address', 'off', 'email')}
    <div class="row"><button id="delete-submit" type="submit" class="danger" aria-busy="false">Delete for ever</button><button id="delete-cancel" type="button" class="secondary">Cancel</button></div>
  </form>
</dialog>`;

/** Every self-service section, in the page's order. */
export const selfServiceSections = (extraFields: readonly ProfileFieldSpec[]): string =>
  [profileSection(extraFields), passwordSection(), emailSection(), myDataSection()].join('\n');

/** Mobile first: every field full width, long addresses wrap. */
export const SELF_SERVICE_STYLE = `
#email-current{overflow-wrap:anywhere}
.saved{color:var(--muted);font-size:.9rem;margin:.5rem 0 0;overflow-wrap:anywhere}
.check{display:flex;gap:.5rem;align-items:center;margin-top:1rem}
.check input{width:auto;margin:0}
button.danger{background:#b42318;color:#fff}
`;
