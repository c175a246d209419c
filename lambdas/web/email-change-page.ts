import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/email-change-script.json';
import { answerMessages, confirmStep, LINK_PAGE_STYLE } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/** `valid` shows the button; `used` / `expired` / `invalid` say why not; `unchecked` (the store could not be asked) lets the confirm decide. */
export type EmailChangePageState = 'valid' | 'used' | 'expired' | 'invalid' | 'unchecked';

/** Why a link cannot be used, in the page's language (the states of core/email-change.ts `emailChangeLinkMessage`). */
const problems = ({ t }: Translator): Record<'used' | 'expired' | 'invalid' | 'not-possible', string> => ({
  used: t('emailChange.problem.used'),
  expired: t('emailChange.problem.expired'),
  invalid: t('emailChange.problem.invalid'),
  'not-possible': t('emailChange.problem.notPossible'),
});

const body = ({ t }: Translator) => `
<h1 id="title" tabindex="-1">${escapeHtml(t('emailChange.title'))}</h1>
<p id="link-problem" class="form-error" role="alert" hidden></p>
${confirmStep(t('emailChange.hint'), t('emailChange.title'))}
<section id="done" hidden>
  <p id="done-message" role="status"></p>
</section>
<p class="next" id="next"><a id="continue" href="../account">${escapeHtml(t('emailChange.toAccount'))}</a></p>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
`;

/** What scripts/email-change.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator): Record<string, string> => {
  const problem = problems(texts);
  return {
    ...answerMessages(texts),
    'emailChange.script.continue': texts.t('emailChange.script.continue'),
    'emailChange.script.changed': texts.t('emailChange.script.changed'),
    'emailChange.script.changedText': texts.t('emailChange.script.changedText'),
    'emailChange.script.busy': texts.t('emailChange.script.busy'),
    'link.script.unreachable': texts.t('link.script.unreachable'),
    'emailChange.script.email_change_used': problem.used,
    'emailChange.script.email_change_expired': problem.expired,
    'emailChange.script.email_change_invalid': problem.invalid,
    'emailChange.script.email_change_not_possible': problem['not-possible'],
  };
};

/** `returnTo`: an allow-listed "Continue" target (http/return-to.ts), else the account page. */
export function emailChangePage(options: { state: EmailChangePageState; token: string; problem: string; returnTo?: string; look?: PageLook }): HttpResult {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  const texts = textsOf(options.look);
  const { state } = options;
  // The handler's problem is English; the page says it in its own language.
  const problem = state === 'used' || state === 'expired' || state === 'invalid' ? problems(texts)[state] : options.problem;
  return renderPage({
    look: options.look,
    title: texts.t('emailChange.title'),
    body: body(texts),
    script: SCRIPT,
    // A long address wraps instead of widening a phone's page.
    style: `${LINK_PAGE_STYLE}#done-message,#link-problem{overflow-wrap:anywhere}`,
    data: {
      state: options.state,
      token: withToken ? options.token : '',
      problem,
      problemTitle: texts.t('link.script.cannotUse'),
      messages: scriptMessages(texts),
      returnTo: options.returnTo ?? '',
    },
  });
}
