import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/reset-password-script.json';
import { LINK_PAGE_STYLE, linkPageData, linkPageTail } from './markup';
import { type PageLook, renderPage } from './page';

/**
 * What the page knows about its link when it is served: `valid` shows the
 * new-password form, `used` / `expired` / `invalid` explain why not and offer
 * a new link, `none` (no token) asks for the email straight away, and
 * `unchecked` (the store could not be asked) shows the form and lets the
 * confirm call decide.
 */
export type ResetPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

/** "Send me a new link" only where there was an old one: opened without a link, the page offers "a link". */
const body = (state: ResetPageState) => `
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
${linkPageTail({
  hint: 'Enter the email address of your account and we will send you a link to choose a new password.',
  button: state === 'none' ? 'Send me a link' : 'Send me a new link',
  needs: 'reset your password',
  next: 'Sign in with your new password in the apps, or <a href="account">sign in to your account</a> here.',
})}`;

const STYLE = `${LINK_PAGE_STYLE}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
label.check input{width:auto;margin:0}
`;

export function resetPasswordPage(options: {
  state: ResetPageState;
  token?: string;
  problem?: string;
  validMinutes: number;
  returnTo?: string;
  look?: PageLook;
}): HttpResult {
  const data = { ...linkPageData(options), validMinutes: options.validMinutes };
  return renderPage({ look: options.look, title: 'Reset your password', body: body(options.state), script: SCRIPT, style: STYLE, data });
}
