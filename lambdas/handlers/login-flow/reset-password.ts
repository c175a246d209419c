import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { resetPasswordBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

/** Waits until `floorMs` after `startedAt`: known and unknown emails answer after the same time. */
async function padTo(startedAt: number, floorMs: number): Promise<void> {
  const remaining = startedAt + floorMs - Date.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

/** POST /login-flow/reset-password: always 200 for a well-formed email; emails a link when the account exists. */
export const handler = httpHandler(
  async (request) => {
    const startedAt = Date.now();
    const { email } = validate(resetPasswordBody, request.body);
    try {
      await loginFlow().requestPasswordReset(email);
    } finally {
      await padTo(startedAt, settings().RESET_RESPONSE_FLOOR_MS);
    }
    return ok({ status: 200, message: 'If an account exists for this email, we have sent a link to reset its password.' });
  },
  { errorStyle: 'login-flow' },
);
