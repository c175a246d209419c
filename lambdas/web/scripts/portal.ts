/**
 * GET /portal: sign in, then the team's API credentials per environment,
 * teammates and invitations, the admin view and (for user admins) the Users
 * console. Secrets are shown once and removed from the page when dismissed.
 */
import { $, type ApiBody, buttonById, clearErrors, type ErrorSlots, field, inputById, readCredentials, setBusy, showErrors } from './form';
import { passkeySignIn } from './passkeys';
import {
  type AdminInvitations,
  type AdminTeams,
  type AuditEntries,
  type Credential,
  type CredentialList,
  type Invitation,
  type IssuedSecret,
  type Member,
  type PortalAnswer,
  portalApi,
  revokeRefreshToken,
  type TeamView,
  type UserCard,
} from './portal-api';
import { isMfaRequired, offerCodeFor, oneTimeCodeField, stepUpPrompt, submitWebSignInCode, withCode } from './second-factor';
import { securitySection } from './security';

const base = window.location.pathname.replace(/\/portal\/?$/, '');
// Console actions and production credentials may answer 403 step_up_required: the dialog asks for a code, then the request goes once more.
let stepUp: () => Promise<boolean> = () => Promise.resolve(false);
const api = portalApi(base, () => signOut('Your session has ended. Please sign in again.'), { stepUp: () => stepUp() });
const send = api.send;
stepUp = stepUpPrompt(send);
const signInCode = oneTimeCodeField();
let createKey: string | null = null;
let pendingInvite: string | null = null;

const say = (text: string) => {
  $('status').textContent = text;
};
const pageError = (text: string) => {
  $('page-error').textContent = text || '';
};
const busy = (button: HTMLButtonElement, on: boolean) => setBusy([button], on);

$('verify-resend').addEventListener('click', () => {
  const email = $('who-email').textContent || inputById('email').value.trim();
  const resend = buttonById('verify-resend');
  resend.disabled = true;
  send('POST', '/verify-email/resend', { email })
    .then((result) => {
      resend.disabled = false;
      $('verify-sent').textContent = result.ok
        ? `We sent a new link to ${email}. Check your inbox (and spam folder).`
        : message(result, 'Could not send a new link');
    })
    .catch(() => {
      resend.disabled = false;
      $('verify-sent').textContent = 'The portal could not be reached.';
    });
});

function readInvite(): void {
  const match = /[#&]invite=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  pendingInvite = decodeURIComponent(match[1] ?? '');
  // The token stays out of the address bar (history, screenshots) once read.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  $('invite-hint').hidden = false;
}

// Any answer that says "confirm your email first" offers to send a new link.
function message(result: PortalAnswer<ApiBody>, fallback: string): string {
  if (result.body && result.body.error === 'email_not_verified') $('verify-banner').hidden = false;
  return (result.body && typeof result.body.formError === 'string' && result.body.formError) || `${fallback} (HTTP ${result.status}).`;
}

function showFieldErrors(result: PortalAnswer<ApiBody>, slots: ErrorSlots): void {
  showErrors(slots, result.body, result.status, { formError: message(result, 'That did not work'), focusFirstField: false });
}

function cell(row: HTMLTableRowElement, content: string | Node, tag: 'td' | 'th' = 'td'): HTMLElement {
  const element = document.createElement(tag);
  if (content instanceof Node) element.appendChild(content);
  else element.textContent = content;
  row.appendChild(element);
  return element;
}

function code(text: string): HTMLElement {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}

function button(label: string, className: string, onClick: () => void, described?: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `small ${className || ''}`;
  element.textContent = label;
  if (described) element.setAttribute('aria-label', described);
  element.addEventListener('click', onClick);
  return element;
}

/** A list table with its column headings; the caller fills the body. */
function listTable(columns: string[]): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const table = document.createElement('table');
  table.className = 'list';
  const head = table.createTHead().insertRow();
  for (const title of columns) cell(head, title, 'th').setAttribute('scope', 'col');
  return { table, body: table.createTBody() };
}

const formatDate = (value: string | null | undefined): string => (value ? new Date(value).toLocaleString() : '—');

function renderCredentials(data: CredentialList): void {
  const container = $('environments');
  container.textContent = '';
  ['sandbox', 'production'].forEach((environment) => {
    const info = data.environments?.[environment] || { available: false };
    const heading = document.createElement('h3');
    heading.textContent = environment === 'sandbox' ? 'Sandbox' : 'Production';
    container.appendChild(heading);
    if (!info.available) container.appendChild(paragraph('form-error', info.message || 'This environment is not available.'));
    else container.appendChild(paragraph('hint', `Token URL: ${info.token_url}${info.audiences?.length ? ` · APIs: ${info.audiences.join(', ')}` : ''}`));
    const list = (data.credentials || []).filter((credential) => credential.environment === environment);
    if (!list.length) {
      container.appendChild(paragraph('empty', `No ${environment} credentials yet.`));
      return;
    }
    const { table, body } = listTable(['Name', 'Client ID', 'APIs', 'Created', 'Actions']);
    table.setAttribute('data-environment', environment);
    const caption = document.createElement('caption');
    caption.className = 'visually-hidden';
    caption.textContent = `${heading.textContent} credentials`;
    table.insertBefore(caption, table.firstChild);
    list.forEach((credential) => {
      const row = body.insertRow();
      row.setAttribute('data-client-id', credential.client_id);
      cell(row, credential.name);
      cell(row, code(credential.client_id));
      cell(row, credential.audiences.join(', ') || '—');
      cell(row, formatDate(credential.created_at));
      const actions = cell(row, '');
      actions.appendChild(button('Rotate secret', 'secondary', () => rotate(credential), `Rotate the secret of ${credential.name}`));
      actions.appendChild(button('Delete', 'danger', () => remove(credential), `Delete ${credential.name}`));
    });
    container.appendChild(table);
  });
}

function loadCredentials(): Promise<void> {
  return send<CredentialList>('GET', '/portal/credentials').then((result) => {
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load your credentials'));
    renderCredentials(result.body);
  });
}

function renderTeam(data: TeamView): void {
  $('who-email').textContent = data.you.email;
  $('who-team').textContent = data.team.name;
  $('team-title').textContent = `Team: ${data.team.name}`;
  const members = $('members');
  members.textContent = '';
  data.members.forEach((member) => {
    const item = document.createElement('li');
    item.appendChild(document.createTextNode(`${member.email}${member.you ? ' (you)' : ''} `));
    if (!member.you && data.members.length > 1) {
      item.appendChild(button('Remove', 'secondary', () => removeMember(member), `Remove ${member.email} from the team`));
    }
    members.appendChild(item);
  });
  $('pending').textContent = data.invitations.length ? `Pending invitations: ${data.invitations.map((invitation) => invitation.email).join(', ')}` : '';
  // The admin parts open only when their routes answer: an admin without a two-factor session is led to enrol first.
  if (!data.you.is_admin) $('admin').hidden = true;
  else
    loadAdmin().then((opened) => {
      if (opened) loadAdminInvitations();
    });
  loadUsersSection();
}

function loadTeam(): Promise<void> {
  return send<TeamView>('GET', '/portal/team').then((result) => {
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load your team'));
    renderTeam(result.body);
  });
}

function loadAdmin(): Promise<boolean> {
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

// Admins without a two-factor session (403 mfa_required, docs/factors.md): the same Security section as /account leads them
// through enrolment (or, with a factor already, a step-up), and confirming it marks this session; then the admin parts open.
const gateSecurity = securitySection({ send, say, onFactorAdded: () => openAdminParts('Second factor added. Store your recovery codes, then go on.') });
let gateShown = false;

function secondFactorNeeded(result: PortalAnswer): boolean {
  if (result.status !== 403 || !isMfaRequired(result.body)) return false;
  if (gateShown) return true;
  gateShown = true;
  $('factor-gate').hidden = false;
  gateSecurity.load().then((list) => {
    const hasFactor = !!list && list.factors.length > 0;
    $('factor-gate-step-up').hidden = !hasFactor;
    $('factor-gate-text').textContent = hasFactor
      ? 'Administrators use a session proven with a second factor. Confirm with a code from your authenticator app to open the administration.'
      : 'Administrators sign in with their password and a code. Add an authenticator app below: the administration opens as soon as it is confirmed.';
    $('factor-gate-title').focus();
  });
  return true;
}

function openAdminParts(text: string): void {
  gateShown = false;
  $('factor-gate-text').textContent = text;
  $('factor-gate-step-up').hidden = true;
  // The recovery codes (first factor) stay on screen until the person says they are stored.
  if ($('recovery-panel').hidden) closeGate();
  loadTeam();
}

function closeGate(): void {
  $('factor-gate').hidden = true;
  gateSecurity.reset();
}

$('factor-gate-step-up').addEventListener('click', () => {
  stepUp().then((stepped) => {
    if (stepped) openAdminParts('Confirmed.');
  });
});
$('recovery-stored').addEventListener('click', () => {
  if (!gateShown) closeGate();
});

/** Pending admin and user-admin invitations, each with a Withdraw button. */
function loadAdminInvitations(): Promise<void> {
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

function loadAll(): Promise<unknown> {
  pageError('');
  return Promise.all([loadTeam(), loadCredentials()]);
}

function showSecret(body: IssuedSecret): void {
  $('secret-environment').textContent = body.environment;
  $('secret-client-id').textContent = body.client_id;
  $('secret-token-url').textContent = body.token_url;
  $('secret-audiences').textContent = (body.audiences || []).join(', ');
  inputById('secret-value').value = body.client_secret;
  $('secret-panel').hidden = false;
  $('secret-panel').focus();
  say('Credential ready. Copy the client secret now; it is shown only once.');
}

function hideSecret(): void {
  inputById('secret-value').value = '';
  $('secret-client-id').textContent = '';
  $('secret-panel').hidden = true;
  $('credential-name').focus();
}

function copy(inputId: string, buttonId: string): void {
  const input = inputById(inputId);
  const selectInstead = () => {
    input.select();
    say('Press Ctrl+C (or Cmd+C) to copy.');
  };
  const done = () => {
    $(buttonId).textContent = 'Copied';
    say('Copied to the clipboard.');
    setTimeout(() => {
      $(buttonId).textContent = buttonId === 'copy-secret' ? 'Copy secret' : 'Copy link';
    }, 2000);
  };
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(input.value).then(done, selectInstead);
  else selectInstead();
}

function confirmDialog(text: string, yesLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = $<HTMLDialogElement>('confirm');
    $('confirm-text').textContent = text;
    $('confirm-yes').textContent = yesLabel;
    dialog.returnValue = '';
    dialog.addEventListener('close', function onClose() {
      dialog.removeEventListener('close', onClose);
      resolve(dialog.returnValue === 'yes');
    });
    dialog.showModal();
    $('confirm-no').focus();
  });
}

/** Asks first, then sends; a failure shows on the page. */
function confirmed<T>(text: string, yesLabel: string, request: () => Promise<PortalAnswer<T>>, failure: string, done: (result: PortalAnswer<T>) => void): void {
  confirmDialog(text, yesLabel).then((yes) => {
    if (!yes) return;
    request().then((result) => {
      if (!result.ok) return pageError(message(result, failure));
      done(result);
    });
  });
}

function rotate(credential: Credential): void {
  confirmed<IssuedSecret>(
    `Rotate the secret of "${credential.name}"? The current secret stops working at once; services using it must switch to the new one.`,
    'Rotate secret',
    () => send('POST', `/portal/credentials/${encodeURIComponent(credential.client_id)}/rotate`, undefined, { 'Idempotency-Key': newKey() }),
    'Could not rotate the secret',
    (result) => showSecret(result.body as IssuedSecret),
  );
}

function remove(credential: Credential): void {
  confirmed(
    `Delete "${credential.name}" (${credential.environment})? Services using it lose access at once. This cannot be undone.`,
    'Delete',
    () => send('DELETE', `/portal/credentials/${encodeURIComponent(credential.client_id)}`),
    'Could not delete the credential',
    () => {
      say('Credential deleted.');
      loadAll();
    },
  );
}

function removeMember(member: Member): void {
  confirmed(
    `Remove ${member.email} from the team? They keep their account and get a team of their own.`,
    'Remove',
    () => send('DELETE', `/portal/team/members/${encodeURIComponent(member.user_id)}`),
    'Could not remove the member',
    () => loadTeam(),
  );
}

function newKey(): string {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join('');
}

function signedIn(body: { access_token: string; refresh_token?: string }): void {
  api.signedIn(body.access_token, body.refresh_token);
  inputById('password').value = '';
  signInCode.reset();
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('invitation').hidden = !pendingInvite;
  loadAll().then(() => {
    say('Signed in.');
    (pendingInvite ? $('accept-invitation') : $('credential-name')).focus();
  });
}

function signOut(text: string): string | undefined {
  const refreshToken = api.forget();
  hideSecret();
  closeGate();
  gateShown = false;
  signInCode.reset();
  $('admin').hidden = true;
  $('users').hidden = true;
  $('user-card').hidden = true;
  $('app').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = text || '';
  $('email').focus();
  return refreshToken;
}

const signInSlots = { formError: 'sign-in-error', fields: [field('email'), field('password'), signInCode.slot] };
// A passkey alone answers the same tokens as the password (POST /login-flow/passkey/login).
passkeySignIn({
  base,
  busy: (on) => busy(buttonById('passkey-sign-in'), on),
  signedIn: (tokens) => signedIn(tokens as { access_token: string; refresh_token?: string }),
  refused: (answer) => {
    offerCodeFor(answer.body, signInCode);
    showFieldErrors({ ok: false, status: answer.status, body: answer.body }, signInSlots);
  },
});
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const submit = buttonById('sign-in-button');
  if (submit.disabled) return;
  clearErrors(signInSlots);
  // After Apple or Google asked for the second factor, the code goes with the kept hand-off.
  if (submitWebSignInCode(signInCode, signInSlots)) return;
  const credentials = readCredentials((problem) => showFieldErrors({ ok: false, status: 400, body: problem }, signInSlots));
  if (!credentials) return;
  busy(submit, true);
  say('Signing in, please wait.');
  api.forget();
  send<{ access_token: string; refresh_token?: string }>('POST', '/login-flow/login', withCode(credentials, signInCode))
    .then((result) => {
      busy(submit, false);
      if (result.ok && result.body?.access_token) return signedIn(result.body);
      offerCodeFor(result.body, signInCode);
      showFieldErrors(result, signInSlots);
    })
    .catch(() => {
      busy(submit, false);
      $('sign-in-error').textContent = 'The portal could not be reached. Check your connection and try again.';
    });
});

const createSlots = { formError: 'create-error', fields: [field('name', 'credential-name', 'name-error')] };
$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const submit = buttonById('create-button');
  if (submit.disabled) return;
  clearErrors(createSlots);
  const name = inputById('credential-name').value.trim();
  if (!name) {
    showFieldErrors(
      { ok: false, status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { name: 'Give the credential a name.' } } },
      createSlots,
    );
    return;
  }
  // One key per intended credential: a retry after a network error returns the same credential, not a second one.
  const key = createKey || newKey();
  createKey = key;
  busy(submit, true);
  say('Creating the credential, please wait.');
  send<IssuedSecret>('POST', '/portal/credentials', { name, environment: $<HTMLSelectElement>('credential-environment').value }, { 'Idempotency-Key': key })
    .then((result) => {
      busy(submit, false);
      if (!result.ok) {
        if (result.status < 500) createKey = null;
        showFieldErrors(result, createSlots);
        return;
      }
      createKey = null;
      inputById('credential-name').value = '';
      showSecret(result.body as IssuedSecret);
      loadAll();
    })
    .catch(() => {
      busy(submit, false);
      $('create-error').textContent = 'The portal could not be reached. Try again: the same request will not create a second credential.';
    });
});

function inviteForm(formId: string, inputId: string, buttonId: string, path: string, onDone: (body: Invitation) => void): void {
  const formError = formId.replace('-form', '-error');
  const slots = { formError, fields: [field('email', inputId)] };
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = buttonById(buttonId);
    clearErrors(slots);
    busy(submit, true);
    const payload: Record<string, string> = { email: inputById(inputId).value.trim() };
    if (formId === 'admin-invite-form') payload.kind = $<HTMLSelectElement>('admin-kind').value;
    send<Invitation>('POST', path, payload)
      .then((result) => {
        busy(submit, false);
        if (!result.ok) return showFieldErrors(result, slots);
        inputById(inputId).value = '';
        onDone(result.body as Invitation);
      })
      .catch(() => {
        busy(submit, false);
        $(formError).textContent = 'The portal could not be reached.';
      });
  });
}

inviteForm('invite-form', 'invite-email', 'invite-button', '/portal/team/invitations', (body) => {
  $('invite-to').textContent = body.email;
  $('invite-expires').textContent = formatDate(body.expires_at);
  inputById('invite-link').value = body.invitation_url;
  $('invite-result').hidden = false;
  $('invite-link').focus();
  loadTeam();
});
inviteForm('admin-invite-form', 'admin-email', 'admin-invite-button', '/portal/admin/invitations', (body) => {
  inputById('admin-invite-link').value = body.invitation_url;
  $('admin-invite-result').hidden = false;
  $('admin-invite-link').focus();
  loadAdminInvitations();
});

$('accept-invitation').addEventListener('click', () => {
  const submit = buttonById('accept-invitation');
  busy(submit, true);
  send<{ joined: string; team: { name: string } }>('POST', '/portal/team/join', { token: pendingInvite }).then((result) => {
    busy(submit, false);
    if (!result.ok || !result.body) return pageError(message(result, 'Could not accept the invitation'));
    pendingInvite = null;
    $('invitation').hidden = true;
    say(result.body.joined === 'admin' ? 'You are now a portal admin.' : `You joined ${result.body.team.name}.`);
    loadAll();
  });
});
$('dismiss-invitation').addEventListener('click', () => {
  pendingInvite = null;
  $('invitation').hidden = true;
});
$('copy-secret').addEventListener('click', () => copy('secret-value', 'copy-secret'));
$('copy-invite').addEventListener('click', () => copy('invite-link', 'copy-invite'));
$('copy-admin-invite').addEventListener('click', () => copy('admin-invite-link', 'copy-admin-invite'));
$('dismiss-secret').addEventListener('click', hideSecret);
$('sign-out').addEventListener('click', () => {
  revokeRefreshToken(base, signOut('You are signed out.'));
});

// Users (operator console): shown only when the console answers, i.e. to holders of user-admin with a verified email.
let selectedUser: UserCard | null = null;

function loadUsersSection(): Promise<void> {
  return send('GET', '/admin/audit?limit=1').then((result) => {
    $('users').hidden = !result.ok;
    secondFactorNeeded(result);
  });
}

function fact(list: HTMLElement, term: string, value: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  list.appendChild(dt);
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.appendChild(dd);
}

function userAction(
  label: string,
  text: string,
  yesLabel: string,
  method: string,
  path: string,
  done: (result: PortalAnswer) => void,
  className?: string,
): HTMLButtonElement {
  return button(label, className || 'secondary', () => {
    const user = selectedUser;
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

function renderActions(user: UserCard): void {
  const actions = $('user-actions');
  actions.textContent = '';
  const who = user.email;
  const thenReload = (text: string) => () => {
    say(text);
    reloadUser();
  };
  actions.appendChild(
    userAction(
      'Sign out everywhere',
      `Sign ${who} out of every device, including approved TV sign-ins? They must sign in again everywhere.`,
      'Sign out everywhere',
      'POST',
      '/sign-out',
      thenReload('Signed out everywhere.'),
    ),
  );
  actions.appendChild(
    userAction(
      'Unlock sign-in',
      `Clear the failed sign-in attempts of ${who} so they can try again at once?`,
      'Unlock',
      'POST',
      '/unlock',
      thenReload('Sign-in unlocked.'),
    ),
  );
  if (user.disabled_at)
    actions.appendChild(
      userAction(
        'Enable account',
        `Enable ${who} again? They can sign in, refresh and use hand-offs again.`,
        'Enable',
        'POST',
        '/enable',
        thenReload('Account enabled.'),
      ),
    );
  else
    actions.appendChild(
      userAction(
        'Disable account',
        `Disable ${who}? They can no longer sign in, refresh tokens, approve a TV or open a partner app until enabled.`,
        'Disable',
        'POST',
        '/disable',
        thenReload('Account disabled.'),
        'danger',
      ),
    );
  if (!user.email_verified)
    actions.appendChild(
      userAction(
        'Send verification email',
        `Send ${who} a new link to verify their email address?`,
        'Send email',
        'POST',
        '/verification-email',
        thenReload('Verification email sent.'),
      ),
    );
  actions.appendChild(
    userAction(
      'Export data',
      `Download everything stored about ${who} as one JSON file? The export is recorded in the audit trail.`,
      'Export',
      'GET',
      '/export',
      (result) => {
        downloadJson(result.body, `user-${user.user_id}.json`);
        say('Export downloaded.');
        loadUserAudit();
      },
    ),
  );
  actions.appendChild(
    userAction(
      'Delete user',
      `Delete the account of ${who} for good: profile, sessions and team seat. This cannot be undone.`,
      'Delete user',
      'DELETE',
      '',
      () => {
        say('User deleted.');
        $('user-card').hidden = true;
        selectedUser = null;
      },
      'danger',
    ),
  );
}

function renderSessions(user: UserCard): void {
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
      'Sign out',
      `Sign out this session (started ${formatDate(session.started_at)})? That device must sign in again.`,
      'Sign out session',
      'DELETE',
      `/sessions/${encodeURIComponent(session.session_id)}`,
      () => {
        say('Session signed out.');
        reloadUser();
      },
    );
    end.setAttribute('aria-label', `Sign out the session started ${formatDate(session.started_at)}`);
    actionsCell.appendChild(end);
  });
  sessions.appendChild(table);
}

function renderUser(user: UserCard): void {
  selectedUser = user;
  const name = `${user.first_name} ${user.last_name}`.trim();
  $('user-card-title').textContent = (name ? `${name} · ` : '') + user.email;
  renderFacts(user);
  renderActions(user);
  renderSessions(user);
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
});

readInvite();
$('email').focus();
