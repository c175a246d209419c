import type { VerificationMailer } from '../../core/admin/ports';
import { NotFoundError } from '../../core/errors';
import type { Mailer, UserProfile } from '../../core/ports';
import { randomToken, sha256 } from '../../core/random';

const TOKEN_TTL_SECONDS = 24 * 60 * 60;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/**
 * The console's "send a new verification link" through the existing mailer:
 * a single-use token (`<userId>.<secret>`, stored only as its SHA-256 under
 * the user, expiring after a day) in a link to `/verify-email`. The email
 * verification work owns the page that consumes it; this is the narrow seam
 * the console calls.
 */
export class MailerVerificationSender implements VerificationMailer {
  constructor(
    private readonly deps: {
      profiles: { getProfile(userId: string): Promise<UserProfile | undefined> };
      tokens: { saveVerificationToken(userId: string, tokenHash: string, createdAt: number, expiresAt: number): Promise<void> };
      mailer: Mailer;
      publicBaseUrl: string;
      nowSeconds?: () => number;
    },
  ) {}

  async send(userId: string): Promise<void> {
    const profile = await this.deps.profiles.getProfile(userId);
    if (!profile) throw new NotFoundError('There is no user with this id.');
    const now = (this.deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000)))();
    const token = `${userId}.${randomToken(32)}`;
    await this.deps.tokens.saveVerificationToken(userId, sha256(token), now, now + TOKEN_TTL_SECONDS);
    const link = `${this.deps.publicBaseUrl.replace(/\/+$/, '')}/verify-email?token=${encodeURIComponent(token)}`;
    const greeting = profile.firstName ? `Hello ${profile.firstName},` : 'Hello,';
    await this.deps.mailer.send({
      to: profile.email,
      subject: 'Confirm your email address',
      text: [greeting, '', 'Please confirm that this is your email address by opening this link:', '', link, '', 'The link works once and expires in 24 hours.'].join('\n'),
      html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5"><p>${escapeHtml(greeting)}</p><p>Please confirm that this is your email address:</p><p><a href="${escapeHtml(link)}">Confirm my email address</a></p><p>The link works once and expires in 24 hours.</p></body></html>`,
      links: [link],
    });
  }
}
