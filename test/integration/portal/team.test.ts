import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { FileHmacKeyRing } from '../../../lambdas/adapters/keys/hmac-key-ring';
import { InvitationTokens } from '../../../lambdas/core/portal/invitation-tokens';
import { withFactorSignIn } from '../../support/factors';
import { uniqueEmail } from '../../support/http';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from './helpers';

const ADMIN_EMAIL = `first.admin.${process.pid}@example.com`;
const INVITATION_TTL = 3600;

describe('the portal team and admin endpoints', () => {
  let portal: PortalStack;
  let admin: PortalUser;
  beforeAll(async () => {
    portal = await startPortalStack({ PORTAL_ADMIN_EMAILS: ` ${ADMIN_EMAIL.toUpperCase()} `, PORTAL_INVITATION_TTL_SECONDS: String(INVITATION_TTL) });
    // Admin routes need a session signed in with a second factor (docs/security.md).
    admin = await withFactorSignIn(portal.stack.url, await signUp(portal.stack, { email: ADMIN_EMAIL }));
  });
  afterAll(() => portal.stop());

  const tokenOf = (url: string) => decodeURIComponent(url.split('#invite=')[1]);

  it('gives a user without a team a personal team on first use', async () => {
    // Prepare
    const user = await signUp(portal.stack, { firstName: 'Grace', lastName: 'Hopper' });
    // Act
    const [first, second] = await Promise.all([as(portal.stack, user).get('/portal/team'), as(portal.stack, user).get('/portal/team')]);
    // Assess: concurrent first requests end in one team
    expect(first.status).toBe(200);
    expect(first.body.team).toMatchObject({ name: "Grace Hopper's team", personal: true, member_count: 1, credential_count: 0 });
    expect(second.body.team.id).toBe(first.body.team.id);
    expect(first.body.members).toEqual([{ user_id: user.userId, email: user.email, joined_at: expect.any(String), you: true }]);
    expect(first.body.you).toMatchObject({ is_admin: false, permissions: [] });
  });

  it('invites a teammate with a signed, expiring, single-use link that joins them to the team', async () => {
    // Prepare
    const alice = await signUp(portal.stack);
    const bob = await signUp(portal.stack);
    const carol = await signUp(portal.stack);
    const aliceApi = as(portal.stack, alice);
    const credential = (await aliceApi.post('/portal/credentials', { name: 'Shared', environment: 'sandbox' })).body;
    const bobsOldTeam = (await as(portal.stack, bob).get('/portal/team')).body.team.id;
    // Act
    const invited = await aliceApi.post('/portal/team/invitations', { email: bob.email.toUpperCase() });
    const token = tokenOf(invited.body.invitation_url);
    const joined = await as(portal.stack, bob).post('/portal/team/join', { token });
    const again = await as(portal.stack, bob).post('/portal/team/join', { token });
    const someoneElse = await as(portal.stack, carol).post('/portal/team/join', { token });
    // Assess: the link
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ kind: 'team', email: bob.email, invitation_url: expect.stringMatching(/\/portal#invite=/) });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'loginbridge-invite+jwt', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(INVITATION_TTL);
    expect(claims).not.toHaveProperty('email');
    // Assess: joining
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ joined: 'team', team: { name: expect.any(String), member_count: 2 } });
    expect(again.status).toBe(200);
    expect(someoneElse.status).toBe(400);
    expect(someoneElse.body).toMatchObject({ error: 'invalid_invitation', formError: expect.stringContaining('already been used') });
    const bobTeam = (await as(portal.stack, bob).get('/portal/team')).body;
    expect(bobTeam.team.id).not.toBe(bobsOldTeam);
    expect(bobTeam.members.map((member: { email: string }) => member.email).sort()).toEqual([alice.email, bob.email].sort());
    // Teammates share the team's credentials.
    expect((await as(portal.stack, bob).get('/portal/credentials')).body.credentials.map((entry: { client_id: string }) => entry.client_id)).toEqual([
      credential.client_id,
    ]);
    expect((await as(portal.stack, bob).post(`/portal/credentials/${credential.client_id}/rotate`)).status).toBe(200);
    expect((await aliceApi.get('/portal/team')).body.invitations).toEqual([]);
  });

  it('lets only the invited account accept, and refuses forged, altered and expired links', async () => {
    // Prepare
    const alice = await signUp(portal.stack);
    const dave = await signUp(portal.stack);
    const invited = await as(portal.stack, alice).post('/portal/team/invitations', { email: uniqueEmail('someone') });
    const token = tokenOf(invited.body.invitation_url);
    const [header, payload, signature] = token.split('.');
    const altered = [header, Buffer.from(JSON.stringify({ ...decodeJwt(token), kind: 'admin' })).toString('base64url'), signature].join('.');
    const claims = decodeJwt(token);
    const expiredSigner = new InvitationTokens(new FileHmacKeyRing(portal.stack.invitationKeyFile), { issuer: portal.stack.url }, { now: () => Date.now() });
    const expired = await expiredSigner.sign({
      inviteId: claims.jti as string,
      kind: 'team',
      teamId: claims.team as string,
      email: dave.email,
      invitedBy: alice.email,
      createdAt: Math.floor(Date.now() / 1000) - 7200,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    const daveApi = as(portal.stack, dave);
    // Act
    const wrongAccount = await daveApi.post('/portal/team/join', { token });
    const tampered = await daveApi.post('/portal/team/join', { token: altered });
    const accessTokenAsInvite = await daveApi.post('/portal/team/join', { token: dave.accessToken });
    const outdated = await daveApi.post('/portal/team/join', { token: expired });
    const garbage = await daveApi.post('/portal/team/join', { token: `${payload}.x.y` });
    const missing = await daveApi.post('/portal/team/join', {});
    // Assess
    expect(wrongAccount.status).toBe(403);
    expect(wrongAccount.body.formError).toMatch(/sent to s\*\*\*@example\.com/);
    for (const response of [tampered, accessTokenAsInvite, garbage]) expect(response.body).toMatchObject({ status: 400, error: 'invalid_invitation' });
    expect(outdated.body).toMatchObject({ status: 400, error: 'invalid_invitation', formError: expect.stringContaining('expired') });
    expect(missing.body).toMatchObject({ status: 400, fieldErrors: { token: expect.any(String) } });
    expect((await daveApi.get('/portal/team')).body.team.personal).toBe(true);
  });

  it('removes a member, who then gets a personal team again, and never the last member', async () => {
    // Prepare
    const alice = await signUp(portal.stack);
    const bob = await signUp(portal.stack);
    const aliceApi = as(portal.stack, alice);
    const token = tokenOf((await aliceApi.post('/portal/team/invitations', { email: bob.email })).body.invitation_url);
    await as(portal.stack, bob).post('/portal/team/join', { token });
    const teamId = (await aliceApi.get('/portal/team')).body.team.id;
    // Act
    const removed = await aliceApi.delete(`/portal/team/members/${bob.userId}`);
    const removedAgain = await aliceApi.delete(`/portal/team/members/${bob.userId}`);
    const last = await aliceApi.delete(`/portal/team/members/${alice.userId}`);
    // Assess
    expect(removed.status).toBe(204);
    expect(removedAgain.status).toBe(404);
    expect(last.status).toBe(409);
    const bobNow = (await as(portal.stack, bob).get('/portal/team')).body;
    expect(bobNow.team.id).not.toBe(teamId);
    expect(bobNow.team.personal).toBe(true);
    expect((await aliceApi.get('/portal/team')).body.members.map((member: { user_id: string }) => member.user_id)).toEqual([alice.userId]);
  });

  it('does not let the only member of a team that holds credentials leave it by joining another', async () => {
    // Prepare
    const alice = await signUp(portal.stack);
    const bob = await signUp(portal.stack);
    await as(portal.stack, bob).post('/portal/credentials', { name: 'Bob service', environment: 'sandbox' });
    const token = tokenOf((await as(portal.stack, alice).post('/portal/team/invitations', { email: bob.email })).body.invitation_url);
    // Act
    const response = await as(portal.stack, bob).post('/portal/team/join', { token });
    // Assess
    expect(response.status).toBe(409);
    expect(response.body.formError).toContain('only member');
    expect((await as(portal.stack, bob).get('/portal/credentials')).body.credentials).toHaveLength(1);
  });

  it('lets a configured admin list every team with its credentials, and refuses everyone else', async () => {
    // Prepare
    const member = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
    const credential = (await as(portal.stack, member).post('/portal/credentials', { name: 'Listed', environment: 'production' })).body;
    const memberTeam = (await as(portal.stack, member).get('/portal/team')).body.team.id;
    // Act
    const listing = await as(portal.stack, admin).get('/portal/admin/teams');
    const refused = await as(portal.stack, member).get('/portal/admin/teams');
    const refusedInvite = await as(portal.stack, member).post('/portal/admin/invitations', { email: uniqueEmail() });
    // Assess
    expect(listing.status).toBe(200);
    const team = listing.body.teams.find((entry: { id: string }) => entry.id === memberTeam);
    expect(team).toMatchObject({
      member_count: 1,
      credential_count: 1,
      credentials: [expect.objectContaining({ client_id: credential.client_id, environment: 'production', name: 'Listed' })],
    });
    expect(listing.text).not.toContain(credential.client_secret);
    expect((await as(portal.stack, admin).get('/portal/team')).body.you).toMatchObject({ is_admin: true, permissions: ['portal-admin'] });
    expect(refused.status).toBe(403);
    expect(refusedInvite.status).toBe(403);
  });

  it('makes a portal admin through a single-use admin invitation', async () => {
    // Prepare
    const bystander = await signUp(portal.stack);
    const erin = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
    // Act
    const invited = await as(portal.stack, admin).post('/portal/admin/invitations', { email: erin.email });
    const token = tokenOf(invited.body.invitation_url);
    const before = (await as(portal.stack, erin).get('/portal/admin/teams')).status;
    const joined = await as(portal.stack, erin).post('/portal/team/join', { token });
    const after = await as(portal.stack, erin).get('/portal/admin/teams');
    const reused = await as(portal.stack, bystander).post('/portal/team/join', { token });
    // Assess
    expect(invited.status).toBe(201);
    expect(decodeJwt(token).kind).toBe('admin');
    expect(before).toBe(403);
    expect(joined.body).toMatchObject({ joined: 'admin', permissions: ['portal-admin'] });
    expect(after.status).toBe(200);
    expect(reused.status).toBe(400);
  });

  it('honours the documented one-line command that makes the first admin in the table', async () => {
    // Prepare: what `aws dynamodb update-item ... ADD permissions :p` does, before the user ever opened the portal.
    const user = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
    const db = createDocumentClient({ endpoint: portal.stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: portal.stack.tableName,
        Key: itemKeys.portalMembership(user.userId),
        UpdateExpression: 'ADD #p :p',
        ExpressionAttributeNames: { '#p': 'permissions' },
        ExpressionAttributeValues: { ':p': new Set(['portal-admin']) },
      }),
    );
    // Act
    const team = await as(portal.stack, user).get('/portal/team');
    const listing = await as(portal.stack, user).get('/portal/admin/teams');
    // Assess
    expect(team.body.team.personal).toBe(true);
    expect(team.body.you).toMatchObject({ is_admin: true, permissions: ['portal-admin'] });
    expect(listing.status).toBe(200);
  });
});
