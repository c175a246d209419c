import type { OutgoingEmail } from './ports';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

export function resetPasswordEmail(input: { to: string; firstName?: string; link: string; validMinutes: number }): OutgoingEmail {
  const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
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
  return { to: input.to, subject: 'Reset your password', text, html, links: [input.link] };
}

export function passwordChangedEmail(input: { to: string; firstName?: string; resetLink: string }): OutgoingEmail {
  const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
  const text = [
    greeting,
    '',
    'The password of your account was just changed, and every device was signed out.',
    `If this was not you, reset your password now: ${input.resetLink}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<p>The password of your account was just changed, and every device was signed out.</p>
<p>If this was not you, <a href="${escapeHtml(input.resetLink)}">reset your password now</a>.</p>
</body></html>`;
  return { to: input.to, subject: 'Your password was changed', text, html, links: [input.resetLink] };
}

export function verifyEmailEmail(input: { to: string; firstName?: string; link: string; validHours: number }): OutgoingEmail {
  const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
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
  return { to: input.to, subject: 'Confirm your email address', text, html, links: [input.link] };
}

export function invitationEmail(input: { to: string; inviter: string; what: string; link: string; expiresAt: string }): OutgoingEmail {
  const text = [
    'Hello,',
    '',
    `${input.inviter} invited you to ${input.what} on the developer portal. Sign in (or create an account) with this email address, then open:`,
    '',
    input.link,
    '',
    `The invitation works once, until ${input.expiresAt}. If you did not expect it, ignore this email.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>Hello,</p>
<p>${escapeHtml(input.inviter)} invited you to ${escapeHtml(input.what)} on the developer portal. Sign in (or create an account) with this email address, then accept:</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">Open the invitation</a></p>
<p>The invitation works once, until ${escapeHtml(input.expiresAt)}. If you did not expect it, ignore this email.</p>
</body></html>`;
  return { to: input.to, subject: 'You are invited to the developer portal', text, html, links: [input.link] };
}
