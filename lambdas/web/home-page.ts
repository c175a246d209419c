import type { MessageKey } from '../core/i18n/catalogues';
import type { Translator } from '../core/i18n/translate';
import type { HttpResult } from '../http/responses';
import { escapeHtml, type PageLook, renderPage, textsOf } from './page';

/**
 * GET /: the front door for people who open the service's address: what it
 * is and where to go, as plain links (no script). Nothing on it is meant for
 * operators; their setup lives in the docs.
 */
const LINKS: readonly { href: string; label: MessageKey; hint: MessageKey }[] = [
  { href: 'signup', label: 'home.signup', hint: 'home.signupHint' },
  { href: 'account', label: 'home.account', hint: 'home.accountHint' },
  { href: 'activate', label: 'home.activate', hint: 'home.activateHint' },
  { href: 'portal', label: 'home.portal', hint: 'home.portalHint' },
  { href: 'reset-password', label: 'home.reset', hint: 'home.resetHint' },
];

const body = ({ t }: Translator) => `
<h1>${escapeHtml(t('home.title'))}</h1>
<p class="hint">${escapeHtml(t('home.intro'))}</p>
<nav aria-label="${escapeHtml(t('home.nav'))}">
  <ul class="links">
    ${LINKS.map((link) => `<li><a href="${link.href}">${escapeHtml(t(link.label))}</a><span class="hint">${escapeHtml(t(link.hint))}</span></li>`).join('\n    ')}
  </ul>
</nav>`;

const STYLE = `
.links{list-style:none;margin:1.5rem 0 0;padding:0;display:grid;gap:.75rem}
.links li{display:grid;gap:.15rem;padding:.75rem 1rem;border:1px solid var(--border);border-radius:8px}
.links a{font-weight:600;color:var(--accent)}
.links .hint{color:var(--muted);font-size:.9rem}
`;

export function homePage(look?: PageLook): HttpResult {
  const texts = textsOf(look);
  return renderPage({ look, title: texts.t('home.title'), body: body(texts), style: STYLE });
}
