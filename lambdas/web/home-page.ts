import type { HttpResult } from '../http/responses';
import { renderPage } from './page';

/**
 * GET /: the front door for people who open the service's address: what it
 * is and where to go, as plain links (no script). Nothing on it is meant for
 * operators; their setup lives in the docs.
 */
const LINKS: readonly { href: string; label: string; hint: string }[] = [
  { href: 'signup', label: 'Create an account', hint: 'One account for the apps, your TV and our partners.' },
  { href: 'account', label: 'Sign in to your account', hint: 'Your profile, sign-in methods and second factors.' },
  { href: 'activate', label: 'Connect a TV', hint: 'Enter the code your TV shows to sign it in.' },
  { href: 'portal', label: 'Developer portal', hint: 'API credentials for your team.' },
  { href: 'reset-password', label: 'Forgot your password?', hint: 'Get a link to set a new one.' },
];

const BODY = `
<h1>Welcome</h1>
<p class="hint">Sign in once and use the same account in the apps, on your TV and with our partners.</p>
<nav aria-label="Where to go">
  <ul class="links">
    ${LINKS.map((link) => `<li><a href="${link.href}">${link.label}</a><span class="hint">${link.hint}</span></li>`).join('\n    ')}
  </ul>
</nav>`;

const STYLE = `
.links{list-style:none;margin:1.5rem 0 0;padding:0;display:grid;gap:.75rem}
.links li{display:grid;gap:.15rem;padding:.75rem 1rem;border:1px solid var(--border);border-radius:8px}
.links a{font-weight:600;color:var(--accent)}
.links .hint{color:var(--muted);font-size:.9rem}
`;

export function homePage(): HttpResult {
  return renderPage({ title: 'Welcome', body: BODY, style: STYLE });
}
