/** An invitation link (#invite=...) read on arrival, offered after sign-in, then accepted or dismissed. */
import { $, buttonById } from '../form';
import { text } from '../page-texts';
import { busy, message, pageError, say, sentence } from './dom';
import { send } from './session';
import { loadAll } from './team';

let pendingInvite: string | null = null;

export const hasPendingInvite = (): boolean => !!pendingInvite;

export function readInvite(): void {
  const match = /[#&]invite=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  pendingInvite = decodeURIComponent(match[1] ?? '');
  // The token stays out of the address bar (history, screenshots) once read.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  $('invite-hint').hidden = false;
}

export function wireInvitation(): void {
  $('accept-invitation').addEventListener('click', () => {
    const submit = buttonById('accept-invitation');
    busy(submit, true);
    send<{ joined: string; team: { name: string } }>('POST', '/portal/team/join', { token: pendingInvite }).then((result) => {
      busy(submit, false);
      if (!result.ok || !result.body) return pageError(message(result, text('portal.script.acceptFailed')));
      pendingInvite = null;
      $('invitation').hidden = true;
      say(result.body.joined === 'admin' ? text('portal.script.nowAdmin') : sentence('portal.script.joined', { team: result.body.team.name }));
      loadAll();
    });
  });
  $('dismiss-invitation').addEventListener('click', () => {
    pendingInvite = null;
    $('invitation').hidden = true;
  });
}
