import type { AccountProof } from './account-proof';
import { requireProfile } from './account-self-service';
import type { Brand } from './branding';
import { type Clock, epochSeconds } from './clock';
import { emailChangeLinkEmail, emailChangeNoticeEmail, emailChangeTakenEmail } from './emails';
import { FormRejectedError } from './errors';
import { MailLimitError } from './mail-limits';
import type { CredentialStore, Mailer } from './ports';
import { randomToken, sha256 } from './random';
import type { CheckedSession } from './session-check';

/** A pending change: only the token's SHA-256, the address it leaves and the one it moves to. */
export interface EmailChangeRecord {
  userId: string;
  tokenHash: string;
  oldEmail: string;
  newEmail: string;
  createdAt: number;
  /** Epoch seconds; also the item's TTL. */
  expiresAt: number;
  usedAt?: number;
}

export type EmailChangeOutcome = 'changed' | 'token-used' | 'token-expired' | 'token-unknown' | 'email-taken' | 'account-changed';

export interface EmailChangeStore {
  saveEmailChange(record: EmailChangeRecord): Promise<void>;
  getEmailChange(userId: string, tokenHash: string): Promise<EmailChangeRecord | undefined>;
  /**
   * In ONE transaction: spends the token (unused, unexpired), moves the
   * address's claim (deletes the old credential item, puts the new one only
   * if nobody holds the address and no ban stands on it), and sets the
   * profile's email and `emailVerifiedAt` (only if it still has the old one).
   */
  completeEmailChange(userId: string, tokenHash: string, now: number): Promise<EmailChangeOutcome>;
}

export interface EmailChangeSettings {
  /** Without a trailing slash. */
  publicBaseUrl: string;
  tokenTtlSeconds: number;
  /** The platform's brand (BRAND_JSON) for the emails. */
  brand?: Brand;
}

export interface EmailChangeDeps {
  store: EmailChangeStore;
  credentials: Pick<CredentialStore, 'getCredential'>;
  proof: Pick<AccountProof, 'prove'>;
  mailer: Mailer;
  clock: Clock;
  settings: EmailChangeSettings;
}

export type EmailChangeLinkState = 'valid' | 'used' | 'expired' | 'invalid';

const SEGMENT = /^[A-Za-z0-9_-]{16,64}$/;

/** Tokens are `<userId>.<secret>`: the user id locates the record, the secret is never stored. */
function parseToken(token: string): { userId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts.every((part) => SEGMENT.test(part))) return undefined;
  return { userId: parts[0] };
}

/** The page's and the API's words for a link that changes nothing; one neutral text for "taken", so nobody learns who has an address. */
export function emailChangeLinkMessage(state: Exclude<EmailChangeLinkState, 'valid'> | 'not-possible'): string {
  switch (state) {
    case 'used':
      return 'This link was already used. Your account page shows the email address your account has now.';
    case 'expired':
      return 'This link has expired. Ask for the change again on your account page.';
    case 'invalid':
      return 'This link is not valid: it may be incomplete, or cut short by your mail program. Ask for the change again on your account page.';
    case 'not-possible':
      return 'The email address could not be changed to this address. Your account keeps its current address. Sign in to your account page to try another one.';
  }
}

/** A link that changes nothing; `code` is `email_change_<state>`. */
export class EmailChangeLinkError extends FormRejectedError {
  constructor(state: Exclude<EmailChangeLinkState, 'valid'> | 'not-possible') {
    super(`email_change_${state.replace('-', '_')}`, emailChangeLinkMessage(state));
  }
}

export const EMAIL_CHANGE_REQUESTED = (email: string) =>
  `We sent a link to ${email}. Your email address changes when you open it; until then your account keeps its current address.`;

/**
 * Changing the email of an account (docs/login-flow.md, "Your own account").
 * The request proves "it is you" (current password or a recent factor) and
 * mails a single-use link to the NEW address; the old address is told. The
 * change happens only when that link is confirmed, so the account's email
 * is always an address its owner proved they read: a partner that trusts
 * the email (Astrato, Acronis, portal admin rights) never sees an unproven one.
 */
export class EmailChange {
  constructor(private readonly deps: EmailChangeDeps) {}

  get validHours(): number {
    return Math.max(1, Math.round(this.deps.settings.tokenTtlSeconds / 3600));
  }

  /**
   * The same answer whether or not another account has `newEmail`: that one is
   * told by email instead of a link (and nobody learns who has an address).
   */
  async request(session: CheckedSession, input: { newEmail: string; currentPassword?: string }, clientIp: string): Promise<void> {
    const { store, credentials, mailer, clock, settings } = this.deps;
    const profile = requireProfile(session);
    if (input.newEmail === profile.email) {
      throw new FormRejectedError('same_email', 'This is already the email address of your account.', { newEmail: 'This is your current address.' });
    }
    await this.deps.proof.prove(session, profile, input.currentPassword, clientIp);
    const base = settings.publicBaseUrl;
    // The emails speak the account's language, in the platform's brand (the taken notice too: the same person most likely asked).
    const look = { locale: profile.locale, brand: settings.brand };
    try {
      if (await credentials.getCredential(input.newEmail)) {
        await mailer.send(emailChangeTakenEmail({ to: input.newEmail, signInLink: `${base}/account`, resetLink: `${base}/reset-password`, ...look }));
        return;
      }
      const now = epochSeconds(clock);
      const token = `${profile.id}.${randomToken(32)}`;
      await store.saveEmailChange({
        userId: profile.id,
        tokenHash: sha256(token),
        oldEmail: profile.email,
        newEmail: input.newEmail,
        createdAt: now,
        expiresAt: now + settings.tokenTtlSeconds,
      });
      const link = `${base}/account/email-change?token=${encodeURIComponent(token)}`;
      await mailer.send(emailChangeLinkEmail({ to: input.newEmail, firstName: profile.firstName, link, validHours: this.validHours, ...look }));
      await mailer.send(
        emailChangeNoticeEmail({
          to: profile.email,
          firstName: profile.firstName,
          newEmail: input.newEmail,
          accountLink: `${base}/account`,
          resetLink: `${base}/reset-password`,
          ...look,
        }),
      );
    } catch (error) {
      // A mail limit on either address: the same answer (a limit per address says nothing about who has it).
      if (!(error instanceof MailLimitError)) throw error;
    }
  }

  /** The state of a link, without spending it (the page shows the button only for a valid one). */
  async inspect(token: string): Promise<EmailChangeLinkState> {
    const located = parseToken(token);
    if (!located) return 'invalid';
    return stateOf(await this.deps.store.getEmailChange(located.userId, sha256(token)), epochSeconds(this.deps.clock));
  }

  /** Makes the change; of a burst of confirms with one link, one changes and the others answer "already used". */
  async confirm(token: string): Promise<{ email: string }> {
    const located = parseToken(token);
    if (!located) throw new EmailChangeLinkError('invalid');
    const tokenHash = sha256(token);
    const record = await this.deps.store.getEmailChange(located.userId, tokenHash);
    const state = stateOf(record, epochSeconds(this.deps.clock));
    if (!record || state !== 'valid') throw new EmailChangeLinkError(state === 'valid' ? 'invalid' : state);
    const outcome = await this.deps.store.completeEmailChange(located.userId, tokenHash, epochSeconds(this.deps.clock));
    switch (outcome) {
      case 'changed':
        return { email: record.newEmail };
      case 'token-used':
        throw new EmailChangeLinkError('used');
      case 'token-expired':
        throw new EmailChangeLinkError('expired');
      case 'token-unknown':
        throw new EmailChangeLinkError('invalid');
      default:
        // Taken by someone else meanwhile, banned, or the account's address changed since: one neutral answer.
        throw new EmailChangeLinkError('not-possible');
    }
  }
}

function stateOf(record: EmailChangeRecord | undefined, now: number): EmailChangeLinkState {
  if (!record) return 'invalid';
  if (record.usedAt !== undefined) return 'used';
  if (now >= record.expiresAt) return 'expired';
  return 'valid';
}
