import type { Translator } from '../core/i18n/translate';
import { escapeHtml } from './page';

/**
 * The "Linked sign-in methods" section of the account page: one card per
 * provider linked to the account (GET /login-flow/identities) with "Unlink"
 * (DELETE /login-flow/identities/{provider}). The script is scripts/linked.ts;
 * ids start with `linked-` so the section fits into any page.
 */
export const linkedSection = ({ t }: Translator): string => `
<section id="linked" aria-labelledby="linked-title">
  <h2 id="linked-title" tabindex="-1">${escapeHtml(t('linked.title'))}</h2>
  <p class="hint">${escapeHtml(t('linked.hint'))}</p>
  <div id="linked-error" class="form-error" role="alert"></div>
  <p id="linked-none" class="hint" hidden>${escapeHtml(t('linked.none'))}</p>
  <ul id="linked-list" class="session-list" aria-labelledby="linked-title"></ul>
</section>`;
