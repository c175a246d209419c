import { shownText } from '../mail-text';
import type { OutgoingEmail } from '../ports';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** A security notice: a few lines, the same in text and HTML, no links to follow (a phished copy cannot add one that looks ours). */
function notice(to: string, firstName: string | undefined, subject: string, lines: string[]): OutgoingEmail {
  // The name is the user's own free text: shown as a short plain phrase, as in every other email (core/mail-text.ts).
  const name = shownText(firstName);
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const closing = 'If this was not you, reset your password and contact support at once.';
  const text = [greeting, '', ...lines, '', closing].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p>${escapeHtml(closing)}</p>
</body></html>`;
  return { kind: 'security-notice', to, subject, text, html, links: [] };
}

export function factorAddedEmail(input: { to: string; firstName?: string; label: string }): OutgoingEmail {
  return notice(input.to, input.firstName, 'A second factor was added to your account', [
    `A second factor ("${input.label}") was just added to your account. Signing in now needs a code from it, or a recovery code.`,
  ]);
}

export function factorRemovedEmail(input: { to: string; firstName?: string; label: string }): OutgoingEmail {
  return notice(input.to, input.firstName, 'A second factor was removed from your account', [
    `A second factor ("${input.label}") was just removed from your account.`,
  ]);
}

export function factorsResetEmail(input: { to: string; firstName?: string }): OutgoingEmail {
  return notice(input.to, input.firstName, 'The second factors of your account were reset', [
    'Support removed every second factor and recovery code of your account, as asked. Your password alone signs in again until you add a new factor.',
  ]);
}

export function recoveryCodeUsedEmail(input: { to: string; firstName?: string; left: number }): OutgoingEmail {
  return notice(input.to, input.firstName, 'A recovery code was used to sign in', [
    'One of your recovery codes was just used to sign in to your account; it no longer works.',
    `You have ${input.left} recovery code${input.left === 1 ? '' : 's'} left. You can make a new set in your account's security settings.`,
  ]);
}
