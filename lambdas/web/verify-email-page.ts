import type { HttpResult } from '../http/responses';
import { SCRIPT } from './generated/verify-email-script';
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
<section id="request-link" hidden>
  <form id="request-form" novalidate aria-describedby="request-form-error">
    <p id="link-problem" class="form-error" hidden></p>
    <p class="hint">Enter the email address of your account and we will send you a new confirmation link.</p>
    <div id="request-form-error" class="form-error" role="alert"></div>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required aria-describedby="email-error">
    <p id="email-error" class="field-error"></p>
    <button id="request-submit" type="submit" aria-busy="false">Send a new link</button>
  </form>
</section>
<section id="done" hidden>
  <p id="done-text" class="notice" role="status"></p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to confirm your email.</p></noscript>
`;

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
#link-problem{margin:0 0 1rem}
`;


export function verifyEmailPage(options: { state: VerifyPageState; token?: string; problem?: string }): HttpResult {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return renderPage({
    title: 'Confirm your email',
    body: BODY,
    script: SCRIPT,
    style: STYLE,
    data: { state: options.state, token: withToken ? (options.token ?? '') : '', problem: options.problem ?? '' },
  });
}
