/** The admin view: every team with its credentials, and the pending admin and user-admin invitations. */
import { $, inputById } from '../form';
import type { AdminInvitations, AdminTeams } from '../portal-api';
import { button, cell, copy, formatDate, listTable, message, pageError, paragraph, say } from './dom';
import { secondFactorNeeded } from './factor-gate';
import { inviteForm } from './invite-form';
import { send } from './session';

export function loadAdmin(): Promise<boolean> {
  return send<AdminTeams>('GET', '/portal/admin/teams').then((result) => {
    const body = $<HTMLTableSectionElement>('admin-teams');
    body.textContent = '';
    $('admin').hidden = !result.ok;
    if (secondFactorNeeded(result)) return false;
    if (!result.ok || !result.body) {
      pageError(message(result, 'Could not load the teams'));
      return false;
    }
    result.body.teams.forEach((team) => {
      const row = body.insertRow();
      cell(row, team.name);
      cell(row, String(team.member_count));
      cell(row, team.credentials.map((credential) => `${credential.name} (${credential.environment})`).join(', ') || '—');
    });
    return true;
  });
}

/** Pending admin and user-admin invitations, each with a Withdraw button. */
export function loadAdminInvitations(): Promise<void> {
  return send<AdminInvitations>('GET', '/portal/admin/invitations').then((result) => {
    const container = $('admin-invitations');
    container.textContent = '';
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load the admin invitations'));
    if (!result.body.invitations.length) {
      container.appendChild(paragraph('empty', 'No pending admin invitations.'));
      return;
    }
    const { table, body } = listTable(['Email', 'Role', 'Invited by', 'Expires', 'Actions']);
    for (const invitation of result.body.invitations) {
      const row = body.insertRow();
      cell(row, invitation.email);
      cell(row, invitation.kind === 'user-admin' ? 'User admin' : 'Portal admin');
      cell(row, invitation.invited_by);
      cell(row, formatDate(invitation.expires_at));
      cell(
        row,
        button('Withdraw', 'danger', () => withdrawAdminInvitation(invitation.id, invitation.email), `Withdraw the admin invitation to ${invitation.email}`),
      );
    }
    container.appendChild(table);
  });
}

function withdrawAdminInvitation(id: string, email: string): void {
  send('DELETE', `/portal/admin/invitations/${encodeURIComponent(id)}`).then((result) => {
    if (!result.ok && result.status !== 404) return pageError(message(result, 'Could not withdraw the invitation'));
    say(`The admin invitation to ${email} was withdrawn.`);
    loadAdminInvitations();
  });
}

export function wireAdminInvitations(): void {
  inviteForm('admin-invite-form', 'admin-email', 'admin-invite-button', '/portal/admin/invitations', (body) => {
    inputById('admin-invite-link').value = body.invitation_url;
    $('admin-invite-result').hidden = false;
    $('admin-invite-link').focus();
    loadAdminInvitations();
  });
  $('copy-admin-invite').addEventListener('click', () => copy('admin-invite-link', 'copy-admin-invite'));
}
