import type { Translator } from '../core/i18n/translate';
import { escapeHtml } from './page';

/**
 * The "Your sessions and devices" section of the account page: one card per
 * live session (GET /login-flow/sessions), "Sign out" on each other session
 * and "Sign out everywhere else". The script is scripts/sessions.ts; ids start
 * with `sessions-` or `session-` so the section fits into any page.
 */
export const sessionsSection = ({ t }: Translator): string => `
<section id="sessions" aria-labelledby="sessions-title">
  <h2 id="sessions-title" tabindex="-1">${escapeHtml(t('sessions.title'))}</h2>
  <p class="hint">${escapeHtml(t('sessions.hint'))}</p>
  <div id="sessions-error" class="form-error" role="alert"></div>
  <ul id="session-list" class="session-list" aria-labelledby="sessions-title"></ul>
  <button id="sessions-sign-out-others" type="button" class="secondary" aria-busy="false" hidden>${escapeHtml(t('sessions.signOutOthers'))}</button>
</section>`;

/** Mobile first: cards in a column, long client ids wrap instead of widening the page. */
export const SESSIONS_STYLE = `
.session-list{list-style:none;padding:0;margin:.5rem 0}
.session-list li{border:1px solid var(--border);border-radius:8px;padding:.75rem;margin:.5rem 0;overflow-wrap:anywhere}
.session-list .session-name{font-weight:600}
.session-list .session-current{color:var(--muted);font-weight:400}
.session-list .session-facts{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.session-list li button{width:auto;margin:.5rem 0 0;padding:.35rem .8rem;font-size:.875rem}
`;
