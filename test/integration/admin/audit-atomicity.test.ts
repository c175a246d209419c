import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAdminStore } from '../../../lambdas/adapters/dynamo/admin-store';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamo/audit-store';
import { DynamoIdempotencyStore } from '../../../lambdas/adapters/dynamo/idempotency-store';
import { DynamoMembershipStore } from '../../../lambdas/adapters/dynamo/membership-store';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { DynamoTeamStore } from '../../../lambdas/adapters/dynamo/team-store';
import { DynamoThrottleStore } from '../../../lambdas/adapters/dynamo/throttle-store';
import { deleteAccountNow } from '../../../lambdas/core/account-deletion';
import { AuditTrail } from '../../../lambdas/core/admin/audit';
import { type ActionContext, UserAdmin } from '../../../lambdas/core/admin/user-admin';
import { systemClock } from '../../../lambdas/core/clock';
import type { SessionFamily, UserProfile } from '../../../lambdas/core/ports';
import { type AccountStores, accountStores } from '../../support/account-stores';
import { freshTable } from '../../support/dynamo';

/**
 * A document client whose audit writes fail while `failing` is set: each Put
 * of an audit entry in a transaction gets a condition that cannot hold, as a
 * throttled or refused audit write would. The rest of the transaction is sent
 * as it was built.
 */
function auditFaults(db: DynamoDBDocumentClient) {
  const state = { failing: false };
  const send = (command: unknown) => {
    if (state.failing && command instanceof TransactWriteCommand) {
      const items = (command.input.TransactItems ?? []).map((item) =>
        String(item.Put?.Item?.pk ?? '').startsWith('AUDIT#') ? { Put: { ...item.Put!, ConditionExpression: 'attribute_exists(pk)' } } : item,
      );
      return db.send(new TransactWriteCommand({ ...command.input, TransactItems: items }));
    }
    return db.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
  };
  return { state, db: new Proxy(db, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) }) as DynamoDBDocumentClient };
}

describe('console actions and their audit entries', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  let faults: ReturnType<typeof auditFaults>;
  let admin: UserAdmin;
  let accounts: AccountStores;
  const context: ActionContext = { operator: { userId: 'operatorAaaaaaaaaaaaaa', email: 'op@example.com', role: 'portal-admin' }, correlationId: 'c-1' };

  beforeAll(async () => {
    table = await freshTable();
    faults = auditFaults(table.db);
    const { db } = faults;
    accounts = accountStores(db, table.tableName);
    const auditStore = new DynamoAuditStore(db, table.tableName);
    admin = new UserAdmin({
      accounts: accounts.credentials,
      sessions: accounts.sessions,
      users: new DynamoAdminStore(db, table.tableName),
      audit: new AuditTrail(auditStore, { info: () => undefined, error: () => undefined, metric: () => undefined }, systemClock, () => 30),
      auditStore,
      throttles: new DynamoThrottleStore(db, table.tableName),
      memberships: new DynamoMembershipStore(db, table.tableName),
      teams: new DynamoTeamStore(db, table.tableName),
      idempotency: new DynamoIdempotencyStore(db, table.tableName),
      verificationMailer: { send: async () => undefined },
      deletion: { deleteUser: (userId, audit) => deleteAccountNow({ accounts: accounts.deletion }, userId, audit) },
      clock: systemClock,
      settings: {
        adminEmails: [],
        portalAdminEmails: [],
        backoff: { freeFailures: 3, baseDelaySeconds: 1, maxDelaySeconds: 60 },
        verificationEmailsPerHour: 5,
        idempotencyTtlSeconds: 60,
      },
    });
  });
  afterEach(() => {
    faults.state.failing = false;
  });

  const now = () => Math.floor(Date.now() / 1000);
  async function user(): Promise<{ userId: string; familyId: string; email: string }> {
    const userId = `user${Math.random().toString(36).slice(2, 12)}aaaaaaaaaa`;
    const email = `${userId}@example.com`;
    const profile: UserProfile = { id: userId, email, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    const family: SessionFamily = {
      userId,
      familyId: `fam${Math.random().toString(36).slice(2, 12)}aaaaaaaaaa`,
      currentHash: 'h',
      rotatedHashes: [],
      createdAt: now(),
      lastUsedAt: now(),
      absoluteExpiresAt: now() + 86400,
      expiresAt: now() + 3600,
    };
    await accounts.credentials.createAccount({ email, userId, passwordHash: 'x' }, profile, family);
    await table.db.send(
      new PutCommand({ TableName: table.tableName, Item: { ...itemKeys.throttle(`login#acct#${email}`), count: 9, lastAt: now(), expiresAt: now() + 3600 } }),
    );
    return { userId, familyId: family.familyId, email };
  }
  const item = async (key: { pk: string; sk: string }) =>
    (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
  const trail = async (userId: string) => (await new DynamoAuditStore(table.db, table.tableName).list({ userId }, 50)).entries.map((entry) => entry.action);

  it('does not happen when its audit entry cannot be written: disable, sign-out, end session, unlock, partners, delete', async () => {
    // Prepare
    const target = await user();
    faults.state.failing = true;
    // Act
    const outcomes = await Promise.allSettled([
      admin.setDisabled(context, target.userId, true),
      admin.signOut(context, target.userId),
      admin.endSession(context, target.userId, target.familyId),
      admin.unlock(context, target.userId),
      admin.setPartners(context, target.userId, { acronis: { login: `${target.userId}-acronis` } }),
      admin.deleteUser(context, target.userId),
    ]);
    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(6).fill('rejected'));
    const profile = await item(itemKeys.profile(target.userId));
    expect(profile).toBeDefined();
    expect(profile?.disabledAt).toBeUndefined();
    expect(profile?.sessionsNotBefore).toBeUndefined();
    expect(profile?.attributes?.acronis).toBeUndefined();
    expect(await item(itemKeys.session(target.userId, target.familyId))).toBeDefined();
    expect(await item(itemKeys.throttle(`login#acct#${target.email}`))).toMatchObject({ count: 9 });
    expect(await item(itemKeys.partnerClaim('acronis', 'login', `${target.userId}-acronis`.toLowerCase()))).toBeUndefined();
    expect(await trail(target.userId)).toEqual([]);
  });

  it("shows nothing of a user's data when the read's audit entry cannot be written", async () => {
    // Prepare
    const target = await user();
    faults.state.failing = true;
    // Act
    const reads = await Promise.allSettled([
      admin.user(context, target.userId),
      admin.export(context, target.userId),
      admin.findByEmail(context, target.email),
      admin.auditTrail(context, { userId: target.userId }, 10),
    ]);
    // Assess
    expect(reads.map((read) => read.status)).toEqual(Array(4).fill('rejected'));
  });

  it('writes the action and its entry together when the audit store works', async () => {
    // Prepare
    const target = await user();
    // Act
    await admin.setDisabled(context, target.userId, true);
    await admin.signOut(context, target.userId);
    // Assess
    expect(await item(itemKeys.profile(target.userId))).toMatchObject({ disabledAt: expect.any(String), sessionsNotBefore: expect.any(Number) });
    expect(await trail(target.userId)).toEqual(['sign-out', 'disable']);
  });
});
