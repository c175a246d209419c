/**
 * Users (operator console): shown only when the console answers, i.e. to holders of user-admin with a verified email.
 * Find a user by email, see their card (facts, actions, sessions) and their audit trail.
 */
import { $, buttonById, clearErrors, field, inputById } from '../form';
import { countText, text } from '../page-texts';
import type { AuditEntries, UserCard } from '../portal-api';
import { busy, cell, fact, formatDate, listTable, message, pageError, paragraph, say, sentence, showFieldErrors } from './dom';
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
  const { failures, locked_until: lockedUntil } = user.backoff;
  fact(
    facts,
    text('console.script.state'),
    user.disabled_at ? text('console.script.disabledSince', { date: formatDate(user.disabled_at) }) : text('console.script.active'),
  );
  fact(
    facts,
    text('form.email'),
    user.email_verified ? text('console.script.verified', { date: formatDate(user.email_verified_at) }) : text('console.script.notVerified'),
  );
  fact(
    facts,
    text('console.script.backoff'),
    lockedUntil ? countText('console.script.lockedUntil', failures, { date: formatDate(lockedUntil) }) : countText('console.script.notLocked', failures),
  );
  fact(facts, text('portal.script.created'), formatDate(user.created_at));
  fact(facts, text('console.script.lastSignIn'), formatDate(user.last_sign_in_at));
  fact(facts, text('portal.teamTitle'), user.team ? user.team.name : '—');
  fact(facts, text('console.script.permissions'), user.permissions.join(', ') || '—');
  fact(facts, text('console.script.pendingTv'), String(user.device_grants.length));
  fact(facts, text('console.script.userId'), user.user_id);
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
    if (!result.ok || !result.body) return pageError(message(result, text('console.script.loadAuditFailed')));
    if (!result.body.entries.length) {
      container.appendChild(paragraph('empty', text('console.script.noAudit')));
      return;
    }
    const { table, body } = listTable([text('console.script.when'), text('console.script.action'), text('console.script.by'), text('console.script.changes')]);
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
    if (!result.ok || !result.body) return pageError(message(result, text('console.script.loadUserFailed')));
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
        say(sentence('console.script.showing', { email: card.body.email }));
        $('user-card').focus();
      });
    })
    .catch(() => {
      busy(submit, false);
      $('user-search-error').textContent = text('portal.script.unreachable');
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
        { ok: false, status: 400, body: { formError: text('portal.script.fillIn'), fieldErrors: { email: text('console.script.emailMissing') } } },
        searchSlots,
      );
      return;
    }
    findUser(submit, email);
  });
}
