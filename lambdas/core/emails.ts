import { type Brand, DEFAULT_BRAND, supportLink } from './branding';
import type { MessageKey } from './i18n/catalogues';
import { type Locale, supportedLocale } from './i18n/locales';
import { type Translator, translator } from './i18n/translate';
import { shownText } from './mail-text';
import type { InvitationKind } from './portal/ports';
import type { OutgoingEmail } from './ports';

/**
 * The account emails, in the recipient's language (the account's stored
 * locale, else the one of the request that sent it, else English) and in the
 * platform's brand: product name in the subject and sign-off, the primary
 * color on the button, the support and legal links in the footer.
 */
export interface MailLook {
  /** Any language tag; unsupported or absent: English. */
  locale?: string;
  brand?: Brand;
}

const textsFor = (look: MailLook): Translator => translator(supportedLocale(look.locale) ?? ('en' satisfies Locale));

/** "Hello Ann," with the name the account chose, cut to plain text (no links or markup reach anyone's inbox through it). */
function greetingOf({ t }: Translator, firstName: string | undefined): string {
  const name = shownText(firstName, 30);
  return name ? t('email.helloName', { name }) : t('email.hello');
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

interface MailParts {
  /** Plain-text paragraphs before the link. */
  before: string[];
  /** Paragraphs of the HTML version before the button (plain text, escaped here). */
  beforeHtml: string[];
  link: string;
  button: string;
  /** Paragraphs after the link, the same in both versions. */
  after: string[];
}

/** Text and HTML of one email: greeting, paragraphs, the link (a button in HTML), sign-off and the brand's footer. */
function compose(texts: Translator, brand: Brand, parts: MailParts & { greeting: string }): { text: string; html: string } {
  const { t } = texts;
  const signOff = t('email.signOff', { product: brand.productName });
  const support = supportLink(brand);
  const footerText = support ? [t('email.support', { support: support.replace(/^mailto:/, '') })] : [];
  const text = [parts.greeting, '', ...parts.before, '', parts.link, '', ...parts.after, '', signOff, ...footerText].join('\n');
  const footerLinks = [
    [support, t('shell.support')],
    [brand.termsUrl, t('shell.terms')],
    [brand.privacyUrl, t('shell.privacy')],
  ]
    .filter((link): link is [string, string] => Boolean(link[0]))
    .map(([href, label]) => `<a href="${escapeHtml(href)}" style="color:${brand.accentColor}">${escapeHtml(label)}</a>`);
  const paragraph = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const html = `<!doctype html><html lang="${texts.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5">
${paragraph(parts.greeting)}
${parts.beforeHtml.map(paragraph).join('\n')}
<p><a href="${escapeHtml(parts.link)}" style="display:inline-block;padding:10px 16px;background:${brand.primaryColor};color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(parts.button)}</a></p>
${parts.after.map(paragraph).join('\n')}
${paragraph(signOff)}
${footerLinks.length ? `<p style="font-size:13px;color:#5f6368">${footerLinks.join(' · ')}</p>` : ''}
</body></html>`;
  return { text, html };
}

export function resetPasswordEmail(input: { to: string; firstName?: string; link: string; validMinutes: number } & MailLook): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const brand = input.brand ?? DEFAULT_BRAND;
  const { text, html } = compose(texts, brand, {
    greeting: greetingOf(texts, input.firstName),
    before: [t('email.reset.intro')],
    beforeHtml: [t('email.reset.introHtml')],
    link: input.link,
    button: t('email.reset.button'),
    after: [t('email.reset.expiry', { count: input.validMinutes }), t('email.reset.ignore')],
  });
  return { kind: 'password-reset', to: input.to, subject: t('email.reset.subject'), text, html, links: [input.link] };
}

/** What happened to the user's devices: a reset ends every session; a change from /account ends the others on request. */
const DEVICES_AFTER_PASSWORD_CHANGE = {
  'all-signed-out': 'email.changed.body',
  'others-signed-out': 'email.changed.bodyOthers',
  kept: 'email.changed.bodyKept',
} as const satisfies Record<string, MessageKey>;

export function passwordChangedEmail(
  input: { to: string; firstName?: string; resetLink: string; devices?: keyof typeof DEVICES_AFTER_PASSWORD_CHANGE } & MailLook,
): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const brand = input.brand ?? DEFAULT_BRAND;
  const changed = t(DEVICES_AFTER_PASSWORD_CHANGE[input.devices ?? 'all-signed-out']);
  const { html } = compose(texts, brand, {
    greeting: greetingOf(texts, input.firstName),
    before: [],
    beforeHtml: [changed, t('email.changed.notYouHtml')],
    link: input.resetLink,
    button: t('email.changed.button'),
    after: [],
  });
  const text = [
    greetingOf(texts, input.firstName),
    '',
    changed,
    t('email.changed.notYou', { link: input.resetLink }),
    '',
    t('email.signOff', { product: brand.productName }),
  ].join('\n');
  return {
    kind: 'password-changed',
    to: input.to,
    subject: t('email.changed.subject'),
    text,
    html,
    links: [input.resetLink],
  };
}

export function verifyEmailEmail(input: { to: string; firstName?: string; link: string; validHours: number } & MailLook): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const brand = input.brand ?? DEFAULT_BRAND;
  const { text, html } = compose(texts, brand, {
    greeting: greetingOf(texts, input.firstName),
    before: [t('email.verify.intro')],
    beforeHtml: [t('email.verify.introHtml')],
    link: input.link,
    button: t('email.verify.button'),
    after: [t('email.verify.expiry', { count: input.validHours }), t('email.verify.ignore')],
  });
  return { kind: 'verification', to: input.to, subject: t('email.verify.subject'), text, html, links: [input.link] };
}

/** What accepting an invitation of each kind grants, in the words the email uses (catalogue keys). */
export const INVITATION_ROLES: Record<InvitationKind, { subject: MessageKey; line: MessageKey; grants: MessageKey }> = {
  team: { subject: 'email.invite.subjectTeam', line: 'email.invite.lineTeam', grants: 'email.invite.grantsTeam' },
  admin: { subject: 'email.invite.subjectAdmin', line: 'email.invite.lineAdmin', grants: 'email.invite.grantsAdmin' },
  'user-admin': { subject: 'email.invite.subjectUserAdmin', line: 'email.invite.lineUserAdmin', grants: 'email.invite.grantsUserAdmin' },
};

/**
 * An invitation, attributed to its sender's verified address. The only text
 * the sender chose (the team's name) is cut to a short plain phrase, and the
 * one link is the platform's own. The expiry is a date in the email's language.
 */
export function invitationEmail(
  input: {
    to: string;
    /** The sender's verified address. */
    inviter: string;
    kind: InvitationKind;
    teamName?: string;
    link: string;
    expiresAt: string;
  } & MailLook,
): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const brand = input.brand ?? DEFAULT_BRAND;
  const role = INVITATION_ROLES[input.kind];
  const team = shownText(input.teamName);
  const line = input.kind === 'team' && team ? t('email.invite.lineTeamNamed', { inviter: input.inviter, team }) : t(role.line, { inviter: input.inviter });
  const { text, html } = compose(texts, brand, {
    greeting: t('email.hello'),
    before: [line, t(role.grants), '', t('email.invite.signIn')],
    beforeHtml: [line, t(role.grants), t('email.invite.signInHtml')],
    link: input.link,
    button: t('email.invite.button'),
    after: [t('email.invite.expiry', { expires: texts.dateTime(input.expiresAt) })],
  });
  return { kind: 'invitation', sender: input.inviter, to: input.to, subject: t(role.subject, { inviter: input.inviter }), text, html, links: [input.link] };
}

/** To the NEW address of an email change: the link that makes the change happen (kind `verification`: it proves the address). */
export function emailChangeLinkEmail(input: { to: string; firstName?: string; link: string; validHours: number } & MailLook): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const { text, html } = compose(texts, input.brand ?? DEFAULT_BRAND, {
    greeting: greetingOf(texts, input.firstName),
    before: [t('email.emailChange.intro')],
    beforeHtml: [t('email.emailChange.intro')],
    link: input.link,
    button: t('email.emailChange.button'),
    after: [t('email.emailChange.expiry', { count: input.validHours })],
  });
  return { kind: 'verification', to: input.to, subject: t('email.emailChange.subject'), text, html, links: [input.link] };
}

/** To the OLD address of an email change: what is about to happen, and how to stop someone else (the button resets the password). */
export function emailChangeNoticeEmail(
  input: { to: string; firstName?: string; newEmail: string; accountLink: string; resetLink: string } & MailLook,
): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const lines = [t('email.emailChangeNotice.asked', { email: input.newEmail }), t('email.emailChangeNotice.when'), t('email.emailChangeNotice.notYou')];
  const { text, html } = compose(texts, input.brand ?? DEFAULT_BRAND, {
    greeting: greetingOf(texts, input.firstName),
    before: lines,
    beforeHtml: lines,
    link: input.resetLink,
    button: t('email.emailChangeNotice.button'),
    after: [t('email.emailChangeNotice.account', { link: input.accountLink })],
  });
  return {
    kind: 'security-notice',
    to: input.to,
    subject: t('email.emailChangeNotice.subject'),
    text,
    html,
    links: [input.resetLink, input.accountLink],
  };
}

/** To an address that already has an account, when another account asked to move to it: nothing changes, and nobody else learns it. */
export function emailChangeTakenEmail(input: { to: string; signInLink: string; resetLink: string } & MailLook): OutgoingEmail {
  const texts = textsFor(input);
  const { t } = texts;
  const lines = [t('email.emailChangeTaken.nothing'), t('email.emailChangeTaken.ifYou'), t('email.emailChangeTaken.ifNot')];
  const { text, html } = compose(texts, input.brand ?? DEFAULT_BRAND, {
    greeting: t('email.hello'),
    before: lines,
    beforeHtml: lines,
    link: input.signInLink,
    button: t('email.emailChangeTaken.button'),
    after: [t('email.emailChangeTaken.reset', { link: input.resetLink })],
  });
  return {
    kind: 'security-notice',
    to: input.to,
    subject: t('email.emailChangeTaken.subject'),
    text,
    html,
    links: [input.signInLink, input.resetLink],
  };
}
