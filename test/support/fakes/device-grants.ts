import type { DeviceGrant, DeviceGrantStore, RedeemOutcome } from '../../../lambdas/core/oauth/ports';
import type { SessionFamily } from '../../../lambdas/core/ports';

/**
 * DeviceGrantStore in memory, with the transitions the DynamoDB adapter
 * allows: pending -> approved | denied while the code lives, approved ->
 * redeemed once (the session family is kept in `sessions`).
 */
export class InMemoryDeviceGrants implements DeviceGrantStore {
  readonly grants = new Map<string, DeviceGrant>();
  readonly sessions: SessionFamily[] = [];

  async create(grant: DeviceGrant, now: number): Promise<boolean> {
    const existing = this.grants.get(grant.userCode);
    if (existing && now < existing.codeExpiresAt) return false;
    this.grants.set(grant.userCode, { ...grant });
    return true;
  }

  async get(userCode: string): Promise<DeviceGrant | undefined> {
    const grant = this.grants.get(userCode);
    return grant ? { ...grant } : undefined;
  }

  async recordPoll(userCode: string, deviceCodeHash: string, polledAt: number, interval: number): Promise<boolean> {
    const grant = this.grants.get(userCode);
    if (grant?.status !== 'pending' || grant.deviceCodeHash !== deviceCodeHash) return false;
    Object.assign(grant, { lastPolledAt: polledAt, interval });
    return true;
  }

  async decide(userCode: string, decision: { status: 'approved'; userId: string } | { status: 'denied' }, now: number): Promise<boolean> {
    const grant = this.grants.get(userCode);
    if (grant?.status !== 'pending' || now >= grant.codeExpiresAt) return false;
    Object.assign(grant, decision, { decidedAt: now });
    return true;
  }

  async redeem(userCode: string, deviceCodeHash: string, session: SessionFamily): Promise<RedeemOutcome> {
    const grant = this.grants.get(userCode);
    if (grant?.status !== 'approved' || grant.deviceCodeHash !== deviceCodeHash) return 'not-approved';
    grant.status = 'redeemed';
    this.sessions.push(session);
    return 'redeemed';
  }
}
