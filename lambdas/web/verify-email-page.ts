import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/verify-email-script.json';
import { LINK_PAGE_STYLE, linkPageData, linkPageTail } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/**
 * What the page knows about its link when served: `valid` shows the confirm
 * button, `used` / `expired` / `invalid` explain why not and offer a new link,
 * `none` (no token) offers a new link straight away, and `unchecked` (the store
 * could not be asked) shows the button and lets the confirm call decide.
 */
export type VerifyPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

/** "Send a new link" only where there was an old one: opened without a link, the page offers "a link". */
const body = (texts: Translator, state: VerifyPageState) => {
  const { t } = texts;
  return `
<h1 id="title" tabindex="-1">${escapeHtml(t('verify.title'))}</h1>
<section id="confirm" hidden>
  <form id="confirm-form" novalidate aria-describedby="confirm-form-error">
    <p class="hint">${escapeHtml(t('verify.press'))}</p>
    <div id="confirm-form-error" class="form-error" role="alert"></div>
    <button id="confirm-submit" type="submit" aria-busy="false">${escapeHtml(t('verify.confirm'))}</button>
  </form>
</section>
${linkPageTail(
  {
    hint: escapeHtml(t('verify.requestHint')),
    button: escapeHtml(t(state === 'none' ? 'form.sendLink' : 'form.sendNewLink')),
    needs: t('verify.task'),
    next: `<a href="account">${escapeHtml(t('verify.nextAccount'))}</a> ${escapeHtml(t('verify.nextOr'))} <a href="./">${escapeHtml(t('verify.nextHome'))}</a>.`,
  },
  texts,
)}`;
};

export function verifyEmailPage(options: { state: VerifyPageState; token?: string; problem?: string; returnTo?: string; look?: PageLook }): HttpResult {
  const texts = textsOf(options.look);
  const { look, ...link } = options;
  return renderPage({
    look,
    title: texts.t('verify.title'),
    body: body(texts, options.state),
    script: SCRIPT,
    style: LINK_PAGE_STYLE,
    data: linkPageData(link),
  });
}
