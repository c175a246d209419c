import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoThrottleStore } from '../../../../lambdas/adapters/dynamo/throttle-store';
import type { SessionFamily, UserProfile } from '../../../../lambdas/core/ports';
import { type AccountStores, accountStores } from '../../../support/account-stores';
import { freshTable } from '../../../support/dynamo';

const NOW = Math.floor(Date.now() / 1000);

describe('DynamoPasswordResetStore', () => {
  let store: AccountStores;
  let throttles: DynamoThrottleStore;
  let db: Awaited<ReturnType<typeof freshTable>>['db'];
  let tableName: string;

  beforeAll(async () => {
    ({ db, tableName } = await freshTable());
    store = accountStores(db, tableName);
    throttles = new DynamoThrottleStore(db, tableName);
  });

  const family = (userId: string, createdAt = NOW - 60): SessionFamily => ({
    userId,
    familyId: `fam${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaaa`,
    currentHash: 'h',
    rotatedHashes: [],
    createdAt,
    lastUsedAt: createdAt,
    absoluteExpiresAt: NOW + 86400,
    expiresAt: NOW + 3600,
  });

  async function user(sessionCount: number) {
    const userId = `user${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaa`;
    const profile: UserProfile = { id: userId, email: `${userId}@example.com`, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    await store.credentials.createAccount({ email: profile.email, userId, passwordHash: 'old-hash' }, profile, family(userId));
    for (let index = 1; index < sessionCount; index += 1) await store.sessions.startSession(family(userId));
    return { userId, email: profile.email };
  }

  const partition = async (userId: string, prefix: string) =>
    (
      await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':p': prefix },
        }),
      )
    ).Items ?? [];

  it('changes the hash, spends the token, clears counters and ends more sessions than one transaction holds', async () => {
    // Prepare
    const { userId, email } = await user(120);
    await store.tokens.save('password-reset', { userId, tokenHash: 'this-one', createdAt: NOW, expiresAt: NOW + 1800 });
    await store.tokens.save('password-reset', { userId, tokenHash: 'an-older-one', createdAt: NOW - 60, expiresAt: NOW + 1740 });
    await throttles.increment(`login#acct#${email}`, NOW, NOW + 3600);

    // Act
    const outcome = await store.resets.completePasswordReset({
      userId,
      email,
      tokenHash: 'this-one',
      passwordHash: 'new-hash',
      now: NOW,
      throttleKeys: [`login#acct#${email}`],
    });

    // Assess
    expect(outcome).toBe('changed');
    expect((await store.credentials.getCredential(email))?.passwordHash).toBe('new-hash');
    expect(await partition(userId, 'SESSION#')).toHaveLength(0);
    expect(await store.tokens.get('password-reset', userId, 'this-one')).toMatchObject({ usedAt: NOW });
    expect(await store.tokens.get('password-reset', userId, 'an-older-one')).toBeUndefined();
    expect((await throttles.read([`login#acct#${email}`])).size).toBe(0);
  });

  it('tells a used, an expired and an unknown token apart, and changes nothing for them', async () => {
    const { userId, email } = await user(1);
    await store.tokens.save('password-reset', { userId, tokenHash: 'used', createdAt: NOW, expiresAt: NOW + 1800 });
    const change = (tokenHash: string, passwordHash: string) =>
      store.resets.completePasswordReset({ userId, email, tokenHash, passwordHash, now: NOW, throttleKeys: [] });
    expect(await change('used', 'first')).toBe('changed');
    // Saved after the change, which deletes every other reset token of the user.
    await store.tokens.save('password-reset', { userId, tokenHash: 'expired', createdAt: NOW - 1800, expiresAt: NOW });
    await store.sessions.startSession(family(userId, NOW + 5));

    const outcomes = [await change('used', 'second'), await change('expired', 'third'), await change('unknown', 'fourth')];

    expect(outcomes).toEqual(['token-used', 'token-expired', 'token-unknown']);
    expect((await store.credentials.getCredential(email))?.passwordHash).toBe('first');
    expect(await partition(userId, 'SESSION#')).toHaveLength(1);
  });

  it('answers account-gone when the credential no longer belongs to the user', async () => {
    const { userId } = await user(1);
    await store.tokens.save('password-reset', { userId, tokenHash: 'orphan', createdAt: NOW, expiresAt: NOW + 1800 });

    const outcome = await store.resets.completePasswordReset({
      userId,
      email: 'someone-else@example.com',
      tokenHash: 'orphan',
      passwordHash: 'x',
      now: NOW,
      throttleKeys: [],
    });

    expect(outcome).toBe('account-gone');
    expect((await store.tokens.get('password-reset', userId, 'orphan'))?.usedAt).toBeUndefined();
  });
});
