import { normalizeEmail } from '../email';
import { isEmailVerified } from '../email-verification';
import { ForbiddenError } from '../errors';
import { PORTAL_ADMIN } from '../portal/ports';
import type { UserProfile } from '../ports';
import { USER_ADMIN } from './ports';

/** The console's roles, weakest first: portal admin > user admin > user. */
export const CONSOLE_ROLES = ['user', 'user-admin', 'portal-admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** Who holds a role by configuration (normalised emails); an address counts only once its owner verified it. */
export interface RoleSettings {
  portalAdminEmails: string[];
  userAdminEmails: string[];
}

/** The strongest role of an account: from its portal permissions, or from its (verified) address in the settings. */
export function roleOf(profile: Pick<UserProfile, 'email' | 'emailVerifiedAt'>, permissions: readonly string[], settings: RoleSettings): ConsoleRole {
  const email = normalizeEmail(profile.email);
  const verified = isEmailVerified(profile);
  if (permissions.includes(PORTAL_ADMIN) || (verified && settings.portalAdminEmails.includes(email))) return 'portal-admin';
  if (permissions.includes(USER_ADMIN) || (verified && settings.userAdminEmails.includes(email))) return 'user-admin';
  return 'user';
}

const rank = (role: ConsoleRole) => CONSOLE_ROLES.indexOf(role);

/**
 * The one rule of who may act on whom through the console, called by every
 * use case that names a target: nobody acts on their own record (a support
 * role must not raise or reshape itself), and an operator acts only on
 * weaker roles (a user admin on users; a portal admin on user admins and users).
 */
export function requireMayActOn(operator: { userId: string; role: ConsoleRole }, target: { userId: string; role: ConsoleRole }): void {
  if (operator.userId === target.userId)
    throw new ForbiddenError('You cannot act on your own account through the operator console. Ask another admin to do it.');
  if (rank(target.role) >= rank(operator.role))
    throw new ForbiddenError(
      target.role === 'portal-admin'
        ? 'A portal admin cannot be changed through the operator console.'
        : 'Only a portal admin may act on a user admin. Ask a portal admin to do it.',
    );
}

/** Actions that change who a user is at a partner: portal admins only. */
export function requirePortalAdmin(operator: { role: ConsoleRole }): void {
  if (operator.role !== 'portal-admin') throw new ForbiddenError('Only a portal admin may change partner identities.');
}
