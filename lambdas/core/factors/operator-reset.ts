import type { AuditTrail } from '../admin/audit';
import type { ActionContext } from '../admin/user-admin';
import { ForbiddenError, NotFoundError } from '../errors';
import type { UserProfile } from '../ports';
import type { SecondFactors } from './second-factors';

export interface FactorResetDeps {
  factors: Pick<SecondFactors, 'resetAll'>;
  profiles: { getProfile(userId: string): Promise<UserProfile | undefined> };
  /** A portal admin or user admin (see isPrivileged). */
  privileged(userId: string): Promise<boolean>;
  /** Holds portal-admin (stored, or a verified configured address). */
  portalAdmin(userId: string): Promise<boolean>;
  audit: Pick<AuditTrail, 'record'>;
}

/**
 * The console's "reset second factors" (a user lost phone and recovery codes):
 * every factor and recovery code goes, the user is emailed, the act is
 * audited. An admin's factors only a portal admin may reset, and nobody their own.
 */
export class FactorReset {
  constructor(private readonly deps: FactorResetDeps) {}

  async reset(context: ActionContext, userId: string): Promise<{ user_id: string; factors_removed: number }> {
    if (context.operator.userId === userId) throw new ForbiddenError('Manage your own factors in your account, not through the console.');
    const profile = await this.deps.profiles.getProfile(userId);
    if (!profile) throw new NotFoundError('There is no user with this id.');
    if ((await this.deps.privileged(userId)) && !(await this.deps.portalAdmin(context.operator.userId)))
      throw new ForbiddenError("Only a portal admin may reset an administrator's second factors.");
    const removed = await this.deps.factors.resetAll(userId);
    await this.deps.audit.record({
      actorId: context.operator.userId,
      actorEmail: context.operator.email,
      action: 'reset-factors',
      targetUserId: userId,
      targetEmail: profile.email,
      correlationId: context.correlationId,
      changes: { factors: { before: removed, after: 0 } },
    });
    return { user_id: userId, factors_removed: removed };
  }
}
