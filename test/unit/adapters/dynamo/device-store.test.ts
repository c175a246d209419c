import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEVICE_GRANT_RETENTION_SECONDS, DynamoDeviceGrantStore } from '../../../../lambdas/adapters/dynamo/device-store';
import { itemKeys } from '../../../../lambdas/adapters/dynamo/table-design';
import { AccountDisabledError, UnauthenticatedError } from '../../../../lambdas/core/errors';
import type { DeviceGrant } from '../../../../lambdas/core/oauth/ports';
import type { SessionFamily, UserProfile } from '../../../../lambdas/core/ports';
import { type AccountStores, accountStores } from '../../../support/account-stores';
import { freshTable } from '../../../support/dynamo';

const NOW = 1_800_000_000;

describe('DynamoDeviceGrantStore', () => {
  let store: DynamoDeviceGrantStore;
  let accounts: AccountStores;
  let db: Awaited<ReturnType<typeof freshTable>>['db'];
  let tableName: string;
  let sequence = 0;

  beforeAll(async () => {
    ({ db, tableName } = await freshTable());
    store = new DynamoDeviceGrantStore(db, tableName);
    accounts = accountStores(db, tableName);
  });

  /** A distinct, valid user code per test. */
  function code(): string {
    sequence += 1;
    return `BCDF${'GHJKLMNPQRST'[sequence % 12]}${'VWXZBCDFGHJK'[Math.floor(sequence / 12) % 12]}GH`;
  }

  const grant = (userCode: string, overrides: Partial<DeviceGrant> = {}): DeviceGrant => ({
    userCode,
    deviceCodeHash: 'hash-1',
    clientId: 'tv',
    status: 'pending',
    createdAt: NOW,
    codeExpiresAt: NOW + 600,
    interval: 5,
    lastPolledAt: NOW * 1000,
    ...overrides,
  });

  const family = (userId: string): SessionFamily => ({
    userId,
    familyId: `fam${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaaa`,
    currentHash: 'h',
    rotatedHashes: [],
    clientId: 'tv',
    createdAt: NOW,
    lastUsedAt: NOW,
    absoluteExpiresAt: NOW + 86400,
    expiresAt: NOW + 3600,
  });

  it('keeps a user code for one live grant, frees it once the codes die, and keeps the item a while longer for clear answers', async () => {
    const userCode = code();

    const first = await store.create(grant(userCode), NOW);
    const collision = await store.create(grant(userCode, { deviceCodeHash: 'hash-2' }), NOW + 599);
    const reuse = await store.create(grant(userCode, { deviceCodeHash: 'hash-3', createdAt: NOW + 600, codeExpiresAt: NOW + 1200 }), NOW + 600);
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: itemKeys.device(userCode) }));

    expect([first, collision, reuse]).toEqual([true, false, true]);
    expect(Item).toMatchObject({ deviceCodeHash: 'hash-3', expiresAt: NOW + 1200 + DEVICE_GRANT_RETENTION_SECONDS });
  });

  it('records polls only while the grant is pending and the hash matches', async () => {
    const userCode = code();
    await store.create(grant(userCode), NOW);

    const recorded = await store.recordPoll(userCode, 'hash-1', NOW * 1000 + 7000, 10);
    const wrongHash = await store.recordPoll(userCode, 'other', NOW * 1000 + 8000, 10);
    await store.decide(userCode, { status: 'denied' }, NOW + 1);
    const afterDecision = await store.recordPoll(userCode, 'hash-1', NOW * 1000 + 9000, 10);

    expect([recorded, wrongHash, afterDecision]).toEqual([true, false, false]);
    expect(await store.get(userCode)).toMatchObject({ status: 'denied', interval: 10, lastPolledAt: NOW * 1000 + 7000 });
  });

  it('redeems an approved grant exactly once, writing the session in the same transaction', async () => {
    const userId = `user${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaa`;
    const profile: UserProfile = { id: userId, email: `${userId}@example.com`, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    await accounts.credentials.createAccount({ email: profile.email, userId, passwordHash: 'x' }, profile, family(userId));
    const userCode = code();
    await store.create(grant(userCode), NOW);
    await store.decide(userCode, { status: 'approved', userId }, NOW + 1);
    const sessions = [family(userId), family(userId), family(userId)];

    const outcomes = await Promise.all(sessions.map((session) => store.redeem(userCode, 'hash-1', session)));
    const stored = await Promise.all(sessions.map((session) => accounts.sessions.getSession(userId, session.familyId)));

    expect(outcomes.filter((outcome) => outcome === 'redeemed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'not-approved')).toHaveLength(2);
    expect(stored.filter(Boolean)).toHaveLength(1);
    expect(stored[outcomes.indexOf('redeemed')]).toMatchObject({ clientId: 'tv' });
    expect((await store.get(userCode))?.status).toBe('redeemed');
  });

  async function signedUpUser(): Promise<string> {
    const userId = `user${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaa`;
    const profile: UserProfile = { id: userId, email: `${userId}@example.com`, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    await accounts.credentials.createAccount({ email: profile.email, userId, passwordHash: 'x' }, profile, family(userId));
    return userId;
  }

  it('writes nothing for a user who no longer exists', async () => {
    const userId = await signedUpUser();
    const userCode = code();
    await store.create(grant(userCode), NOW);
    await store.decide(userCode, { status: 'approved', userId }, NOW + 1);
    await db.send(new DeleteCommand({ TableName: tableName, Key: itemKeys.profile(userId) }));
    const session = family(userId);

    const outcome = await store.redeem(userCode, 'hash-1', session);

    expect(outcome).toBe('user-gone');
    expect((await store.get(userCode))?.status).toBe('approved');
    expect(await accounts.sessions.getSession(session.userId, session.familyId)).toBeUndefined();
  });

  it('refuses an approval for a user who does not exist, and leaves the grant pending', async () => {
    const userCode = code();
    await store.create(grant(userCode), NOW);

    await expect(store.decide(userCode, { status: 'approved', userId: 'gone-user-aaaaaaaaaaaaa' }, NOW + 1)).rejects.toThrow(UnauthenticatedError);

    expect((await store.get(userCode))?.status).toBe('pending');
  });

  it("refuses an approval made with a token issued before the user's sign-out cut, or whose session has ended, or of a disabled user", async () => {
    const userId = await signedUpUser();
    const live = family(userId);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...itemKeys.session(userId, live.familyId), type: 'session', ...live } }));
    await accounts.sessions.signOutEverywhere(userId, NOW);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...itemKeys.session(userId, live.familyId), type: 'session', ...live } }));
    const [beforeCut, ended, atCut, after, disabled] = [code(), code(), code(), code(), code()];
    for (const userCode of [beforeCut, ended, atCut, after, disabled]) await store.create(grant(userCode), NOW);
    const approve = (userCode: string, familyId: string, issuedAt: number) =>
      store.decide(userCode, { status: 'approved', userId, session: { familyId, issuedAt } }, NOW + 1);

    await expect(approve(beforeCut, live.familyId, NOW - 1)).rejects.toThrow(UnauthenticatedError);
    await expect(approve(ended, 'no-such-family-aaaaaaaa', NOW + 1)).rejects.toThrow(UnauthenticatedError);
    // A token of the cut's own second counts as after it, as SessionCheck counts it.
    expect(await approve(atCut, live.familyId, NOW)).toBe(true);
    expect(await approve(after, live.familyId, NOW + 1)).toBe(true);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: itemKeys.profile(userId),
        UpdateExpression: 'SET disabledAt = :at',
        ExpressionAttributeValues: { ':at': 'now' },
      }),
    );
    await expect(approve(disabled, live.familyId, NOW + 1)).rejects.toThrow(AccountDisabledError);

    const statuses = await Promise.all([beforeCut, ended, atCut, after, disabled].map(async (userCode) => (await store.get(userCode))?.status));
    expect(statuses).toEqual(['pending', 'pending', 'approved', 'approved', 'pending']);
  });
});
