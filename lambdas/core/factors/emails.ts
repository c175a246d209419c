import { type Brand, DEFAULT_BRAND } from '../branding';
import { supportedLocale } from '../i18n/locales';
import { type Translator, translator } from '../i18n/translate';
import { shownText } from '../mail-text';
import type { OutgoingEmail } from '../ports';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** Who gets a notice, in which language (the account's locale; English when absent or unsupported) and brand. */
interface Recipient {
  to: string;
  firstName?: string;
  locale?: string;
  brand?: Brand;
}

/** A security notice: a few lines, the same in text and HTML, no links to follow (a phished copy cannot add one that looks ours). */
function notice(recipient: Recipient, texts: Translator, subject: string, lines: string[]): OutgoingEmail {
  const { t } = texts;
  // The name is the user's own free text: shown as a short plain phrase, as in every other email (core/mail-text.ts).
  const name = shownText(recipient.firstName);
  const greeting = name ? t('email.helloName', { name }) : t('email.hello');
  const closing = t('email.factor.closing');
  const signOff = t('email.signOff', { product: (recipient.brand ?? DEFAULT_BRAND).productName });
  const text = [greeting, '', ...lines, '', closing, '', signOff].join('\n');
  const html = `<!doctype html><html lang="${texts.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p>${escapeHtml(closing)}</p>
<p>${escapeHtml(signOff)}</p>
</body></html>`;
  return { kind: 'security-notice', to: recipient.to, subject, text, html, links: [] };
}

const textsFor = (recipient: Recipient): Translator => translator(supportedLocale(recipient.locale) ?? 'en');

export function factorAddedEmail(input: Recipient & { label: string }): OutgoingEmail {
  const texts = textsFor(input);
  return notice(input, texts, texts.t('email.factor.addedSubject'), [texts.t('email.factor.added', { label: input.label })]);
}

export function factorRemovedEmail(input: Recipient & { label: string }): OutgoingEmail {
  const texts = textsFor(input);
  return notice(input, texts, texts.t('email.factor.removedSubject'), [texts.t('email.factor.removed', { label: input.label })]);
}

export function factorsResetEmail(input: Recipient): OutgoingEmail {
  const texts = textsFor(input);
  return notice(input, texts, texts.t('email.factor.resetSubject'), [texts.t('email.factor.reset')]);
}

export function recoveryCodeUsedEmail(input: Recipient & { left: number }): OutgoingEmail {
  const texts = textsFor(input);
  return notice(input, texts, texts.t('email.factor.recoveryUsedSubject'), [
    texts.t('email.factor.recoveryUsed'),
    texts.t('email.factor.recoveryLeft', { count: input.left }),
  ]);
}
