import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/verify-email-script.json';
import { confirmStep, LINK_PAGE_STYLE, linkPageData, linkPageMessages, linkPageTail } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/**
 * What the page knows about its link when served: `valid` shows the confirm
 * button, `used` / `expired` / `invalid` explain why not and offer a new link,
 * `none` (no token) offers a new link straight away, and `unchecked` (the store
 * could not be asked) shows the button and lets the confirm call decide.
 */
export type VerifyPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

/** Why a link cannot be used, in the page's language (the same three states as core/email-verification.ts `verifyLinkMessage`). */
const problems = ({ t }: Translator, validHours: number): Record<'used' | 'expired' | 'invalid', string> => ({
  used: t('verify.problem.used'),
  expired: t('verify.problem.expired', { count: validHours }),
  invalid: t('verify.problem.invalid'),
});

/** What scripts/verify-email.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator, validHours: number): Record<string, string> => {
  const { t } = texts;
  const problem = problems(texts, validHours);
  return {
    ...linkPageMessages(texts),
    'verify.title': t('verify.title'),
    'verify.script.busy': t('verify.script.busy'),
    'verify.script.confirmed': t('verify.script.confirmed'),
    'verify.script.confirmedText': t('verify.script.confirmedText'),
    'verify.script.resent': t('verify.script.resent'),
    'verify.script.verify_link_used': problem.used,
    'verify.script.verify_link_expired': problem.expired,
    'verify.script.verify_link_invalid': problem.invalid,
  };
};

/** "Send a new link" only where there was an old one: opened without a link, the page offers "a link". */
const body = (texts: Translator, state: VerifyPageState) => {
  const { t } = texts;
  return `
<h1 id="title" tabindex="-1">${escapeHtml(t('verify.title'))}</h1>
${confirmStep(t('verify.press'), t('verify.confirm'))}
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

export function verifyEmailPage(options: {
  state: VerifyPageState;
  token?: string;
  problem?: string;
  /** How long a link works: the expired link's sentence names it. */
  validHours: number;
  returnTo?: string;
  look?: PageLook;
}): HttpResult {
  const texts = textsOf(options.look);
  const { look, validHours, ...link } = options;
  // The handler's problem is English; the page says it in its own language.
  const { state } = options;
  const problem = state === 'used' || state === 'expired' || state === 'invalid' ? problems(texts, validHours)[state] : options.problem;
  return renderPage({
    look,
    title: texts.t('verify.title'),
    body: body(texts, options.state),
    script: SCRIPT,
    style: LINK_PAGE_STYLE,
    data: { ...linkPageData({ ...link, ...(problem ? { problem } : {}) }), messages: scriptMessages(texts, validHours) },
  });
}
