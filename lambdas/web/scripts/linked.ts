/**
 * "Linked sign-in methods" (markup lambdas/web/linked-section.ts): the Apple
 * and Google accounts linked to this one, "Unlink" on each (DELETE
 * /login-flow/identities/{provider}; a recent second factor is asked for by
 * the step-up prompt). 409 `last_sign_in_method` is explained in the page's
 * language (scripts/page-texts.ts): set a password or add a passkey first.
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

export function linkedSection(options: { send: Send; say: (text: string) => void }) {
  const { send, say } = options;
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
    });
  }

  return {
    load,
    reset(): void {
      $('linked-list').textContent = '';
      $('linked-none').hidden = true;
      sectionError('');
    },
  };
}
