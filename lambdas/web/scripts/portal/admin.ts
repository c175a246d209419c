/** The admin view: every team with its credentials, and the pending admin and user-admin invitations. */
import { $, inputById } from '../form';
import { text } from '../page-texts';
import type { AdminInvitations, AdminTeams } from '../portal-api';
import { button, cell, copy, environmentName, formatDate, listTable, message, pageError, paragraph, say, sentence } from './dom';
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
      pageError(message(result, text('portal.script.loadTeamsFailed')));
      return false;
    }
    result.body.teams.forEach((team) => {
      const row = body.insertRow();
      cell(row, team.name);
      cell(row, String(team.member_count));
      cell(row, team.credentials.map((credential) => `${credential.name} (${environmentName(credential.environment)})`).join(', ') || '—');
    });
    return true;
  });
}

/** Pending admin and user-admin invitations, each with a Withdraw button. */
export function loadAdminInvitations(): Promise<void> {
  return send<AdminInvitations>('GET', '/portal/admin/invitations').then((result) => {
    const container = $('admin-invitations');
    container.textContent = '';
    if (!result.ok || !result.body) return pageError(message(result, text('portal.script.loadAdminInvitationsFailed')));
    if (!result.body.invitations.length) {
      container.appendChild(paragraph('empty', text('portal.script.noAdminInvitations')));
      return;
    }
    const { table, body } = listTable([
      text('form.email'),
      text('portal.script.role'),
      text('portal.script.invitedBy'),
      text('portal.script.expires'),
      text('portal.script.actions'),
    ]);
    for (const invitation of result.body.invitations) {
      const row = body.insertRow();
      cell(row, invitation.email);
      cell(row, text(invitation.kind === 'user-admin' ? 'portal.script.userAdmin' : 'portal.script.portalAdmin'));
      cell(row, invitation.invited_by);
      cell(row, formatDate(invitation.expires_at));
      cell(
        row,
        button(
          text('portal.script.withdraw'),
          'danger',
          () => withdrawAdminInvitation(invitation.id, invitation.email),
          sentence('portal.script.withdrawLabel', { email: invitation.email }),
        ),
      );
    }
    container.appendChild(table);
  });
}

function withdrawAdminInvitation(id: string, email: string): void {
  send('DELETE', `/portal/admin/invitations/${encodeURIComponent(id)}`).then((result) => {
    if (!result.ok && result.status !== 404) return pageError(message(result, text('portal.script.withdrawFailed')));
    say(sentence('portal.script.withdrawn', { email }));
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
