/** The operator console's actions on the selected user and their sessions: each asks first, then reloads the card. */
import { $ } from '../form';
import type { PortalAnswer, UserCard } from '../portal-api';
import { button, cell, confirmed, formatDate, listTable, newKey, pageError, paragraph, say } from './dom';
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
  text: string,
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
      text,
      yesLabel,
      () => send(method, `/admin/users/${encodeURIComponent(user.user_id)}${path}`, undefined, method === 'POST' ? { 'Idempotency-Key': newKey() } : undefined),
      'That did not work',
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
  const action = (label: string, text: string, yesLabel: string, path: string, done: string, className?: string) =>
    userAction(selected, label, text, yesLabel, 'POST', path, thenReload(done), className);
  const buttons = [
    action(
      'Sign out everywhere',
      `Sign ${who} out of every device, including approved TV sign-ins? They must sign in again everywhere.`,
      'Sign out everywhere',
      '/sign-out',
      'Signed out everywhere.',
    ),
    action('Unlock sign-in', `Clear the failed sign-in attempts of ${who} so they can try again at once?`, 'Unlock', '/unlock', 'Sign-in unlocked.'),
    user.disabled_at
      ? action('Enable account', `Enable ${who} again? They can sign in, refresh and use hand-offs again.`, 'Enable', '/enable', 'Account enabled.')
      : action(
          'Disable account',
          `Disable ${who}? They can no longer sign in, refresh tokens, approve a TV or open a partner app until enabled.`,
          'Disable',
          '/disable',
          'Account disabled.',
          'danger',
        ),
  ];
  if (!user.email_verified)
    buttons.push(
      action(
        'Send verification email',
        `Send ${who} a new link to verify their email address?`,
        'Send email',
        '/verification-email',
        'Verification email sent.',
      ),
    );
  return buttons;
}

/** Export (recorded in the audit trail) and delete. */
function dataActions(selected: SelectedUser, user: UserCard): HTMLButtonElement[] {
  const who = user.email;
  const exportData = userAction(
    selected,
    'Export data',
    `Download everything stored about ${who} as one JSON file? The export is recorded in the audit trail.`,
    'Export',
    'GET',
    '/export',
    (result) => {
      downloadJson(result.body, `user-${user.user_id}.json`);
      say('Export downloaded.');
      selected.reloadAudit();
    },
  );
  const deleteUser = userAction(
    selected,
    'Delete user',
    `Delete the account of ${who} for good: profile, sessions and team seat. This cannot be undone.`,
    'Delete user',
    'DELETE',
    '',
    () => {
      say('User deleted.');
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
    sessions.appendChild(paragraph('empty', 'No active sessions.'));
    return;
  }
  const { table, body } = listTable(['Client', 'Started', 'Last used', 'Expires', 'Actions']);
  table.setAttribute('aria-labelledby', 'user-sessions-title');
  user.sessions.forEach((session) => {
    const row = body.insertRow();
    row.setAttribute('data-session-id', session.session_id);
    cell(row, session.client === 'tv' ? `TV (${session.client_id})` : 'App');
    cell(row, formatDate(session.started_at));
    cell(row, formatDate(session.last_used_at));
    cell(row, formatDate(session.expires_at));
    const actionsCell = cell(row, '');
    const end = userAction(
      selected,
      'Sign out',
      `Sign out this session (started ${formatDate(session.started_at)})? That device must sign in again.`,
      'Sign out session',
      'DELETE',
      `/sessions/${encodeURIComponent(session.session_id)}`,
      () => {
        say('Session signed out.');
        selected.reload();
      },
    );
    end.setAttribute('aria-label', `Sign out the session started ${formatDate(session.started_at)}`);
    actionsCell.appendChild(end);
  });
  sessions.appendChild(table);
}
