import { AuditTrail } from '../../../../lambdas/core/admin/audit';
import { AccountDisabledError, refuseDisabled } from '../../../../lambdas/core/admin/disabled';
import { requireVerifiedOperator } from '../../../../lambdas/core/admin/operator';
import type { AuditEntry, AuditStore } from '../../../../lambdas/core/admin/ports';
import { ForbiddenError } from '../../../../lambdas/core/errors';

function memoryStore(fail = false): AuditStore & { stored: { entry: AuditEntry; expiresAt: number }[] } {
  const stored: { entry: AuditEntry; expiresAt: number }[] = [];
  return {
    stored,
    append: async (record) => {
      if (fail) throw new Error('table down');
      stored.push(record);
    },
    list: async () => ({ entries: stored.map((item) => item.entry) }),
  };
}

describe('AuditTrail', () => {
  const clock = { now: () => Date.parse('2026-12-01T10:00:00Z') };
  const input = { actorId: 'op', actorEmail: 'op@example.com', action: 'disable' as const, targetUserId: 'u1', correlationId: 'c1' };

  it('stores the entry with the retention TTL, logs one structured line and counts one metric', async () => {
    // Prepare
    const store = memoryStore();
    const lines: [string, Record<string, unknown>][] = [];
    const metrics: string[] = [];
    const trail = new AuditTrail(
      store,
      { info: (message, fields) => lines.push([message, fields]), error: () => undefined, metric: (action) => metrics.push(action) },
      clock,
      () => 400,
    );
    // Act
    const entry = await trail.record({
      ...input,
      changes: { disabledAt: { before: null, after: 'now' }, passwordHash: { before: 'x', after: 'y' }, refreshToken: { before: 'a', after: 'b' } },
    });
    // Assess
    expect(entry).toMatchObject({ at: '2026-12-01T10:00:00.000Z', action: 'disable', changes: { disabledAt: { before: null, after: 'now' } } });
    expect(Object.keys(entry.changes)).toEqual(['disabledAt']);
    expect(store.stored).toEqual([{ entry, expiresAt: Date.parse('2026-12-01T10:00:00Z') / 1000 + 400 * 86400 }]);
    expect(lines).toEqual([['admin action', { audit: entry, correlationId: 'c1' }]]);
    expect(metrics).toEqual(['disable']);
  });

  it('says so in an error line and fails the request when the entry cannot be stored', async () => {
    // Prepare
    const errors: string[] = [];
    const trail = new AuditTrail(
      memoryStore(true),
      { info: () => undefined, error: (message) => errors.push(message), metric: () => undefined },
      clock,
      () => 400,
    );
    // Act + Assess
    await expect(trail.record(input)).rejects.toThrow('table down');
    expect(errors).toEqual([expect.stringContaining('could not be stored')]);
  });
});

describe('the console checks', () => {
  it('refuse a disabled subject with a 403 error and let others pass', () => {
    expect(() => refuseDisabled({ disabledAt: '2026-12-01T10:00:00Z' })).toThrow(AccountDisabledError);
    expect(() => refuseDisabled({})).not.toThrow();
    expect(() => refuseDisabled(undefined)).not.toThrow();
    expect(new AccountDisabledError()).toBeInstanceOf(ForbiddenError);
  });

  it('accept only an operator whose address is proven, by the one isEmailVerified', () => {
    expect(() => requireVerifiedOperator({ emailVerifiedAt: '2026-12-01T10:00:00Z' })).not.toThrow();
    for (const value of [undefined, '']) expect(() => requireVerifiedOperator({ emailVerifiedAt: value })).toThrow(ForbiddenError);
  });
});
