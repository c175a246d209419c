/**
 * Users (operator console): shown only when the console answers, i.e. to holders of user-admin with a verified email.
 * Find a user by email, see their card (facts, actions, sessions) and their audit trail.
 */
import { $, buttonById, clearErrors, field, inputById } from '../form';
import type { AuditEntries, UserCard } from '../portal-api';
import { busy, cell, fact, formatDate, listTable, message, pageError, paragraph, say, showFieldErrors } from './dom';
import { secondFactorNeeded } from './factor-gate';
import { send } from './session';
import { renderActions, renderSessions, type SelectedUser } from './user-actions';

let selectedUser: UserCard | null = null;

const selected: SelectedUser = {
  current: () => selectedUser,
  reload: () => reloadUser(),
  reloadAudit: () => loadUserAudit(),
  forget: () => {
    selectedUser = null;
  },
};

export function loadUsersSection(): Promise<void> {
  return send('GET', '/admin/audit?limit=1').then((result) => {
    $('users').hidden = !result.ok;
    secondFactorNeeded(result);
  });
}

function renderFacts(user: UserCard): void {
  const facts = $('user-facts');
  facts.textContent = '';
  fact(facts, 'State', user.disabled_at ? `Disabled since ${formatDate(user.disabled_at)}` : 'Active');
  fact(facts, 'Email', user.email_verified ? `Verified ${formatDate(user.email_verified_at)}` : 'Not verified');
  fact(
    facts,
    'Sign-in back-off',
    user.backoff.locked_until
      ? `${user.backoff.failures} failed attempts, locked until ${formatDate(user.backoff.locked_until)}`
      : `${user.backoff.failures} failed attempts, not locked`,
  );
  fact(facts, 'Created', formatDate(user.created_at));
  fact(facts, 'Last sign-in', formatDate(user.last_sign_in_at));
  fact(facts, 'Team', user.team ? user.team.name : '—');
  fact(facts, 'Permissions', user.permissions.join(', ') || '—');
  fact(facts, 'Pending TV sign-ins', String(user.device_grants.length));
  fact(facts, 'User id', user.user_id);
}

function renderUser(user: UserCard): void {
  selectedUser = user;
  const name = `${user.first_name} ${user.last_name}`.trim();
  $('user-card-title').textContent = (name ? `${name} · ` : '') + user.email;
  renderFacts(user);
  renderActions(selected, user);
  renderSessions(selected, user);
  $('user-card').hidden = false;
  loadUserAudit();
}

function loadUserAudit(): Promise<void> {
  if (!selectedUser) return Promise.resolve();
  return send<AuditEntries>('GET', `/admin/audit?limit=20&userId=${encodeURIComponent(selectedUser.user_id)}`).then((result) => {
    const container = $('user-audit');
    container.textContent = '';
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load the audit trail'));
    if (!result.body.entries.length) {
      container.appendChild(paragraph('empty', 'No recorded actions yet.'));
      return;
    }
    const { table, body } = listTable(['When', 'Action', 'By', 'Changes']);
    table.setAttribute('aria-labelledby', 'user-audit-title');
    result.body.entries.forEach((entry) => {
      const row = body.insertRow();
      row.setAttribute('data-action', entry.action);
      cell(row, formatDate(entry.at));
      cell(row, entry.action);
      cell(row, entry.actor_email);
      cell(
        row,
        Object.keys(entry.changes)
          .map((name) => `${name}: ${JSON.stringify(entry.changes[name]?.before)} → ${JSON.stringify(entry.changes[name]?.after)}`)
          .join('; ') || '—',
      );
    });
    container.appendChild(table);
  });
}

function reloadUser(): void {
  if (!selectedUser) return;
  send<UserCard>('GET', `/admin/users/${encodeURIComponent(selectedUser.user_id)}`).then((result) => {
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load the user'));
    renderUser(result.body);
  });
}

const searchSlots = { formError: 'user-search-error', fields: [field('email', 'user-search-email')] };

function findUser(submit: HTMLButtonElement, email: string): void {
  busy(submit, true);
  send<{ user_id: string }>('GET', `/admin/users?email=${encodeURIComponent(email)}`)
    .then((result) => {
      if (!result.ok || !result.body) {
        busy(submit, false);
        $('user-card').hidden = true;
        selectedUser = null;
        showFieldErrors(result, searchSlots);
        return;
      }
      return send<UserCard>('GET', `/admin/users/${encodeURIComponent(result.body.user_id)}`).then((card) => {
        busy(submit, false);
        if (!card.ok || !card.body) return showFieldErrors(card, searchSlots);
        renderUser(card.body);
        say(`Showing ${card.body.email}.`);
        $('user-card').focus();
      });
    })
    .catch(() => {
      busy(submit, false);
      $('user-search-error').textContent = 'The portal could not be reached.';
    });
}

export function wireUserSearch(): void {
  $('user-search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = buttonById('user-search-button');
    clearErrors(searchSlots);
    const email = inputById('user-search-email').value.trim();
    if (!email) {
      showFieldErrors(
        { ok: false, status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { email: "Enter the user's email address." } } },
        searchSlots,
      );
      return;
    }
    findUser(submit, email);
  });
}
