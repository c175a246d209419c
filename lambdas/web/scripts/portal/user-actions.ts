/** The operator console's actions on the selected user and their sessions: each asks first, then reloads the card. */
import { $ } from '../form';
import { text } from '../page-texts';
import type { PortalAnswer, UserCard } from '../portal-api';
import { button, cell, confirmed, formatDate, listTable, newKey, pageError, paragraph, say, sentence } from './dom';
import { send } from './session';

/** What the actions need from the console: the user on the card, and how to refresh or drop it. */
export interface SelectedUser {
  current: () => UserCard | null;
  reload: () => void;
  reloadAudit: () => void;
  forget: () => void;
}

function userAction(
  selected: SelectedUser,
  label: string,
  question: string,
  yesLabel: string,
  method: string,
  path: string,
  done: (result: PortalAnswer) => void,
  className?: string,
): HTMLButtonElement {
  return button(label, className || 'secondary', () => {
    const user = selected.current();
    if (!user) return;
    confirmed(
      question,
      yesLabel,
      () => send(method, `/admin/users/${encodeURIComponent(user.user_id)}${path}`, undefined, method === 'POST' ? { 'Idempotency-Key': newKey() } : undefined),
      text('portal.script.failed'),
      (result) => {
        pageError('');
        done(result);
      },
    );
  });
}

function downloadJson(body: unknown, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 1000);
}

/** Sign-out, unlock, enable or disable, and a new verification email: each reloads the card when done. */
function accountActions(selected: SelectedUser, user: UserCard): HTMLButtonElement[] {
  const who = user.email;
  const thenReload = (text: string) => () => {
    say(text);
    selected.reload();
  };
  // The words of each action by catalogue key: the button, the question (with the email), the confirm button, the done status.
  const action = (label: string, question: string, yes: string, path: string, done: string, className?: string) =>
    userAction(selected, text(label), sentence(question, { email: who }), text(yes), 'POST', path, thenReload(text(done)), className);
  const buttons = [
    action(
      'console.script.signOutEverywhere',
      'console.script.signOutEverywhereConfirm',
      'console.script.signOutEverywhere',
      '/sign-out',
      'console.script.signedOutEverywhere',
    ),
    action('console.script.unlock', 'console.script.unlockConfirm', 'console.script.unlockYes', '/unlock', 'console.script.unlocked'),
    user.disabled_at
      ? action('console.script.enable', 'console.script.enableConfirm', 'console.script.enableYes', '/enable', 'console.script.enabled')
      : action('console.script.disable', 'console.script.disableConfirm', 'console.script.disableYes', '/disable', 'console.script.disabled', 'danger'),
  ];
  if (!user.email_verified)
    buttons.push(
      action(
        'console.script.sendVerification',
        'console.script.sendVerificationConfirm',
        'console.script.sendVerificationYes',
        '/verification-email',
        'console.script.verificationSent',
      ),
    );
  return buttons;
}

/** Export (recorded in the audit trail) and delete. */
function dataActions(selected: SelectedUser, user: UserCard): HTMLButtonElement[] {
  const who = user.email;
  const exportData = userAction(
    selected,
    text('console.script.export'),
    sentence('console.script.exportConfirm', { email: who }),
    text('console.script.exportYes'),
    'GET',
    '/export',
    (result) => {
      downloadJson(result.body, `user-${user.user_id}.json`);
      say(text('console.script.exported'));
      selected.reloadAudit();
    },
  );
  const deleteUser = userAction(
    selected,
    text('console.script.deleteUser'),
    sentence('console.script.deleteUserConfirm', { email: who }),
    text('console.script.deleteUser'),
    'DELETE',
    '',
    () => {
      say(text('console.script.deleted'));
      $('user-card').hidden = true;
      selected.forget();
    },
    'danger',
  );
  return [exportData, deleteUser];
}

export function renderActions(selected: SelectedUser, user: UserCard): void {
  const actions = $('user-actions');
  actions.textContent = '';
  for (const action of [...accountActions(selected, user), ...dataActions(selected, user)]) actions.appendChild(action);
}

export function renderSessions(selected: SelectedUser, user: UserCard): void {
  const sessions = $('user-sessions');
  sessions.textContent = '';
  if (!user.sessions.length) {
    sessions.appendChild(paragraph('empty', text('console.script.noSessions')));
    return;
  }
  const { table, body } = listTable([
    text('console.script.client'),
    text('console.script.started'),
    text('console.script.lastUsed'),
    text('portal.script.expires'),
    text('portal.script.actions'),
  ]);
  table.setAttribute('aria-labelledby', 'user-sessions-title');
  user.sessions.forEach((session) => {
    const row = body.insertRow();
    row.setAttribute('data-session-id', session.session_id);
    cell(row, session.client === 'tv' ? text('console.script.tv', { client: session.client_id ?? '' }) : text('console.script.app'));
    cell(row, formatDate(session.started_at));
    cell(row, formatDate(session.last_used_at));
    cell(row, formatDate(session.expires_at));
    const actionsCell = cell(row, '');
    const end = userAction(
      selected,
      text('console.script.sessionSignOut'),
      text('console.script.sessionSignOutConfirm', { date: formatDate(session.started_at) }),
      text('console.script.sessionSignOutYes'),
      'DELETE',
      `/sessions/${encodeURIComponent(session.session_id)}`,
      () => {
        say(text('console.script.sessionSignedOut'));
        selected.reload();
      },
    );
    end.setAttribute('aria-label', text('console.script.sessionSignOutLabel', { date: formatDate(session.started_at) }));
    actionsCell.appendChild(end);
  });
  sessions.appendChild(table);
}
