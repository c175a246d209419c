/** The team: who you are, teammates and pending invitations; opens the admin parts and the Users console when they answer. */
import { $, inputById } from '../form';
import { text } from '../page-texts';
import type { Member, TeamView } from '../portal-api';
import { loadAdmin, loadAdminInvitations } from './admin';
import { loadUsersSection } from './console';
import { loadCredentials } from './credentials';
import { button, confirmed, copy, formatDate, message, pageError, sentence } from './dom';
import { inviteForm } from './invite-form';
import { send } from './session';

function renderMembers(data: TeamView): void {
  const members = $('members');
  members.textContent = '';
  data.members.forEach((member) => {
    const item = document.createElement('li');
    item.appendChild(document.createTextNode(`${member.you ? text('portal.script.you', { email: member.email }) : member.email} `));
    if (!member.you && data.members.length > 1) {
      item.appendChild(
        button(text('portal.script.remove'), 'secondary', () => removeMember(member), sentence('portal.script.removeLabel', { email: member.email })),
      );
    }
    members.appendChild(item);
  });
}

/** Answers once the admin parts and the console it opens have answered too (so a redraw comes after them). */
function renderTeam(data: TeamView): Promise<unknown> {
  $('who-email').textContent = data.you.email;
  $('who-team').textContent = data.team.name;
  $('team-title').textContent = text('portal.script.teamTitle', { team: data.team.name });
  renderMembers(data);
  $('pending').textContent = data.invitations.length
    ? text('portal.script.pending', { emails: data.invitations.map((invitation) => invitation.email).join(', ') })
    : '';
  // The admin parts open only when their routes answer: an admin without a two-factor session is led to enrol first.
  if (!data.you.is_admin) $('admin').hidden = true;
  const admin = data.you.is_admin ? loadAdmin().then((opened) => (opened ? loadAdminInvitations() : undefined)) : undefined;
  return Promise.all([admin, loadUsersSection()]);
}

/** Draws the team; answers it (its `you.locale` is the account's language) or nothing when it failed to load. */
export function loadTeam(): Promise<TeamView | undefined> {
  return send<TeamView>('GET', '/portal/team').then((result) => {
    if (!result.ok || !result.body) {
      pageError(message(result, text('portal.script.loadTeamFailed')));
      return undefined;
    }
    const team = result.body;
    return renderTeam(team).then(() => team);
  });
}

/** Draws the team (and the admin parts and console it opens) and the credentials; answers the team. */
export function loadAll(): Promise<TeamView | undefined> {
  pageError('');
  return Promise.all([loadTeam(), loadCredentials()]).then(([team]) => team);
}

function removeMember(member: Member): void {
  confirmed(
    sentence('portal.script.removeConfirm', { email: member.email }),
    text('portal.script.remove'),
    () => send('DELETE', `/portal/team/members/${encodeURIComponent(member.user_id)}`),
    text('portal.script.removeFailed'),
    () => loadTeam(),
  );
}

export function wireTeamInvitations(): void {
  inviteForm('invite-form', 'invite-email', 'invite-button', '/portal/team/invitations', (body) => {
    $('invite-to').textContent = body.email;
    $('invite-expires').textContent = formatDate(body.expires_at);
    inputById('invite-link').value = body.invitation_url;
    $('invite-result').hidden = false;
    $('invite-link').focus();
    loadTeam();
  });
  $('copy-invite').addEventListener('click', () => copy('invite-link', 'copy-invite'));
}
