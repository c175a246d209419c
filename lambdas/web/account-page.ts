import type { Translator } from '../core/i18n/translate';
import type { ProfileFieldSpec } from '../core/profile-fields';
import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/account-script.json';
import { linkedOutcome, linkedSection } from './linked-section';
import { answerMessages, NEXT_STEP_STYLE, SECOND_FACTOR_STYLE, secondFactorMessages, signInForm, stepUpDialog } from './markup';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';
import { scriptMessages } from './script-messages';
import { SECURITY_STYLE, securitySection } from './security-section';
import { deleteSection, SELF_SERVICE_STYLE, selfServiceSections } from './self-service-sections';
import { SESSIONS_STYLE, sessionsSection } from './sessions-section';

/**
 * The account page (GET /account): sign in with email and password (and the
 * code when the account has a second factor), then manage the account. Today
 * it holds Profile, Password, Email, My data (self-service-sections.ts), the
 * Security section (second factors and recovery codes), "Your sessions and
 * devices" and Delete my account, inside `#account`. Tokens live in the script's memory only, as on the portal.
 */
const body = ({ t, ...texts }: Translator, extraFields: readonly ProfileFieldSpec[], providers: readonly ('apple' | 'google')[], termsUrl?: string) => `
<header class="bar">
  <h1>${escapeHtml(t('account.title'))}</h1>
  <div id="who" class="who" hidden><span id="who-email"></span> <button id="sign-out" type="button" class="link">${escapeHtml(t('account.signOut'))}</button></div>
</header>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>

<section id="sign-in" aria-labelledby="sign-in-title">
  <h2 id="sign-in-title">${escapeHtml(t('form.signIn'))}</h2>
  <p class="hint">${escapeHtml(t('account.signInHint'))}</p>
  ${linkedOutcome()}
  ${signInForm({ t, ...texts }, providers, termsUrl)}
</section>

<div id="account" hidden>
  ${selfServiceSections({ t, ...texts }, extraFields)}
  ${securitySection({ t, ...texts })}
  ${linkedSection({ t, ...texts }, providers)}
  ${sessionsSection({ t, ...texts })}
  ${deleteSection({ t, ...texts })}
</div>
${stepUpDialog({ t, ...texts })}
<noscript><p class="form-error">${escapeHtml(t('account.needsJavaScript'))}</p></noscript>
`;

const STYLE = `
body{justify-content:flex-start}
main{max-width:34rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1.25rem 0 .25rem}
.bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.5rem}
.bar h1{margin:0}
.who{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
@media (max-width:30rem){main{width:100%;margin:0;padding:1.25rem 1rem;border-radius:0;border-width:0 0 1px}}
`;

/** The catalogue groups the account page's scripts speak in (scripts/page-texts.ts). */
const ACCOUNT_SCRIPT_GROUPS = ['account.*', 'selfService.script.*', 'security.script.*', 'sessions.script.*', 'linked.script.*', 'webSignIn.script.*'];

/** The account page: the same bytes and CSP hashes for every request of one configuration and language (REGISTRATION_EXTRA_FIELDS adds profile fields). */
export function accountPage(
  options: { look?: PageLook; extraFields?: readonly ProfileFieldSpec[]; providers?: readonly ('apple' | 'google')[] } = {},
): HttpResult {
  const extraFields = options.extraFields ?? [];
  const { look } = options;
  const texts = textsOf(look);
  return renderPage({
    look,
    title: texts.t('account.title'),
    body: body(texts, extraFields, options.providers ?? [], look?.brand.termsUrl),
    script: SCRIPT,
    style: SECURITY_STYLE + SESSIONS_STYLE + SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + SELF_SERVICE_STYLE + STYLE,
    data: {
      extraFields: extraFields.map((spec) => ({ name: spec.name, type: spec.type })),
      messages: { ...answerMessages(texts), ...secondFactorMessages(texts), ...scriptMessages(texts, ACCOUNT_SCRIPT_GROUPS) },
    },
  });
}
