import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { stepUpBody } from '../../http/schemas/factors';
import { validate } from '../../http/validation';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/**
 * POST /login-flow/factors/step-up: a code or a passkey proves the factor again in this
 * session; sensitive actions within STEP_UP_WINDOW_SECONDS then pass, and the
 * session (and its refreshed tokens) counts as two-factor (`mfa`).
 */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const { otp, passkey } = validate(stepUpBody, request.body);
  const { factorUsedAt, amr } = await secondFactors().stepUp(
    session.sub,
    { familyId: session.sid, amr: session.session.amr },
    { otp, passkey: passkey as PasskeyAnswer | undefined },
    request.clientIp,
    request.correlationId,
  );
  return ok({ factorUsedAt: new Date(factorUsedAt * 1000).toISOString(), amr });
});
