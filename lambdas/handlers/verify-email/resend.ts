import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { resetPasswordBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { emailVerification } from '../../runtime';

/** Waits until `floorMs` after `startedAt`: known, unknown and verified addresses answer after the same time. */
async function padTo(startedAt: number, floorMs: number): Promise<void> {
  const remaining = startedAt + floorMs - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

/**
 * POST /verify-email/resend `{email}`: always 200 for a well-formed address
 * (no account enumeration); sends a new link only to an unverified account,
 * at most VERIFICATION_EMAILS_PER_HOUR times per address.
 */
export const handler = httpHandler(async (request) => {
  const startedAt = Date.now();
  const { email } = validate(resetPasswordBody, request.body);
  try {
    await emailVerification().resend(email);
  } finally {
    await padTo(startedAt, settings().RESET_RESPONSE_FLOOR_MS);
  }
  return ok({ status: 200, message: 'If this address belongs to an account that is not confirmed yet, we have sent it a new link.' });
});
