import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/email-change-script.json';
import { LINK_PAGE_STYLE } from './markup';
import { renderPage } from './page';

/** `valid` shows the button; `used` / `expired` / `invalid` say why not; `unchecked` (the store could not be asked) lets the confirm decide. */
export type EmailChangePageState = 'valid' | 'used' | 'expired' | 'invalid' | 'unchecked';

/** The page's words, in one place (for the language catalogues). */
const TEXT = {
  title: 'Use this email',
  hint: 'Press the button to make this address the email of your account. Until you do, your account keeps its current address.',
  button: 'Use this email',
  problemTitle: 'This link cannot be used',
  toAccount: 'Go to your account',
  close: 'You can close this window.',
};

const BODY = `
<h1 id="title" tabindex="-1">${TEXT.title}</h1>
<p id="link-problem" class="form-error" role="alert" hidden></p>
<section id="confirm" hidden>
  <form id="confirm-form" novalidate aria-describedby="confirm-form-error">
    <p class="hint">${TEXT.hint}</p>
    <div id="confirm-form-error" class="form-error" role="alert"></div>
    <button id="confirm-submit" type="submit" aria-busy="false">${TEXT.button}</button>
  </form>
</section>
<section id="done" hidden>
  <p id="done-message" role="status"></p>
</section>
<p class="next" id="next"><a id="continue" href="../account">${TEXT.toAccount}</a></p>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
`;

/** `returnTo`: an allow-listed "Continue" target (http/return-to.ts), else the account page. */
export function emailChangePage(options: { state: EmailChangePageState; token: string; problem: string; returnTo?: string }): HttpResult {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return renderPage({
    title: TEXT.title,
    body: BODY,
    script: SCRIPT,
    // A long address wraps instead of widening a phone's page.
    style: `${LINK_PAGE_STYLE}#done-message,#link-problem{overflow-wrap:anywhere}`,
    data: {
      state: options.state,
      token: withToken ? options.token : '',
      problem: options.problem,
      problemTitle: TEXT.problemTitle,
      returnTo: options.returnTo ?? '',
    },
  });
}
