/**
 * "Linked sign-in methods" (markup lambdas/web/linked-section.ts): the Apple
 * and Google accounts linked to this one, "Unlink" on each (DELETE
 * /login-flow/identities/{provider}; a recent second factor is asked for by
 * the step-up prompt). 409 `last_sign_in_method` is explained in the page's
 * language (scripts/page-texts.ts): set a password or add a passkey first.
 * "Link Apple / Google" asks for a one-use ticket (POST
 * /login-flow/identities/{provider}) and goes to the web sign-in's start with
 * it; the provider's answer comes back to this page as `#linked=<provider>`
 * or `#link_error=<code>` (`linkOutcome`), signed out: tokens live in memory.
 */
import { $, type ApiBody, setBusy } from './form';
import { dateText, failureText, text } from './page-texts';
import type { PortalAnswer } from './portal-api';

export interface LinkedIdentityView {
  provider: 'apple' | 'google';
  email: string | null;
  linkedAt: string;
}

type Send = <T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<PortalAnswer<T>>;

const providerName = (provider: LinkedIdentityView['provider']) => (provider === 'apple' ? 'Apple' : 'Google');

/** The link's failure codes (the callback's `link_error`) in the page's words; the provider's own failures share one sentence. */
const LINK_ERROR_TEXTS: Record<string, string> = {
  link_invalid: 'linked.script.linkInvalid',
  session_ended: 'linked.script.linkSessionEnded',
  identity_in_use: 'linked.script.identityInUse',
  already_linked: 'linked.script.alreadyLinked',
};

/**
 * How a link from the provider ended, read once from the address's fragment
 * (and removed from it); null when the page was not opened by a link's end.
 */
export function linkOutcome(): { linked: boolean; message: string } | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const linked = fragment.get('linked');
  const failure = fragment.get('link_error');
  if (!linked && !failure) return null;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  if (linked === 'apple' || linked === 'google') return { linked: true, message: text('linked.script.linkedNotice', { provider: providerName(linked) }) };
  return { linked: false, message: text(LINK_ERROR_TEXTS[failure ?? ''] ?? 'linked.script.linkNotFinished') };
}

export function linkedSection(options: { send: Send; say: (text: string) => void; base: string }) {
  const { send, say, base } = options;
  const sectionError = (message: string) => {
    $('linked-error').textContent = message;
  };

  function card(identity: LinkedIdentityView): HTMLLIElement {
    const row = document.createElement('li');
    row.setAttribute('data-provider', identity.provider);
    const name = document.createElement('div');
    name.className = 'session-name';
    name.textContent = providerName(identity.provider);
    const facts = document.createElement('p');
    facts.className = 'session-facts';
    const linked = dateText(identity.linkedAt);
    facts.textContent = identity.email ? text('linked.script.factsEmail', { email: identity.email, linked }) : text('linked.script.facts', { linked });
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = text('linked.script.unlink');
    button.setAttribute('aria-label', text('linked.script.unlinkLabel', { provider: providerName(identity.provider) }));
    button.addEventListener('click', () => {
      setBusy([button], true);
      unlink(identity).then((done) => {
        setBusy([button], false);
        if (done) load().then(() => say(text('linked.script.unlinked', { provider: providerName(identity.provider) })));
      });
    });
    row.append(name, facts, button);
    return row;
  }

  function unlink(identity: LinkedIdentityView): Promise<boolean> {
    return send('DELETE', `/login-flow/identities/${encodeURIComponent(identity.provider)}`).then((result) => {
      // 404: unlinked meanwhile (elsewhere), which is what was asked.
      if (result.ok || result.status === 404) return true;
      sectionError(failureText(result.body, result.status, text('linked.script.unlinkFailed')));
      return false;
    });
  }

  function load(): Promise<void> {
    return send<{ identities: LinkedIdentityView[] }>('GET', '/login-flow/identities').then((result) => {
      if (!result.ok || !result.body) {
        sectionError(failureText(result.body, result.status, text('linked.script.loadFailed')));
        return;
      }
      sectionError('');
      const list = $('linked-list');
      list.textContent = '';
      for (const identity of result.body.identities) list.appendChild(card(identity));
      $('linked-none').hidden = result.body.identities.length > 0;
      // One identity per provider: "Link" only for those not linked yet.
      for (const button of linkButtons()) button.hidden = result.body.identities.some((identity) => identity.provider === button.dataset.linkProvider);
    });
  }

  const linkButtons = () => Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-link-provider]'));

  /** The ticket, then the provider: the browser leaves this page (and its tokens) for the web sign-in's start. */
  function link(button: HTMLButtonElement): void {
    const provider = button.dataset.linkProvider ?? '';
    sectionError('');
    setBusy([button], true);
    send<{ ticket: string }>('POST', `/login-flow/identities/${encodeURIComponent(provider)}`).then((result) => {
      if (!result.ok || !result.body?.ticket) {
        setBusy([button], false);
        sectionError(failureText(result.body, result.status, text('linked.script.linkFailed')));
        return;
      }
      const query = new URLSearchParams({ link: result.body.ticket, return_to: `${window.location.pathname}${window.location.search}` });
      window.location.assign(`${base}/login-flow/web-sign-in/${encodeURIComponent(provider)}/start?${query}`);
    });
  }
  for (const button of linkButtons()) button.addEventListener('click', () => link(button));

  return {
    load,
    reset(): void {
      $('linked-list').textContent = '';
      $('linked-none').hidden = true;
      for (const button of linkButtons()) button.hidden = true;
      sectionError('');
    },
  };
}
