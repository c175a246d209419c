import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/verify-email-script.json';
import { LINK_PAGE_STYLE, linkPageData, linkPageTail } from './markup';
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
${linkPageTail({
  hint: 'Enter the email address of your account and we will send you a new confirmation link.',
  button: 'Send a new link',
  needs: 'confirm your email',
  next: '<a href="account">Sign in to your account</a> or go to the <a href="./">home page</a>.',
})}`;

export function verifyEmailPage(options: { state: VerifyPageState; token?: string; problem?: string; returnTo?: string }): HttpResult {
  return renderPage({ title: 'Confirm your email', body: BODY, script: SCRIPT, style: LINK_PAGE_STYLE, data: linkPageData(options) });
}
