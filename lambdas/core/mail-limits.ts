import { type Clock, epochSeconds } from './clock';
import { normalizeEmail } from './email';
import { TooManyAttemptsError } from './errors';
import type { Mailer, MailKind, OutgoingEmail, ThrottleStore } from './ports';
import { sha256 } from './random';

export interface MailLimitSettings {
  windowSeconds: number;
  /** Emails of one kind to one address per window. */
  perRecipient: number;
  /** Emails of one kind one user sends to others per window (invitations). */
  perSender: number;
  /** The only place an email's links may point (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
}

/**
 * Counters are keyed by a hash of the normalised address, never by account
 * id: deleting the account and registering the address again meets the same
 * counter (and the table holds no address in the clear for it).
 */
export const mailAddressKey = (email: string): string => sha256(`mail-limit:${normalizeEmail(email)}`);

export const mailThrottleKeys = {
  recipient: (kind: MailKind, email: string, windowIndex: number) => `mail#to#${kind}#${mailAddressKey(email)}#${windowIndex}`,
  sender: (kind: MailKind, email: string, windowIndex: number) => `mail#from#${kind}#${mailAddressKey(email)}#${windowIndex}`,
};

/** Refused by a mail limit: nothing was sent. */
export class MailLimitError extends TooManyAttemptsError {
  constructor(
    retryAfterSeconds: number,
    readonly limited: 'recipient' | 'sender',
  ) {
    super(retryAfterSeconds, {
      email: limited === 'recipient' ? 'Too many emails of this kind went to this address lately.' : 'You have sent too many emails of this kind lately.',
    });
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;

/** Every URL an email carries (its links, and any in its text or HTML) is under the platform's own base URL. */
export function linksStayHome(email: Pick<OutgoingEmail, 'links' | 'text' | 'html'>, publicBaseUrl: string): boolean {
  const home = `${publicBaseUrl.replace(/\/+$/, '')}/`;
  const urls = [...email.links, ...(email.text.match(URL_IN_TEXT) ?? []), ...(email.html.match(URL_IN_TEXT) ?? [])];
  return urls.every((url) => url.startsWith(home));
}

/**
 * The one gate every outgoing email passes (the composition root wraps the
 * real mailer in it): the links must be the platform's own, and one unit of
 * the recipient's limit for the kind (and of the sender's, when someone
 * sends to another address) is taken with one conditional write each before
 * the email goes out. A burst of parallel sends gets at most the limit
 * through; a refused send throws MailLimitError having sent nothing. A send
 * that fails after the take keeps its unit (fail closed).
 */
export class LimitedMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly throttles: ThrottleStore,
    private readonly clock: Clock,
    private readonly settings: () => MailLimitSettings,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    const { windowSeconds, perRecipient, perSender, publicBaseUrl } = this.settings();
    if (!linksStayHome(email, publicBaseUrl)) throw new Error(`refusing to send a ${email.kind} email with a link outside PUBLIC_BASE_URL`);
    const now = epochSeconds(this.clock);
    const windowIndex = Math.floor(now / windowSeconds);
    const expiresAt = (windowIndex + 1) * windowSeconds;
    const recipientKey = mailThrottleKeys.recipient(email.kind, email.to, windowIndex);
    const recipient = await this.throttles.take(recipientKey, { limit: perRecipient, now, expiresAt });
    if (!recipient.taken) throw new MailLimitError(Math.max(1, expiresAt - now), 'recipient');
    if (email.sender && normalizeEmail(email.sender) !== normalizeEmail(email.to)) {
      const sender = await this.throttles.take(mailThrottleKeys.sender(email.kind, email.sender, windowIndex), { limit: perSender, now, expiresAt });
      if (!sender.taken) {
        await this.throttles.giveBack(recipientKey);
        throw new MailLimitError(Math.max(1, expiresAt - now), 'sender');
      }
    }
    await this.inner.send(email);
  }
}
