import { recordAddressGrant } from '../admin/role-grants';
import { normalizeEmail } from '../email';
import { isEmailVerified } from '../email-verification';
import { ConflictError, ForbiddenError, StepUpRequiredError, UnauthenticatedError } from '../errors';
import { requireMfaSession } from '../factors/policy';
import type { UserProfile } from '../ports';
import { newId } from '../random';
import { nowOf, type PortalDependencies } from './dependencies';
import { PORTAL_ADMIN, type Team } from './ports';

/** A signed-in portal user, resolved once per request. */
export interface Caller {
  userId: string;
  email: string;
  team: Team;
  permissions: string[];
  isAdmin: boolean;
  /** From the profile as stored now (not the token's claim). */
  emailVerified: boolean;
  /** How the request's session was proven (its own record, RFC 8176 values); absent: not known, so not two-factor. */
  amr?: readonly string[];
  /** A second factor was used in the session within STEP_UP_WINDOW_SECONDS (decided where the request arrives). */
  recentFactor?: boolean;
  /** FACTOR_POLICY_ENFORCED: admin rights need a two-factor session, production credentials a recent factor. */
  factorPolicy?: boolean;
}

/** Portal admin rights, used only from a session signed in with a second factor (docs/security.md). */
export function requireAdmin(caller: Caller): void {
  if (!caller.isAdmin) throw new ForbiddenError('Only portal admins may do this.');
  if (caller.factorPolicy) requireMfaSession({ amr: caller.amr ?? [] });
}

/** Production credentials (create, rotate) need a recently proven second factor: 403 `step_up_required` (docs/security.md). */
export function requireStepUp(caller: Caller, windowSeconds?: number): void {
  if (caller.factorPolicy && !caller.recentFactor) throw new StepUpRequiredError(windowSeconds ?? 600);
}

/**
 * Admin rights that come from the address (PORTAL_ADMIN_EMAILS, or the
 * production tenant's app_metadata) rather than a stored permission. An email
 * grants rights only once its owner has proven it: anyone can register any address.
 */
export async function adminByAddress(deps: Pick<PortalDependencies, 'settings' | 'adminDirectory'>, profile: UserProfile): Promise<boolean> {
  return (await adminSourceOf(deps, profile)) !== undefined;
}

/** Which address rule makes the profile a portal admin, if any. */
async function adminSourceOf(
  deps: Pick<PortalDependencies, 'settings' | 'adminDirectory'>,
  profile: UserProfile,
): Promise<'PORTAL_ADMIN_EMAILS' | 'auth0-app-metadata' | undefined> {
  if (!isEmailVerified(profile)) return undefined;
  const email = normalizeEmail(profile.email);
  if (deps.settings.adminEmails.includes(email)) return 'PORTAL_ADMIN_EMAILS';
  return (await deps.adminDirectory?.isAdmin(email)) ? 'auth0-app-metadata' : undefined;
}

/** Who is calling: every signed-in user has exactly one team, a personal one made on first use. */
export class Callers {
  constructor(private readonly deps: Pick<PortalDependencies, 'memberships' | 'teams' | 'profiles' | 'clock' | 'settings' | 'adminDirectory' | 'audit'>) {}

  /** The caller's portal identity; creates their personal team on first use. `checked`: the profile the session check already read. */
  async resolve(userId: string, checked?: UserProfile): Promise<Caller> {
    const profile = checked ?? (await this.deps.profiles.getProfile(userId));
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    const email = normalizeEmail(profile.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // Concurrent first requests (the page loads team and credentials at once) can cancel each other's
      // transactions; a short random pause lets one of them win before the next read.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt));
      const membership = await this.deps.memberships.getMembership(userId);
      const team = membership?.teamId ? await this.deps.teams.getTeam(membership.teamId) : undefined;
      if (team) {
        const permissions = membership?.permissions ?? [];
        const isAdmin = permissions.includes(PORTAL_ADMIN) || (await this.adminByAddress(profile, membership?.recordedGrants));
        return { userId, email, team, permissions, isAdmin, emailVerified: isEmailVerified(profile) };
      }
      const now = nowOf(this.deps);
      const created: Team = {
        teamId: newId(),
        name: `${[profile.firstName, profile.lastName].filter(Boolean).join(' ') || email}'s team`,
        personal: true,
        createdBy: userId,
        createdAt: now,
        memberCount: 1,
        credentialCount: 0,
      };
      // A concurrent first request may win: then read again and use its team.
      await this.deps.teams.createPersonalTeam(created, { teamId: created.teamId, userId, email, joinedAt: now });
    }
    throw new ConflictError('Your team changed while we were reading it; please try again.');
  }

  /** Admin by address; its first use is audited before the caller may act as admin (a failed write fails the request). */
  private async adminByAddress(profile: UserProfile, recordedGrants: string[] | undefined): Promise<boolean> {
    const source = await adminSourceOf(this.deps, profile);
    if (!source) return false;
    await recordAddressGrant({ store: this.deps.memberships, audit: this.deps.audit }, recordedGrants, {
      role: PORTAL_ADMIN,
      source,
      targetUserId: profile.id,
      targetEmail: normalizeEmail(profile.email),
    });
    return true;
  }
}
