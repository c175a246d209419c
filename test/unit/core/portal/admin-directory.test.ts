import { AdminDirectory } from '../../../../lambdas/core/portal/admin-directory';
import type { ManagedUser } from '../../../../lambdas/core/portal/ports';

describe('AdminDirectory', () => {
  const build = (answer: () => Promise<ManagedUser[]>, now: { value: number }, configured = true) => {
    const calls: string[] = [];
    const directory = new AdminDirectory({
      lookup: () => (configured ? { usersByEmail: (email: string) => (calls.push(email), answer()) } : undefined),
      clock: { now: () => now.value },
      ttlSeconds: 60,
      log: { warn: () => undefined },
    });
    return { directory, calls };
  };
  const admin = (email: string, permissions: unknown): ManagedUser => ({ userId: 'auth0|1', email, appMetadata: { permissions } });

  it('answers true only for portal-admin in app_metadata.permissions of a user with the same email, and caches it briefly', async () => {
    // Prepare
    const now = { value: 0 };
    const { directory, calls } = build(async () => [admin('ada@example.com', ['portal-admin'])], now);

    // Act
    const first = await directory.isAdmin('Ada@Example.com');
    const cached = await directory.isAdmin('ada@example.com');
    now.value = 61_000;
    const again = await directory.isAdmin('ada@example.com');

    // Assess
    expect([first, cached, again]).toEqual([true, true, true]);
    expect(calls).toEqual(['ada@example.com', 'ada@example.com']);
  });

  it.each([
    ['no permissions', [admin('ada@example.com', undefined)]],
    ['another permission', [admin('ada@example.com', ['reader'])]],
    ['a string instead of a list', [admin('ada@example.com', 'portal-admin')]],
    ['another email', [admin('eve@example.com', ['portal-admin'])]],
  ])('answers false for %s', async (_case, users) => {
    const { directory } = build(async () => users, { value: 0 });

    expect(await directory.isAdmin('ada@example.com')).toBe(false);
  });

  it('never makes an admin during an outage, and asks again next time', async () => {
    // Prepare
    let down = true;
    const { directory, calls } = build(
      async () => {
        if (down) throw new Error('Auth0 production is not available');
        return [admin('ada@example.com', ['portal-admin'])];
      },
      { value: 0 },
    );

    // Act
    const during = await directory.isAdmin('ada@example.com');
    down = false;
    const after = await directory.isAdmin('ada@example.com');

    // Assess
    expect([during, after]).toEqual([false, true]);
    expect(calls).toHaveLength(2);
  });

  it('answers false without asking when the production tenant is not configured', async () => {
    const { directory, calls } = build(async () => [admin('ada@example.com', ['portal-admin'])], { value: 0 }, false);

    expect(await directory.isAdmin('ada@example.com')).toBe(false);
    expect(calls).toEqual([]);
  });
});
