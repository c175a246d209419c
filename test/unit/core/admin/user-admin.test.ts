import { AuditTrail } from '../../../../lambdas/core/admin/audit';
import type { AdminUserStore, AuditStore, UserRecord } from '../../../../lambdas/core/admin/ports';
import { type ActionContext, UserAdmin } from '../../../../lambdas/core/admin/user-admin';
import { ForbiddenError } from '../../../../lambdas/core/errors';
import type { Membership } from '../../../../lambdas/core/portal/ports';
import type { SessionFamily, UserProfile } from '../../../../lambdas/core/ports';
import { FakeClock } from '../../../support/fakes/clock';
import { partialPort } from '../../../support/fakes/ports';
import { InMemoryThrottleStore } from '../../../support/fakes/throttle-store';

/** UserAdmin's own decisions with its stores in memory; the HTTP contract is covered by test/integration/admin. */
describe('UserAdmin', () => {
  const profile = (id: string, email: string, verified = true): UserProfile => ({
    id,
    email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    approveMarketing: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(verified ? { emailVerifiedAt: '2026-01-02T00:00:00.000Z' } : {}),
  });
  const family = (userId: string, familyId: string) => ({ userId, familyId }) as SessionFamily;

  const setup = (options: { memberships?: Record<string, Membership>; records?: Record<string, UserRecord>; adminEmails?: string[] } = {}) => {
    const clock = new FakeClock();
    const events: string[] = [];
    const auditStore = partialPort<AuditStore>('AuditStore', {
      append: async (record) => {
        events.push(`audit ${record.entry.action}`);
      },
    });
    const audit = new AuditTrail(auditStore, { info: () => undefined, error: () => undefined, metric: () => undefined }, clock, () => 30);
    const grants: { userId: string; marker: string }[] = [];
    const users = partialPort<AdminUserStore>('AdminUserStore', {
      read: async (userId) => options.records?.[userId],
      cutSessions: async (userId, _now, record) => {
        events.push(`cut ${userId} with ${record.entry.action} entry`);
      },
      denyDeviceGrants: async (userId) => {
        events.push(`deny grants of ${userId}`);
        return 0;
      },
    });
    const admin = new UserAdmin({
      accounts: partialPort('CredentialStore', {}),
      sessions: {
        revokeAllSessions: async (userId) => {
          events.push(`revoke sessions of ${userId}`);
        },
      },
      memberships: {
        getMembership: async (userId) => options.memberships?.[userId],
        recordAddressGrant: async (userId, marker, record) => {
          grants.push({ userId, marker });
          events.push(`grant recorded with ${record.entry.action} entry`);
          return true;
        },
      },
      teams: partialPort('TeamStore', {}),
      idempotency: partialPort('IdempotencyStore', {}),
      users,
      audit,
      auditStore,
      throttles: new InMemoryThrottleStore(),
      verificationMailer: { send: async () => undefined },
      deletion: { deleteUser: async () => undefined },
      clock,
      settings: {
        adminEmails: options.adminEmails ?? [],
        portalAdminEmails: [],
        backoff: { freeFailures: 3, baseDelaySeconds: 1, maxDelaySeconds: 60 },
        verificationEmailsPerHour: 5,
        idempotencyTtlSeconds: 60,
      },
    });
    return { admin, events, grants };
  };
  const context = (userId: string): ActionContext => ({
    operator: { userId, email: `${userId}@example.com`, role: 'user-admin' },
    correlationId: 'c-1',
  });
  const record = (userId: string): UserRecord => ({
    profile: profile(userId, `${userId}@example.com`),
    sessions: [family(userId, 'family-1'), family(userId, 'family-2')],
    deviceGrants: [],
    resets: [],
  });

  it('refuses the console to a user with neither a permission nor a configured address', async () => {
    // Prepare
    const { admin, events } = setup();
    // Act
    const refusal = admin.authorize(profile('plainUser', 'plain@example.com'));
    // Assess
    await expect(refusal).rejects.toThrow(ForbiddenError);
    expect(events).toEqual([]);
  });

  it('lets a configured address in as a user admin and records that grant with its audit entry, once', async () => {
    // Prepare
    const { admin, grants, events } = setup({ adminEmails: ['boss@example.com'] });
    // Act
    const operator = await admin.authorize(profile('bossUser', 'Boss@Example.com'));
    // Assess
    expect(operator).toEqual({ userId: 'bossUser', email: 'boss@example.com', role: 'user-admin' });
    expect(grants).toEqual([{ userId: 'bossUser', marker: 'user-admin:USER_ADMIN_EMAILS' }]);
    expect(events).toEqual(['grant recorded with grant-role entry']);
  });

  it('signs a user out everywhere: the cut with its audit entry first, then grants denied and sessions revoked', async () => {
    // Prepare
    const { admin, events } = setup({ records: { targetUser: record('targetUser') } });
    // Act
    const outcome = await admin.signOut(context('operatorUser'), 'targetUser');
    // Assess
    expect(outcome).toEqual({ signed_out: true, sessions_ended: 2, device_grants_denied: 0 });
    expect(events).toEqual(['cut targetUser with sign-out entry', 'deny grants of targetUser', 'revoke sessions of targetUser']);
  });

  it('refuses an operator acting on their own account, before anything is written', async () => {
    // Prepare
    const { admin, events } = setup({ records: { operatorUser: record('operatorUser') } });
    // Act
    const refusal = admin.signOut(context('operatorUser'), 'operatorUser');
    // Assess
    await expect(refusal).rejects.toThrow(ForbiddenError);
    expect(events).toEqual([]);
  });
});
