import { ForbiddenError } from '../errors';

/**
 * The console requires a verified email (an unverified address must never
 * grant rights). Issue 9 adds the real verification; until then this reads
 * `emailVerifiedAt` defensively, and the merge points it at issue 9's check.
 */
export function requireVerifiedOperator(profile: { emailVerifiedAt?: unknown }): void {
  const verifiedAt = profile.emailVerifiedAt;
  const verified = (typeof verifiedAt === 'string' && !Number.isNaN(Date.parse(verifiedAt))) || (typeof verifiedAt === 'number' && verifiedAt > 0);
  if (!verified) throw new ForbiddenError('The operator console requires a verified email address. Verify your email, then try again.');
}
