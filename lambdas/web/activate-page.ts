import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/activate-script.json';
import { answerMessages, doneStep, NEXT_STEP_STYLE, SECOND_FACTOR_STYLE, secondFactorMessages, signInMethods, verifyResendBox } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/**
 * GET /activate: where a person connects a TV (RFC 8628 §3.3). Step one asks
 * for the code (pre-filled from `verification_uri_complete`), step two shows
 * which app asks and the code again, so the person can check it against the
 * TV (§5.4 remote phishing), then signs in to approve, or cancels.
 */
/** What scripts/activate.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator): Record<string, string> => ({
  ...answerMessages(texts),
  ...secondFactorMessages(texts),
  'activate.script.fillIn': texts.t('activate.script.fillIn'),
  'activate.script.enterCode': texts.t('activate.script.enterCode'),
  'activate.script.checking': texts.t('activate.script.checking'),
  'activate.script.approving': texts.t('activate.script.approving'),
  'activate.script.cancelling': texts.t('activate.script.cancelling'),
  'activate.script.connected': texts.t('activate.script.connected'),
  'activate.script.cancelled': texts.t('activate.script.cancelled'),
  'activate.script.approvedText': texts.t('activate.script.approvedText'),
  'activate.script.deniedText': texts.t('activate.script.deniedText'),
  'activate.script.sent': texts.t('activate.script.sent'),
  'activate.script.unreachable': texts.t('activate.script.unreachable'),
  'activate.script.unknown_code': texts.t('activate.script.unknown_code'),
  'activate.script.code_used': texts.t('activate.script.code_used'),
  'activate.script.code_denied': texts.t('activate.script.code_denied'),
  'activate.script.code_expired': texts.t('activate.script.code_expired'),
});

const body = (texts: Translator, providers: readonly ('apple' | 'google')[], termsUrl?: string) => {
  const { t } = texts;
  return `
<h1 id="title" tabindex="-1">${escapeHtml(t('activate.title'))}</h1>
<section id="step-code">
  <form id="code-form" novalidate aria-describedby="code-form-error">
    <p class="hint">${escapeHtml(t('activate.codeHint'))}</p>
    <div id="code-form-error" class="form-error" role="alert"></div>
    <label for="user_code">${escapeHtml(t('activate.codeLabel'))}</label>
    <input id="user_code" name="user_code" type="text" class="code-input" autocomplete="one-time-code" autocapitalize="characters" autocorrect="off" spellcheck="false" maxlength="32" placeholder="BCDF-GHJK" required aria-describedby="user_code-hint user_code-error">
    <p id="user_code-hint" class="hint">${escapeHtml(t('activate.codeFormat'))}</p>
    <p id="user_code-error" class="field-error"></p>
    <button id="code-submit" type="submit" aria-busy="false">${escapeHtml(t('activate.continue'))}</button>
  </form>
</section>
<section id="step-approve" hidden>
  <form id="approve-form" novalidate aria-describedby="approve-form-error">
    <p>${t('activate.asks', { client: '<strong id="client-name"></strong>' })}</p>
    <p class="notice">${t('activate.compare', { code: '<strong id="confirm-code" class="code"></strong>', cancel: `<em>${escapeHtml(t('activate.deny'))}</em>` })}</p>
    <div id="approve-form-error" class="form-error" role="alert"></div>
    ${verifyResendBox(texts)}
  ${signInMethods(`<button id="approve" type="submit" aria-busy="false">${escapeHtml(t('activate.approve'))}</button>`, texts, providers, termsUrl)}
    <button id="deny" type="button" class="secondary" aria-busy="false">${escapeHtml(t('activate.deny'))}</button>
    <p class="links"><button id="change-code" type="button" class="link">${escapeHtml(t('activate.changeCode'))}</button> · <a id="forgot" href="reset-password">${escapeHtml(t('home.reset'))}</a> · <a href="signup">${escapeHtml(t('form.createAccount'))}</a></p>
  </form>
</section>
${doneStep('step-done', t('activate.task'), escapeHtml(t('activate.doneNext')), texts)}`;
};

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
.code,.code-input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.15em}
.code-input{text-transform:uppercase;font-size:1.25rem}
.code-input::placeholder{text-transform:none;letter-spacing:.15em}
.links{margin-top:1.25rem;color:var(--muted);font-size:.9rem;text-align:center}
button.link{display:inline;width:auto;margin:0;padding:0;background:none;border:0;color:var(--accent);font:inherit;font-weight:400;text-decoration:underline;cursor:pointer}
button.secondary{margin-top:.75rem}
`;

/** The page, with the code from `?user_code=` (already normalised or cut short by the handler) to pre-fill. */
export function activatePage(options: { userCode?: string; look?: PageLook; providers?: readonly ('apple' | 'google')[] }): HttpResult {
  const texts = textsOf(options.look);
  return renderPage({
    look: options.look,
    title: texts.t('activate.title'),
    body: body(texts, options.providers ?? [], options.look?.brand.termsUrl),
    script: SCRIPT,
    style: SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + STYLE,
    data: { userCode: options.userCode ?? '', messages: scriptMessages(texts) },
  });
}
