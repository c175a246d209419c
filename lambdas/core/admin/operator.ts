import { isEmailVerified } from '../email-verification';
import { ForbiddenError } from '../errors';
import type { UserProfile } from '../ports';

/** The console requires a verified email (an unverified address must never grant rights): the one `isEmailVerified`. */
export function requireVerifiedOperator(profile: Pick<UserProfile, 'emailVerifiedAt'>): void {
  if (!isEmailVerified(profile)) throw new ForbiddenError('The operator console requires a verified email address. Verify your email, then try again.');
}
