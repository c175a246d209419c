import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { call } from '../../support/http';
import { as, type PortalStack, signUp, startPortalStack } from './helpers';

describe('deleting the account of a portal member', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack();
  });
  afterAll(() => portal.stop());

  it('takes the member out of the team, so the team lists and counts only who is left', async () => {
    // Prepare: Alice's team, Bob invited and joined.
    const alice = await signUp(portal.stack);
    const bob = await signUp(portal.stack);
    const aliceApi = as(portal.stack, alice);
    await aliceApi.get('/portal/team');
    const invited = await aliceApi.post('/portal/team/invitations', { email: bob.email });
    const token = decodeURIComponent(String(invited.body.invitation_url).split('#invite=')[1]);
    expect((await as(portal.stack, bob).post('/portal/team/join', { token })).status).toBe(200);
    expect((await aliceApi.get('/portal/team')).body.members).toHaveLength(2);

    // Act
    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': bob.accessToken })).toString('base64url');
    const deleted = await call(portal.stack.url, 'POST', `/login-flow/delete-account?ctx=${ctx}`);

    // Assess: Bob is gone from the team, and Alice can still remove members as the team's count is right.
    expect(deleted.status).toBe(200);
    const team = (await aliceApi.get('/portal/team')).body;
    expect(team.members.map((member: { user_id: string }) => member.user_id)).toEqual([alice.userId]);
    const db = createDocumentClient({ endpoint: portal.stack.dynamoDbEndpoint, region: 'us-east-1' });
    const read = async (key: Record<string, string>) =>
      (await db.send(new GetCommand({ TableName: portal.stack.tableName, Key: key, ConsistentRead: true }))).Item;
    expect(await read(itemKeys.teamMember(team.team.id, bob.userId))).toBeUndefined();
    expect((await read(itemKeys.team(team.team.id)))?.memberCount).toBe(1);
  });
});
