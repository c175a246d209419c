import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { post } from './http';

export const VERIFY_SUBJECT = 'Confirm your email address';

/** Verification emails sent to `email` so far, oldest first (read from a stack's outbox folder). */
export function verificationMails(outboxDir: string, email: string): { to: string; subject: string; links: string[]; text: string }[] {
  if (!existsSync(outboxDir)) return [];
  return readdirSync(outboxDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(outboxDir, name), 'utf8')))
    .filter((mail) => mail.to === email && mail.subject === VERIFY_SUBJECT);
}

/** The token of the newest verification link sent to `email`. */
export function latestVerifyToken(outboxDir: string, email: string): string {
  const mails = verificationMails(outboxDir, email);
  if (!mails.length) throw new Error(`no verification email to ${email}`);
  return new URL(mails[mails.length - 1].links[0]).searchParams.get('token') as string;
}

/** Confirms `email` as its owner would: the newest emailed link, then the page's POST. */
export async function verifyEmail(stack: { url: string; outboxDir: string }, email: string): Promise<void> {
  const response = await post(stack.url, '/verify-email/confirm', { token: latestVerifyToken(stack.outboxDir, email) });
  if (response.status !== 200) throw new Error(`verification failed: ${response.status} ${response.text}`);
}
