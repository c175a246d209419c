import { shownText } from './mail-text';
import type { InvitationKind } from './portal/ports';
import type { OutgoingEmail } from './ports';

/** "Hello Ann," with the name the account chose, cut to plain text (no links or markup reach anyone's inbox through it). */
function greetingOf(firstName: string | undefined): string {
  const name = shownText(firstName, 30);
  return name ? `Hello ${name},` : 'Hello,';
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

export function resetPasswordEmail(input: { to: string; firstName?: string; link: string; validMinutes: number }): OutgoingEmail {
  const greeting = greetingOf(input.firstName);
  const text = [
    greeting,
    '',
    'Someone asked to reset the password of your account. If it was you, open this link to choose a new password:',
    '',
    input.link,
    '',
    `The link works once and expires in ${input.validMinutes} minutes.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>Someone asked to reset the password of your account. If it was you, choose a new password:</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p>The link works once and expires in ${input.validMinutes} minutes.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>
</body></html>`;
  return { kind: 'password-reset', to: input.to, subject: 'Reset your password', text, html, links: [input.link] };
}

/** What happened to the user's devices: a reset ends every session; a change from /account ends the others on request. */
const DEVICES_AFTER_PASSWORD_CHANGE = {
  'all-signed-out': 'The password of your account was just changed, and every device was signed out.',
  'others-signed-out': 'The password of your account was just changed, and every other device was signed out.',
  kept: 'The password of your account was just changed. Your devices stay signed in.',
} as const;

export function passwordChangedEmail(input: {
  to: string;
  firstName?: string;
  resetLink: string;
  devices?: keyof typeof DEVICES_AFTER_PASSWORD_CHANGE;
}): OutgoingEmail {
  const greeting = greetingOf(input.firstName);
  const changed = DEVICES_AFTER_PASSWORD_CHANGE[input.devices ?? 'all-signed-out'];
  const text = [greeting, '', changed, `If this was not you, reset your password now: ${input.resetLink}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(changed)}</p>
<p>If this was not you, <a href="${escapeHtml(input.resetLink)}">reset your password now</a>.</p>
</body></html>`;
  return { kind: 'password-changed', to: input.to, subject: 'Your password was changed', text, html, links: [input.resetLink] };
}

export function verifyEmailEmail(input: { to: string; firstName?: string; link: string; validHours: number }): OutgoingEmail {
  const greeting = greetingOf(input.firstName);
  const text = [
    greeting,
    '',
    'Please confirm that this is your email address. Open this link and press "Confirm my email":',
    '',
    input.link,
    '',
    `The link works once and expires in ${input.validHours} hours.`,
    'If you did not create an account, ignore this email: nothing is confirmed without the click.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>Please confirm that this is your email address:</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">Confirm my email</a></p>
<p>The link works once and expires in ${input.validHours} hours.</p>
<p>If you did not create an account, ignore this email: nothing is confirmed without the click.</p>
</body></html>`;
  return { kind: 'verification', to: input.to, subject: 'Confirm your email address', text, html, links: [input.link] };
}

/** What accepting an invitation of each kind grants, in the words the email uses. */
export const INVITATION_ROLES: Record<InvitationKind, { subject: string; grants: string }> = {
  team: {
    subject: 'join a team on the developer portal',
    grants: "As a member you share the team's API credentials and may invite or remove teammates.",
  },
  admin: {
    subject: 'become a portal admin',
    grants: 'A portal admin sees every team and its API credentials, and may invite other portal admins and user admins.',
  },
  'user-admin': {
    subject: 'become a user admin',
    grants: 'A user admin uses the operator console: reads user accounts, signs users out, unlocks, disables, re-sends verification and deletes accounts.',
  },
};

/**
 * An invitation, attributed to its sender's verified address. The only text
 * the sender chose (the team's name) is cut to a short plain phrase, and the
 * one link is the platform's own.
 */
export function invitationEmail(input: {
  to: string;
  /** The sender's verified address. */
  inviter: string;
  kind: InvitationKind;
  teamName?: string;
  link: string;
  expiresAt: string;
}): OutgoingEmail {
  const role = INVITATION_ROLES[input.kind];
  const team = shownText(input.teamName);
  const what = input.kind === 'team' ? (team ? `join the team "${team}"` : 'join their team') : role.subject;
  const line = `${input.inviter} invited you to ${what} on the developer portal.`;
  const text = [
    'Hello,',
    '',
    line,
    role.grants,
    '',
    'Sign in (or create an account) with this email address, then open:',
    '',
    input.link,
    '',
    `The invitation works once, until ${input.expiresAt}. If you did not expect it, ignore this email.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>Hello,</p>
<p>${escapeHtml(line)}</p>
<p>${escapeHtml(role.grants)}</p>
<p>Sign in (or create an account) with this email address, then accept:</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">Open the invitation</a></p>
<p>The invitation works once, until ${escapeHtml(input.expiresAt)}. If you did not expect it, ignore this email.</p>
</body></html>`;
  return {
    kind: 'invitation',
    sender: input.inviter,
    to: input.to,
    subject: `${input.inviter} invited you to ${role.subject}`,
    text,
    html,
    links: [input.link],
  };
}

/** To the NEW address of an email change: the link that makes the change happen (kind `verification`: it proves the address). */
export function emailChangeLinkEmail(input: { to: string; firstName?: string; link: string; validHours: number }): OutgoingEmail {
  const greeting = greetingOf(input.firstName);
  const text = [
    greeting,
    '',
    'You asked to use this address for your account. Open this link and press "Use this email" to make the change:',
    '',
    input.link,
    '',
    `The link works once and expires in ${input.validHours} hours. Until then your account keeps its old address. If you did not ask for this, ignore this email.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>You asked to use this address for your account. Open the link and press "Use this email" to make the change.</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">Use this email</a></p>
<p>The link works once and expires in ${input.validHours} hours. Until then your account keeps its old address. If you did not ask for this, ignore this email.</p>
</body></html>`;
  return { kind: 'verification', to: input.to, subject: 'Confirm your new email address', text, html, links: [input.link] };
}

/** To the OLD address of an email change: what is about to happen, and how to stop someone else (no link: the account page is enough). */
export function emailChangeNoticeEmail(input: { to: string; firstName?: string; newEmail: string; accountLink: string; resetLink: string }): OutgoingEmail {
  const greeting = greetingOf(input.firstName);
  const lines = [
    `Someone signed in to your account asked to change its email address to ${input.newEmail}.`,
    'The change happens only when the link we sent to that address is opened.',
    'If this was not you: reset your password now (that signs out every device), then check the email address on your account page.',
  ];
  const text = [greeting, '', ...lines, '', `Reset your password: ${input.resetLink}`, `Your account: ${input.accountLink}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p><a href="${escapeHtml(input.resetLink)}">Reset your password</a> · <a href="${escapeHtml(input.accountLink)}">Your account</a></p>
</body></html>`;
  return { kind: 'security-notice', to: input.to, subject: 'Your email address is about to change', text, html, links: [input.resetLink, input.accountLink] };
}

/** To an address that already has an account, when another account asked to move to it: nothing changes, and nobody else learns it. */
export function emailChangeTakenEmail(input: { to: string; signInLink: string; resetLink: string }): OutgoingEmail {
  const lines = [
    'Someone asked to move another account to this email address. This address already has an account, so nothing was changed.',
    'If it was you, sign in to the account this address already has instead. If you forgot its password, reset it.',
    'If it was not you, you can ignore this email.',
  ];
  const text = ['Hello,', '', ...lines, '', `Sign in: ${input.signInLink}`, `Reset the password: ${input.resetLink}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>Hello,</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p><a href="${escapeHtml(input.signInLink)}">Sign in</a> · <a href="${escapeHtml(input.resetLink)}">Reset the password</a></p>
</body></html>`;
  return { kind: 'security-notice', to: input.to, subject: 'This address already has an account', text, html, links: [input.signInLink, input.resetLink] };
}
