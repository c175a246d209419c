import { InvalidRefreshTokenError } from '../../../lambdas/core/errors';
import type { HmacKeyRing } from '../../../lambdas/core/hmac-key-ring';
import type { UserProfile } from '../../../lambdas/core/ports';
import { parseRefreshToken, REMEMBERED_ROTATIONS, Sessions } from '../../../lambdas/core/sessions';
import { type AccountStores, accountStores } from '../../support/account-stores';
import { freshTable } from '../../support/dynamo';

describe('Sessions', () => {
  let store: AccountStores;
  let now: number;
  const clock = { now: () => now };
  const settings = { absoluteTtlSeconds: 3600, idleTtlSeconds: 600, graceSeconds: 30 };
  let ring: HmacKeyRing = { current: Buffer.from('k'.repeat(43)) };
  const refreshKey = { get: async () => ring };
  afterEach(() => {
    ring = { current: Buffer.from('k'.repeat(43)) };
  });

  beforeAll(async () => {
    const { db, tableName } = await freshTable();
    store = accountStores(db, tableName);
  });
  beforeEach(() => {
    // Near the real time: DynamoDB Local really deletes items whose TTL has passed.
    now = Date.now();
  });

  async function user(): Promise<{ sessions: Sessions; userId: string }> {
    const sessions = new Sessions(store.sessions, settings, clock, refreshKey);
    const userId = `user${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaa`;
    const profile: UserProfile = { id: userId, email: `${userId}@example.com`, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    const first = sessions.newFamily(userId);
    await store.credentials.createAccount({ email: profile.email, userId, passwordHash: 'x' }, profile, first.family);
    return { sessions, userId };
  }

  const reason = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof InvalidRefreshTokenError) return error.reason;
      throw error;
    }
    return 'succeeded';
  };

  it('issues tokens of at least 256 random bits that name their family', async () => {
    const { sessions, userId } = await user();

    const started = await sessions.start(userId);

    const located = parseRefreshToken(started.refreshToken);
    expect(located).toEqual({ userId, familyId: started.family.familyId });
    expect(Buffer.from(started.refreshToken.split('.')[2], 'base64url')).toHaveLength(32);
    expect(started.family.currentHash).not.toContain(started.refreshToken.split('.')[2]);
  });

  it('ends a family that stays unused longer than the idle lifetime', async () => {
    const { sessions, userId } = await user();
    const started = await sessions.start(userId);

    now += 601_000;

    expect(await reason(sessions.rotate(started.refreshToken))).toBe('expired');
  });

  it('ends a family at its absolute lifetime even when it is used all the time', async () => {
    const { sessions, userId } = await user();
    let token = (await sessions.start(userId)).refreshToken;
    for (let minute = 5; minute < 60; minute += 5) {
      now += 5 * 60_000;
      token = (await sessions.rotate(token)).refreshToken;
    }

    now += 5 * 60_000;

    expect(await reason(sessions.rotate(token))).toBe('expired');
  });

  it('detects reuse of any of the last rotated tokens and revokes the family', async () => {
    const { sessions, userId } = await user();
    const tokens = [(await sessions.start(userId)).refreshToken];
    for (let index = 0; index < 5; index += 1) tokens.push((await sessions.rotate(tokens[tokens.length - 1])).refreshToken);

    expect(await reason(sessions.rotate(tokens[1]))).toBe('reused');
    expect(await reason(sessions.rotate(tokens[5]))).toBe('unknown');
    expect(REMEMBERED_ROTATIONS).toBeGreaterThanOrEqual(100);
  });

  it('revokes only the family of a genuine token and ignores unknown ones', async () => {
    const { sessions, userId } = await user();
    const a = await sessions.start(userId);
    const b = await sessions.start(userId);

    await sessions.revoke(`${userId}.${a.family.familyId}.${'A'.repeat(43)}`);
    await sessions.revoke('garbage');
    expect(await reason(sessions.rotate(a.refreshToken))).toBe('succeeded');

    await sessions.revoke(b.refreshToken);
    expect(await reason(sessions.rotate(b.refreshToken))).toBe('unknown');
  });

  it('refuses to start or rotate a session of a deleted user', async () => {
    const { sessions, userId } = await user();
    const started = await sessions.start(userId);

    await store.deletion.deleteAccount(userId, () => []);

    await expect(sessions.start(userId)).rejects.toThrow('no longer exists');
    expect(await reason(sessions.rotate(started.refreshToken))).toBe('unknown');
  });

  it('does not start a session bound to a password that changed after it was verified', async () => {
    const { sessions, userId } = await user();
    const email = `${userId}@example.com`;
    await store.credentials.updatePasswordHash(email, userId, 'new-hash');

    await expect(sessions.start(userId, { credentialGuard: { email, passwordHash: 'x' } })).rejects.toThrow('The email or password is incorrect.');
    await expect(sessions.start(userId, { credentialGuard: { email, passwordHash: 'new-hash' } })).resolves.toMatchObject({ family: { userId } });
  });

  it('gives a retry of the just-rotated token the same successor within the grace window, and revokes after it', async () => {
    const { sessions, userId } = await user();
    const first = (await sessions.start(userId)).refreshToken;
    const second = await sessions.rotate(first);

    now += 29_000;
    expect((await sessions.rotate(first)).refreshToken).toBe(second.refreshToken);

    now += 2_000;
    expect(await reason(sessions.rotate(first))).toBe('reused');
    expect(await reason(sessions.rotate(second.refreshToken))).toBe('unknown');
  });

  it('gives a retry within the grace the stored successor after a key rotation, derived with the key now previous', async () => {
    // Prepare: a refresh whose answer was lost, then the key rotates.
    const { sessions, userId } = await user();
    const first = (await sessions.start(userId)).refreshToken;
    const second = await sessions.rotate(first);
    ring = { current: Buffer.from('n'.repeat(43)), previous: ring.current };
    // Act
    const retried = await sessions.rotate(first);
    // Assess: the same successor, which then rotates with the new key.
    expect(retried.refreshToken).toBe(second.refreshToken);
    const third = await sessions.rotate(second.refreshToken);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect((await sessions.rotate(third.refreshToken)).refreshToken).toBeDefined();
  });

  it('reads the ring again when neither key derived the stored successor (a key rotated in elsewhere)', async () => {
    const { userId } = await user();
    const stale = { current: Buffer.from('k'.repeat(43)) };
    const fresh = { current: Buffer.from('n'.repeat(43)), previous: stale.current };
    const writer = new Sessions(store.sessions, settings, clock, { get: async () => fresh });
    const first = (await writer.start(userId)).refreshToken;
    const second = await writer.rotate(first);
    const reader = new Sessions(store.sessions, settings, clock, { get: async () => ({ current: Buffer.from('o'.repeat(43)) }), reload: async () => fresh });

    expect((await reader.rotate(first)).refreshToken).toBe(second.refreshToken);
  });

  it('treats the previous token as reuse at once when the grace is off', async () => {
    const { userId } = await user();
    const sessions = new Sessions(store.sessions, { ...settings, graceSeconds: 0 }, clock, refreshKey);
    const first = (await sessions.start(userId)).refreshToken;
    await sessions.rotate(first);

    expect(await reason(sessions.rotate(first))).toBe('reused');
  });

  it('refuses a family of another client without revoking it', async () => {
    const { sessions, userId } = await user();
    const started = await sessions.start(userId, { clientId: 'tv-app' });

    expect(await reason(sessions.rotate(started.refreshToken, 'other-app'))).toBe('other-client');
    await expect(sessions.rotate(started.refreshToken, 'tv-app')).resolves.toMatchObject({ clientId: 'tv-app' });
  });

  it('keeps the family item small: two hashes, no list of rotated tokens', async () => {
    const { sessions, userId } = await user();
    let token = (await sessions.start(userId)).refreshToken;
    for (let index = 0; index < 10; index += 1) token = (await sessions.rotate(token)).refreshToken;

    const family = await store.sessions.getSession(userId, parseRefreshToken(token)!.familyId);

    expect(family?.rotatedHashes).toBeUndefined();
    expect(JSON.stringify(family).length).toBeLessThan(1024);
  });
});
