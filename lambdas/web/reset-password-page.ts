import type { HttpResult } from '../http/responses';
import { SCRIPT } from './generated/reset-password-script';
import { renderPage } from './page';

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
