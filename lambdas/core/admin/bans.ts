import { addressHash } from '../email';
import { NotFoundError } from '../errors';
import type { AuditTrail } from './audit';
import type { BanStore } from './ports';
import type { ActionContext } from './user-admin';

export interface BanDependencies {
  bans: BanStore;
  audit: AuditTrail;
}

/**
 * Lifting the ban a deleted disabled account left on its address: the one way
 * that address can register again. Only an operator lifts it, and the lift
 * and its audit entry are one write.
 */
export class Bans {
  constructor(private readonly deps: BanDependencies) {}

  /** POST /admin/bans/clear: 404 when the address holds no ban (never banned, or lifted already). */
  async clear(context: ActionContext, email: string): Promise<{ email: string; cleared: true }> {
    const hash = addressHash(email);
    const ban = await this.deps.bans.find(hash);
    if (!ban) throw new NotFoundError('This email address holds no ban.');
    const cleared = await this.deps.audit.recordWith(
      {
        actorId: context.operator.userId,
        actorEmail: context.operator.email,
        action: 'clear-ban',
        targetUserId: ban.userId,
        targetEmail: email,
        correlationId: context.correlationId,
        changes: { bannedAt: { before: ban.bannedAt, after: null } },
      },
      (entry, expiresAt) => this.deps.bans.clear(hash, ban, entry, expiresAt),
    );
    if (!cleared) throw new NotFoundError('This email address holds no ban.');
    return { email, cleared: true };
  }
}
