import type { Translator } from '../core/i18n/translate';
import { escapeHtml } from './page';

const PROVIDER_NAMES = { apple: 'Apple', google: 'Google' } as const;

/**
 * The "Linked sign-in methods" section of the account page: one card per
 * provider linked to the account (GET /login-flow/identities) with "Unlink"
 * (DELETE /login-flow/identities/{provider}), and "Link Apple / Google" for
 * the providers the pages offer (WEB_SIGN_IN_PROVIDERS) that are not linked
 * yet. The script is scripts/linked.ts; ids start with `linked-` so the
 * section fits into any page.
 */
export const linkedSection = ({ t }: Translator, providers: readonly ('apple' | 'google')[] = []): string => `
<section id="linked" aria-labelledby="linked-title">
  <h2 id="linked-title" tabindex="-1">${escapeHtml(t('linked.title'))}</h2>
  <p class="hint">${escapeHtml(t('linked.hint'))}</p>
  <div id="linked-error" class="form-error" role="alert"></div>
  <p id="linked-none" class="hint" hidden>${escapeHtml(t('linked.none'))}</p>
  <ul id="linked-list" class="session-list" aria-labelledby="linked-title"></ul>
  <p id="linked-add">${providers
    .map(
      (provider) =>
        `<button type="button" class="secondary" id="linked-link-${provider}" data-link-provider="${provider}" hidden>${escapeHtml(t('linked.link', { provider: PROVIDER_NAMES[provider] }))}</button>`,
    )
    .join(' ')}</p>
</section>`;

/** Where the account page says how a link from the provider ended (the page comes back signed out: its tokens lived in memory). */
export const linkedOutcome = (): string => '<p id="linked-outcome" class="hint" role="status" hidden></p>';
