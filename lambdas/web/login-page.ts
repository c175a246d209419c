import type { MessageKey } from '../core/i18n/catalogues';
import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/login-script.json';
import { accountHelpLinks, answerMessages, NEXT_STEP_STYLE, SECOND_FACTOR_STYLE, secondFactorMessages, signInMethods, verifyResendBox } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

type WebSignInProvider = 'apple' | 'google';

/**
 * The custom login page (GET /login) for Astrato, or for Acronis with
 * `?partner=acronis[&target=...]`. Plain HTML and a small script: it posts
 * email and password (and, for Acronis, the target from the page's own query)
 * to /sso/{partner}/login and sends the top-level window to the URL it gets
 * back, so it works on its own, from a portal menu link and inside an iframe
 * of a portal allowed by LOGIN_PAGE_FRAME_ANCESTORS.
 */
export type LoginPartner = 'astrato' | 'acronis';

const PARTNER_TEXT: Record<LoginPartner, { name: string; hint: MessageKey; admin: string }> = {
  astrato: {
    name: 'Astrato',
    hint: 'login.hintAstrato',
    // Operators' notes stay in English: they are shown on the local development stack only.
    admin:
      "This page signs users in to Astrato with their LoginBridge account. LoginBridge asks Astrato for a sign-in ticket with an API key and secret kept in the Astrato secret (ASTRATO_SECRET_ARN; locally ASTRATO_CLIENT_ID and ASTRATO_CLIENT_SECRET). Take them from Astrato <strong>Administration -&gt; System Settings -&gt; OEM Management API</strong>, not from the Google OAuth credentials of Enterprise Authentication. To show this page inside your portal's iframe, add the portal's origin to LOGIN_PAGE_FRAME_ANCESTORS.",
  },
  acronis: {
    name: 'Acronis',
    hint: 'login.hintAcronis',
    admin:
      "This page signs users in to Acronis Cyber Protect Cloud with their LoginBridge account. LoginBridge asks Acronis for a one-time token with an API client of the users' tenant, kept in the Acronis secret (ACRONIS_SECRET_ARN; locally ACRONIS_BASE_URL, ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET). Link here from a portal menu as <code>/login?partner=acronis&amp;target=/bc/</code>; the target must be on ACRONIS_TARGET_ALLOWLIST.",
  },
};

/** What scripts/login.ts says, in the page's language (read from `#page-data`). */
const scriptMessages = (texts: Translator): Record<string, string> => ({
  ...answerMessages(texts),
  ...secondFactorMessages(texts),
  'login.script.sent': texts.t('login.script.sent'),
  'login.script.busy': texts.t('login.script.busy'),
  'login.script.failed': texts.t('login.script.failed'),
  'login.script.opening': texts.t('login.script.opening'),
  'login.script.unreachable': texts.t('login.script.unreachable'),
});

const body = (partner: LoginPartner, setupHints: boolean, texts: Translator, providers: readonly WebSignInProvider[], termsUrl?: string) => {
  const { t } = texts;
  const name = PARTNER_TEXT[partner].name;
  return `
<h1>${escapeHtml(t('login.title'))}</h1>
<p class="hint">${escapeHtml(t(PARTNER_TEXT[partner].hint))}</p>
<form id="login-form" method="post" action="sso/${partner}/login" novalidate aria-describedby="form-error">
  <div id="form-error" class="form-error" role="alert"></div>
  ${verifyResendBox(texts)}
  ${signInMethods(`<button id="submit" type="submit" aria-busy="false">${escapeHtml(t('login.submit'))}</button>`, texts, providers, termsUrl)}
  <p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
  <p id="continue" class="notice" hidden>${escapeHtml(t('login.continue', { partner: name }))} <a id="continue-link" href="#" target="_top" rel="noopener">${escapeHtml(t('login.continueLink', { partner: name }))}</a>.</p>
</form>
${accountHelpLinks(texts)}
<noscript><p class="form-error">${escapeHtml(t('form.needsJavaScript', { task: t('login.task') }))}</p></noscript>
${setupHints ? setupHint(partner, texts) : ''}`;
};

/** The operator's setup notes: only on a local development stack (SHOW_SETUP_HINTS); docs/sso.md has them for everyone else. */
const setupHint = (partner: LoginPartner, { t }: Translator) => `
<details class="admin-help">
  <summary>${escapeHtml(t('login.adminSummary'))}</summary>
  <p class="hint">${PARTNER_TEXT[partner].admin}</p>
</details>`;

const STYLE = `
.admin-help{margin-top:1.5rem}
.admin-help summary{cursor:pointer;color:var(--muted);font-size:.9rem}
`;

export interface LoginPageOptions {
  /** CSP frame-ancestors sources from LOGIN_PAGE_FRAME_ANCESTORS. */
  frameAncestors: string[];
  /** Where the user goes after signing in (default Astrato). */
  partner?: LoginPartner;
  /** SHOW_SETUP_HINTS: the operator's notes under the form (local stack only). */
  setupHints?: boolean;
  look?: PageLook;
  /** The providers offered as "Continue with ..." (configured for the web). */
  providers?: readonly WebSignInProvider[];
}

export function loginPage(options: LoginPageOptions): HttpResult {
  const partner = options.partner ?? 'astrato';
  const texts = textsOf(options.look);
  return renderPage({
    look: options.look,
    title: texts.t('login.title'),
    body: body(partner, options.setupHints ?? false, texts, options.providers ?? [], options.look?.brand.termsUrl),
    script: SCRIPT,
    style: SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + STYLE,
    frameAncestors: options.frameAncestors,
    data: { partner, partnerName: PARTNER_TEXT[partner].name, messages: scriptMessages(texts) },
  });
}
