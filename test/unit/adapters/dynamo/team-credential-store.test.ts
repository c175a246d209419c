import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { itemKeys } from '../../../../lambdas/adapters/dynamo/table-design';
import { DynamoTeamCredentialStore } from '../../../../lambdas/adapters/dynamo/team-credential-store';
import { DynamoTeamStore } from '../../../../lambdas/adapters/dynamo/team-store';
import { ConflictError } from '../../../../lambdas/core/errors';
import { freshTable } from '../../../support/dynamo';

const NOW = 1_800_000_000;

describe('DynamoTeamCredentialStore reservations', () => {
  let store: DynamoTeamCredentialStore;
  let teams: DynamoTeamStore;
  let db: Awaited<ReturnType<typeof freshTable>>['db'];
  let tableName: string;
  let sequence = 0;

  beforeAll(async () => {
    ({ db, tableName } = await freshTable());
    store = new DynamoTeamCredentialStore(db, tableName);
    teams = new DynamoTeamStore(db, tableName);
  });

  async function team(credentialCount: number): Promise<string> {
    const teamId = `team${(sequence += 1)}`;
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...itemKeys.team(teamId), type: 'team', teamId, name: teamId, memberCount: 1, credentialCount } }),
    );
    return teamId;
  }
  const countOf = async (teamId: string) =>
    Number((await db.send(new GetCommand({ TableName: tableName, Key: itemKeys.team(teamId), ConsistentRead: true }))).Item?.credentialCount);

  it('counts a reservation on the team and refuses one past the limit', async () => {
    const teamId = await team(1);
    await store.reserveCredential(teamId, { operationId: 'op1', expiresAt: NOW + 300 }, 2, NOW);
    expect(await countOf(teamId)).toBe(2);
    await expect(store.reserveCredential(teamId, { operationId: 'op2', expiresAt: NOW + 300 }, 2, NOW)).rejects.toThrow(ConflictError);
    expect(await countOf(teamId)).toBe(2);
  });

  it('keeps the count when the reservation becomes a record, and gives it back when released instead', async () => {
    const teamId = await team(0);
    await store.reserveCredential(teamId, { operationId: 'kept', expiresAt: NOW + 300 }, 5, NOW);
    await store.reserveCredential(teamId, { operationId: 'failed', expiresAt: NOW + 300 }, 5, NOW);
    await store.addCredential({ teamId, clientId: 'client1', environment: 'sandbox', name: 'One', audiences: [], createdBy: 'user', createdAt: NOW }, 'kept');
    await store.releaseCredential(teamId, 'failed');
    await store.releaseCredential(teamId, 'failed');
    expect(await countOf(teamId)).toBe(1);
    expect((await teams.getTeamContents(teamId)).credentials.map((record) => record.clientId)).toEqual(['client1']);
  });

  it('refuses to record a credential whose reservation lapsed and was given back', async () => {
    const teamId = await team(0);
    await store.reserveCredential(teamId, { operationId: 'slow', expiresAt: NOW - 1 }, 1, NOW);
    // The team is full; the next create finds the lapsed reservation, gives it back and takes its place.
    await store.reserveCredential(teamId, { operationId: 'next', expiresAt: NOW + 300 }, 1, NOW);
    expect(await countOf(teamId)).toBe(1);
    await expect(
      store.addCredential({ teamId, clientId: 'late', environment: 'sandbox', name: 'Late', audiences: [], createdBy: 'user', createdAt: NOW }, 'slow'),
    ).rejects.toThrow(/lapsed/);
  });

  it('does not give back a reservation that has not lapsed yet', async () => {
    const teamId = await team(0);
    await store.reserveCredential(teamId, { operationId: 'live', expiresAt: NOW + 300 }, 1, NOW);
    await expect(store.reserveCredential(teamId, { operationId: 'other', expiresAt: NOW + 300 }, 1, NOW)).rejects.toThrow(/most a team may hold/);
  });
});
