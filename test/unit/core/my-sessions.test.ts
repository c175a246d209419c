import { NotFoundError } from '../../../lambdas/core/errors';
import { MySessions } from '../../../lambdas/core/my-sessions';
import type { SessionFamily } from '../../../lambdas/core/ports';

const NOW = 1_800_000_000;
const clock = { now: () => NOW * 1000 };

function family(familyId: string, overrides: Partial<SessionFamily> = {}): SessionFamily {
  return {
    userId: 'user-1',
    familyId,
    currentHash: 'secret-hash',
    createdAt: NOW - 100,
    lastUsedAt: NOW - 50,
    absoluteExpiresAt: NOW + 1000,
    expiresAt: NOW + 500,
    ...overrides,
  };
}

function store(families: SessionFamily[]) {
  return {
    listSessions: jest.fn(async () => families),
    getSession: jest.fn(async (_userId: string, familyId: string) => families.find((item) => item.familyId === familyId)),
    revokeSession: jest.fn(async () => undefined),
  };
}

describe('MySessions', () => {
  it('lists only live sessions, most recently used first, marks the current one and shows no hash', async () => {
    const sessions = new MySessions(
      store([family('older', { lastUsedAt: NOW - 90 }), family('newer', { network: '203.0.113.0/24' }), family('gone', { expiresAt: NOW - 1 })]),
      clock,
    );

    const listed = await sessions.list('user-1', 'older');

    expect(listed.map((session) => [session.session_id, session.current, session.network])).toEqual([
      ['newer', false, '203.0.113.0/24'],
      ['older', true, null],
    ]);
    expect(JSON.stringify(listed)).not.toContain('secret-hash');
  });

  it('ends a live session and says whether it was the current one', async () => {
    const backing = store([family('other'), family('mine')]);
    const sessions = new MySessions(backing, clock);

    expect(await sessions.end('user-1', 'mine', 'other')).toEqual({ current: false });
    expect(await sessions.end('user-1', 'mine', 'mine')).toEqual({ current: true });
    expect(backing.revokeSession).toHaveBeenCalledWith('user-1', 'other');
  });

  it('refuses a missing or ended session with NotFoundError and ends nothing', async () => {
    const backing = store([family('ended', { absoluteExpiresAt: NOW })]);
    const sessions = new MySessions(backing, clock);

    await expect(sessions.end('user-1', 'mine', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(sessions.end('user-1', 'mine', 'ended')).rejects.toBeInstanceOf(NotFoundError);
    expect(backing.revokeSession).not.toHaveBeenCalled();
  });
});
