import { USER_ADMIN } from '../admin/ports';
import { normalizeEmail } from '../email';
import { MfaRequiredError, StepUpRequiredError } from '../errors';
import { PORTAL_ADMIN } from '../portal/ports';

/**
 * Who must hold a second factor: portal admins and user admins, by stored
 * permission or by a configured address (counted even before the address is
 * verified: keeping a factor is the safe side).
 */
export function isPrivileged(
  permissions: readonly string[],
  email: string,
  named: { portalAdminEmails: readonly string[]; userAdminEmails: readonly string[] },
): boolean {
  const address = normalizeEmail(email);
  return (
    permissions.includes(PORTAL_ADMIN) ||
    permissions.includes(USER_ADMIN) ||
    named.portalAdminEmails.includes(address) ||
    named.userAdminEmails.includes(address)
  );
}

/**
 * Step-up (STEP_UP_WINDOW_SECONDS): a sensitive action needs a second factor
 * proven in this session within the window (at sign-in, enrolment or
 * POST /login-flow/factors/step-up). 403 `step_up_required`.
 */
export function requireRecentFactor(session: { factorUsedAt?: number }, nowSeconds: number, windowSeconds: number): void {
  if (session.factorUsedAt === undefined || session.factorUsedAt < nowSeconds - windowSeconds) throw new StepUpRequiredError(windowSeconds);
}

/**
 * The one policy of admin and console routes: the session itself (not the
 * token's copy) must have been proven with two factors. 403 `mfa_required`.
 */
export function requireMfaSession(session: { amr: readonly string[] }): void {
  if (!session.amr.includes('mfa'))
    throw new MfaRequiredError(
      'Administrators must sign in with a second factor: add an authenticator app to your account, then sign in with its code (or step up this session with one).',
      {},
    );
}
