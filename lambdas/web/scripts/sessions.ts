/**
 * "Your sessions and devices" (markup lambdas/web/sessions-section.ts): one
 * card per live session, "Sign out" on every other one (DELETE
 * /login-flow/sessions/{id}) and "Sign out everywhere else" (one DELETE per
 * session that is not this one; POST /login-flow/sign-out-everywhere would end
 * this one too). Dates and "last used" (a relative time within a week) are
 * formatted with Intl in the page's language (scripts/page-texts.ts).
 */
import { $, type ApiBody, buttonById, setBusy } from './form';
import { dateText, failureText, text, whenText } from './page-texts';
import type { PortalAnswer } from './portal-api';

export interface SessionView {
  session_id: string;
  client: 'app' | 'tv';
  client_id: string | null;
  started_at: string;
  last_used_at: string;
  amr: string[];
  network: string | null;
  current: boolean;
}

type Send = <T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<PortalAnswer<T>>;

/** How the user signed in, in words (RFC 8176 values). */
function signedInWith(amr: string[]): string {
  if (amr.includes('swk') || amr.includes('hwk')) return text('sessions.script.passkey');
  if (amr.includes('mfa')) return text('sessions.script.passwordAndCode');
  return text('sessions.script.password');
}

function sessionName(session: SessionView): string {
  const client = session.client_id ?? '';
  if (session.client === 'tv') return client ? text('sessions.script.tvNamed', { client }) : text('sessions.script.tv');
  return client ? text('sessions.script.appNamed', { client }) : text('sessions.script.app');
}

export function sessionsSection(options: { send: Send; say: (text: string) => void }) {
  const { send, say } = options;
  let sessions: SessionView[] = [];
  const sectionError = (text: string) => {
    $('sessions-error').textContent = text;
  };
  const failure = (result: PortalAnswer, what: string) => failureText(result.body, result.status, what);

  function card(session: SessionView): HTMLLIElement {
    const row = document.createElement('li');
    row.setAttribute('data-session-id', session.session_id);
    const name = document.createElement('div');
    name.className = 'session-name';
    name.textContent = sessionName(session);
    if (session.current) {
      const mark = document.createElement('span');
      mark.className = 'session-current';
      mark.textContent = text('sessions.script.thisDevice');
      name.appendChild(mark);
    }
    const facts = document.createElement('p');
    facts.className = 'session-facts';
    const when = { started: dateText(session.started_at), method: signedInWith(session.amr), used: whenText(session.last_used_at) };
    facts.textContent = session.network ? text('sessions.script.factsNetwork', { ...when, network: session.network }) : text('sessions.script.facts', when);
    row.append(name, facts);
    if (!session.current) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = text('sessions.script.signOut');
      button.setAttribute('aria-label', text('sessions.script.signOutLabel', { name: sessionName(session), started: dateText(session.started_at) }));
      button.addEventListener('click', () => {
        setBusy([button], true);
        end(session).then(() => load());
      });
      row.appendChild(button);
    }
    return row;
  }

  function render(): void {
    const list = $('session-list');
    list.textContent = '';
    for (const session of sessions) list.appendChild(card(session));
    buttonById('sessions-sign-out-others').hidden = !sessions.some((session) => !session.current);
  }

  function end(session: SessionView): Promise<boolean> {
    return send('DELETE', `/login-flow/sessions/${encodeURIComponent(session.session_id)}`).then((result) => {
      // 404: it ended meanwhile (expired or ended elsewhere), which is what was asked.
      if (result.ok || result.status === 404) return true;
      sectionError(failure(result, text('sessions.script.endFailed')));
      return false;
    });
  }

  function load(): Promise<void> {
    return send<{ sessions: SessionView[] }>('GET', '/login-flow/sessions').then((result) => {
      if (!result.ok || !result.body) {
        sectionError(failure(result, text('sessions.script.loadFailed')));
        return;
      }
      sectionError('');
      sessions = result.body.sessions;
      render();
    });
  }

  const signOutOthers = buttonById('sessions-sign-out-others');
  signOutOthers.addEventListener('click', () => {
    setBusy([signOutOthers], true);
    Promise.all(sessions.filter((session) => !session.current).map(end))
      .then(() => load())
      .then(() => {
        setBusy([signOutOthers], false);
        say(text('sessions.script.signedOutOthers'));
      });
  });

  return {
    load,
    reset(): void {
      sessions = [];
      $('session-list').textContent = '';
      sectionError('');
    },
  };
}
