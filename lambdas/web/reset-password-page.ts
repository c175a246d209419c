import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/reset-password-script.json';
import { LINK_PAGE_STYLE, linkPageData, linkPageMessages, linkPageTail } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/**
 * What the page knows about its link when it is served: `valid` shows the
 * new-password form, `used` / `expired` / `invalid` explain why not and offer
 * a new link, `none` (no token) asks for the email straight away, and
 * `unchecked` (the store could not be asked) shows the form and lets the
 * confirm call decide.
 */
export type ResetPageState = 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';

/** Why a link cannot be used, in the page's language (the same three states as core/password-reset.ts `resetLinkMessage`). */
const problems = ({ t }: Translator, validMinutes: number): Record<'used' | 'expired' | 'invalid', string> => ({
  used: t('reset.problem.used'),
  expired: t('reset.problem.expired', { count: validMinutes }),
  invalid: t('reset.problem.invalid'),
});

/** What scripts/reset-password.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator, validMinutes: number): Record<string, string> => {
  const { t } = texts;
  const problem = problems(texts, validMinutes);
  return {
    ...linkPageMessages(texts),
    'reset.title': t('reset.title'),
    'reset.script.choose': t('reset.script.choose'),
    'reset.script.resent': t('reset.script.resent', { minutes: validMinutes }),
    'reset.script.tooShort': t('reset.script.tooShort'),
    'reset.script.mismatch': t('reset.script.mismatch'),
    'reset.script.correct': t('reset.script.correct'),
    'reset.script.busy': t('reset.script.busy'),
    'reset.script.changed': t('reset.script.changed'),
    'reset.script.changedText': t('reset.script.changedText'),
    'reset.script.reset_link_used': problem.used,
    'reset.script.reset_link_expired': problem.expired,
    'reset.script.reset_link_invalid': problem.invalid,
  };
};

/** "Send me a new link" only where there was an old one: opened without a link, the page offers "a link". */
const body = (texts: Translator, state: ResetPageState) => {
  const { t } = texts;
  return `
<h1 id="title" tabindex="-1">${escapeHtml(t('reset.title'))}</h1>
<section id="set-password" hidden>
  <form id="password-form" novalidate aria-describedby="password-form-error">
    <p id="unchecked-note" class="hint" hidden>${escapeHtml(t('reset.unchecked'))}</p>
    <div id="password-form-error" class="form-error" role="alert"></div>
    <label for="password">${escapeHtml(t('reset.newPassword'))}</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint password-error">
    <p id="password-hint" class="hint">${escapeHtml(t('reset.passwordHint'))}</p>
    <p id="password-error" class="field-error"></p>
    <label for="passwordConfirmation">${escapeHtml(t('reset.repeat'))}</label>
    <input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required aria-describedby="passwordConfirmation-error">
    <p id="passwordConfirmation-error" class="field-error"></p>
    <label class="check"><input id="show-passwords" type="checkbox"> ${escapeHtml(t('reset.show'))}</label>
    <button id="password-submit" type="submit" aria-busy="false">${escapeHtml(t('reset.submit'))}</button>
  </form>
</section>
${linkPageTail(
  {
    hint: escapeHtml(t('reset.requestHint')),
    button: escapeHtml(t(state === 'none' ? 'form.sendLink' : 'reset.sendNewLink')),
    needs: t('reset.task'),
    next: `${escapeHtml(t('reset.next'))} <a href="account">${escapeHtml(t('reset.nextAccount'))}</a>.`,
  },
  texts,
)}`;
};

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
  const texts = textsOf(options.look);
  const { state, validMinutes } = options;
  // The handler's problem is English; the page says it in its own language.
  const problem = state === 'used' || state === 'expired' || state === 'invalid' ? problems(texts, validMinutes)[state] : options.problem;
  const data = { ...linkPageData({ ...options, ...(problem ? { problem } : {}) }), validMinutes, messages: scriptMessages(texts, validMinutes) };
  return renderPage({ look: options.look, title: texts.t('reset.title'), body: body(texts, state), script: SCRIPT, style: STYLE, data });
}
