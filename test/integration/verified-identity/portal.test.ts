import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { handler as runTeamCleanup } from '../../../lambdas/handlers/ops/team-cleanup';
import { withFactorSignIn } from '../../support/factors';
import { call } from '../../support/http';
import { verifyEmail } from '../../support/verification';
import { as, clientToken, type PortalStack, type PortalUser, PRODUCTION_APIS, SANDBOX_API, signUp, startPortalStack } from '../portal/helpers';

describe('portal identity: first admins from Auth0, withdrawable invitations, account deletion', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack({ PORTAL_AUTH0_ADMIN_CACHE_SECONDS: '1', TEAM_CLEANUP_WAIT_MS: '1500', PARTNER_MAX_RETRIES: '0' });
  });
  afterAll(() => portal.stop());
  afterEach(() => {
    portal.sandbox.clearFailures();
    portal.production.clearFailures();
  });

  const db = () => createDocumentClient({ endpoint: portal.stack.dynamoDbEndpoint, region: 'us-east-1' });
  const deleteAccount = (user: PortalUser) => {
    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': user.accessToken })).toString('base64url');
    return call(portal.stack.url, 'POST', `/login-flow/delete-account?ctx=${ctx}`);
  };
  const pendingCleanups = async () =>
    (
      await db().send(
        new QueryCommand({
          TableName: portal.stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': itemKeys.cleanupPartition },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('first admin from the production tenant', () => {
    it('makes a verified user whose Auth0 app_metadata.permissions holds portal-admin an admin', async () => {
      // Prepare
      // Admin routes need a session signed in with a second factor (docs/security.md).
      const user = await withFactorSignIn(portal.stack.url, await signUp(portal.stack, {}, { verified: false }));
      portal.production.addUser({ email: user.email.toUpperCase(), app_metadata: { teamId: 'x', permissions: ['portal-admin'] } });
      const api = as(portal.stack, user);

      // Act
      const unverified = await api.get('/portal/team');
      await verifyEmail(portal.stack, user.email);
      const verified = await api.get('/portal/team');
      const adminTeams = await api.get('/portal/admin/teams');

      // Assess
      expect(unverified.body.you.is_admin).toBe(false);
      expect(verified.body.you.is_admin).toBe(true);
      expect(adminTeams.status).toBe(200);
    });

    it('does not make an admin of a user without the permission, and an Auth0 outage never makes one', async () => {
      // Prepare
      const plain = await signUp(portal.stack);
      portal.production.addUser({ email: plain.email, app_metadata: { permissions: ['reader'] } });
      const later = await signUp(portal.stack);
      portal.production.addUser({ email: later.email, app_metadata: { permissions: ['portal-admin'] } });

      // Act
      const notAdmin = await as(portal.stack, plain).get('/portal/team');
      portal.production.failNext(20, { status: 503, path: '/api/v2/users-by-email' });
      const duringOutage = await as(portal.stack, later).get('/portal/team');
      portal.production.clearFailures();
      const afterOutage = await as(portal.stack, later).get('/portal/team');

      // Assess
      expect(notAdmin.body.you.is_admin).toBe(false);
      expect([duringOutage.status, duringOutage.body.you.is_admin]).toEqual([200, false]);
      expect(afterOutage.body.you.is_admin).toBe(true);
    });

    it('follows a permission removed in Auth0 (PATCH app_metadata with null) once the short cache expires', async () => {
      // Prepare
      const user = await signUp(portal.stack);
      const auth0User = portal.production.addUser({ email: user.email, app_metadata: { permissions: ['portal-admin'], teamId: 't1' } });
      const api = as(portal.stack, user);
      expect((await api.get('/portal/team')).body.you.is_admin).toBe(true);

      // Act: as an operator would, through the Management API.
      const token = await fetch(`${portal.production.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: portal.production.managementClientId,
          client_secret: portal.production.managementClientSecret,
          audience: `${portal.production.url}/api/v2/`,
        }),
      }).then((response) => response.json() as Promise<{ access_token: string }>);
      const patched = await fetch(`${portal.production.url}/api/v2/users/${encodeURIComponent(auth0User.user_id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
        body: JSON.stringify({ app_metadata: { permissions: null } }),
      }).then((response) => response.json() as Promise<{ app_metadata: Record<string, unknown> }>);
      await sleep(1100);

      // Assess
      expect(patched.app_metadata).toEqual({ teamId: 't1' });
      expect((await api.get('/portal/team')).body.you.is_admin).toBe(false);
    });
  });

  describe('invitations', () => {
    it('are emailed to the invited address, listed with ids, and can be withdrawn by any member', async () => {
      // Prepare
      const alice = await signUp(portal.stack);
      const bob = await signUp(portal.stack);
      const carol = await signUp(portal.stack);
      const aliceApi = as(portal.stack, alice);
      const bobInvite = await aliceApi.post('/portal/team/invitations', { email: bob.email });
      expect((await as(portal.stack, bob).post('/portal/team/join', { token: bobInvite.body.token })).status).toBe(200);
      const carolInvite = await aliceApi.post('/portal/team/invitations', { email: carol.email });

      // Act
      const listed = await as(portal.stack, bob).get('/portal/team');
      const withdrawn = await as(portal.stack, bob).delete(`/portal/team/invitations/${carolInvite.body.id}`);
      const again = await as(portal.stack, bob).delete(`/portal/team/invitations/${carolInvite.body.id}`);
      const join = await as(portal.stack, carol).post('/portal/team/join', { token: carolInvite.body.token });

      // Assess
      const mail = portal.stack.outbox().find((candidate) => candidate.to === carol.email && candidate.subject.includes('invited you to join a team'));
      expect(carolInvite.body.emailed).toBe(true);
      expect(mail?.links).toEqual([carolInvite.body.invitation_url]);
      expect(listed.body.invitations).toEqual([expect.objectContaining({ id: carolInvite.body.id, email: carol.email })]);
      expect(withdrawn.status).toBe(204);
      expect(again.status).toBe(404);
      expect([join.status, join.body.error]).toEqual([400, 'invalid_invitation']);
      expect((await as(portal.stack, bob).get('/portal/team')).body.invitations).toEqual([]);
    });

    it("die with their sender's membership: removing a member withdraws theirs, and joining checks the sender", async () => {
      // Prepare: Alice's team with Bob; Bob invites Carol and Dave.
      const [alice, bob, carol, dave] = await Promise.all([signUp(portal.stack), signUp(portal.stack), signUp(portal.stack), signUp(portal.stack)]);
      const aliceApi = as(portal.stack, alice);
      const bobInvite = await aliceApi.post('/portal/team/invitations', { email: bob.email });
      await as(portal.stack, bob).post('/portal/team/join', { token: bobInvite.body.token });
      const carolInvite = await as(portal.stack, bob).post('/portal/team/invitations', { email: carol.email });
      const daveInvite = await as(portal.stack, bob).post('/portal/team/invitations', { email: dave.email });
      const aliceInvite = await aliceApi.post('/portal/team/invitations', { email: dave.email });

      // Act
      const removed = await aliceApi.delete(`/portal/team/members/${bob.userId}`);
      const carolJoin = await as(portal.stack, carol).post('/portal/team/join', { token: carolInvite.body.token });
      const daveJoin = await as(portal.stack, dave).post('/portal/team/join', { token: daveInvite.body.token });
      const team = await aliceApi.get('/portal/team');

      // Assess
      expect(removed.status).toBe(204);
      expect(carolJoin.status).toBe(400);
      expect(daveJoin.status).toBe(400);
      expect(team.body.invitations.map((invitation: { id: string }) => invitation.id)).toEqual([aliceInvite.body.id]);
      expect((await as(portal.stack, dave).post('/portal/team/join', { token: aliceInvite.body.token })).status).toBe(200);
    });
  });

  describe('invitations whose sender left', () => {
    it('refuses an invitation whose sender deleted their account, though the invitation itself is still pending', async () => {
      // Prepare: Alice's team with Bob; Bob invites Carol, then deletes his account.
      const [alice, bob, carol] = await Promise.all([signUp(portal.stack), signUp(portal.stack), signUp(portal.stack)]);
      const aliceApi = as(portal.stack, alice);
      const bobInvite = await aliceApi.post('/portal/team/invitations', { email: bob.email });
      await as(portal.stack, bob).post('/portal/team/join', { token: bobInvite.body.token });
      const carolInvite = await as(portal.stack, bob).post('/portal/team/invitations', { email: carol.email });
      expect((await deleteAccount(bob)).status).toBe(200);

      // Act
      const join = await as(portal.stack, carol).post('/portal/team/join', { token: carolInvite.body.token });

      // Assess
      expect([join.status, join.body.error]).toEqual([400, 'invalid_invitation']);
      expect(join.body.formError).toMatch(/no longer in the team/);
    });
  });

  describe('admin invitations whose sender is no longer an admin', () => {
    // What docs/operations.md ("Granting roles by hand") tells an operator to run to add or remove an admin by hand.
    const setStoredAdmin = (user: PortalUser, admin: boolean) =>
      db().send(
        new UpdateCommand({
          TableName: portal.stack.tableName,
          Key: itemKeys.portalMembership(user.userId),
          UpdateExpression: `${admin ? 'ADD' : 'DELETE'} #p :p`,
          ExpressionAttributeNames: { '#p': 'permissions' },
          ExpressionAttributeValues: { ':p': new Set(['portal-admin']) },
        }),
      );

    it('refuses an admin invitation whose sender lost portal-admin, with the answer a withdrawn invitation gets', async () => {
      // Prepare: Alice is an admin by the stored permission (signed in with a second factor); she invites Bob as an admin and Carol to her team.
      const [alice, bob, carol] = await Promise.all([
        signUp(portal.stack).then((user) => withFactorSignIn(portal.stack.url, user)),
        signUp(portal.stack),
        signUp(portal.stack),
      ]);
      const aliceApi = as(portal.stack, alice);
      expect((await aliceApi.get('/portal/team')).status).toBe(200);
      await setStoredAdmin(alice, true);
      const adminInvite = await aliceApi.post('/portal/admin/invitations', { email: bob.email });
      expect(adminInvite.status).toBe(201);
      const teamInvite = await aliceApi.post('/portal/team/invitations', { email: carol.email });
      await aliceApi.delete(`/portal/team/invitations/${teamInvite.body.id}`);
      const withdrawn = await as(portal.stack, carol).post('/portal/team/join', { token: teamInvite.body.token });

      // Act
      await setStoredAdmin(alice, false);
      const join = await as(portal.stack, bob).post('/portal/team/join', { token: adminInvite.body.token });
      const bobAfter = await as(portal.stack, bob).get('/portal/team');

      // Assess
      expect([join.status, join.body.error, join.body.formError]).toEqual([withdrawn.status, withdrawn.body.error, withdrawn.body.formError]);
      expect(join.body.formError).toMatch(/no longer exists/);
      expect(bobAfter.body.you).toMatchObject({ permissions: [], is_admin: false });
    });

    it('accepts an admin invitation from an admin named in Auth0 while Auth0 still names them', async () => {
      // Prepare
      const [sender, invitee] = await Promise.all([signUp(portal.stack).then((user) => withFactorSignIn(portal.stack.url, user)), signUp(portal.stack)]);
      portal.production.addUser({ email: sender.email, app_metadata: { permissions: ['portal-admin'] } });
      const invite = await as(portal.stack, sender).post('/portal/admin/invitations', { email: invitee.email });
      expect(invite.status).toBe(201);

      // Act
      const join = await as(portal.stack, invitee).post('/portal/team/join', { token: invite.body.token });

      // Assess
      expect(join.status).toBe(200);
      expect(join.body).toMatchObject({ joined: 'admin', permissions: ['portal-admin'] });
    });
  });

  describe('account deletion', () => {
    it('deletes the Auth0 clients and grants of a team left without members in both tenants, and the team', async () => {
      // Prepare (production credentials need a recent second factor)
      const owner = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
      const api = as(portal.stack, owner);
      const sandboxCredential = await api.post('/portal/credentials', { name: 'sandbox-app', environment: 'sandbox' });
      const productionCredential = await api.post('/portal/credentials', { name: 'production-app', environment: 'production' });
      expect(await clientToken(portal.sandbox, sandboxCredential.body.client_id, sandboxCredential.body.client_secret, SANDBOX_API)).toBe(200);
      const teamId = (await api.get('/portal/team')).body.team.id;

      // Act
      const deleted = await deleteAccount(owner);

      // Assess
      expect(deleted.status).toBe(200);
      expect(portal.sandbox.clients().map((client) => client.client_id)).not.toContain(sandboxCredential.body.client_id);
      expect(portal.production.clients().map((client) => client.client_id)).not.toContain(productionCredential.body.client_id);
      expect(portal.sandbox.grants().filter((grant) => grant.client_id === sandboxCredential.body.client_id)).toEqual([]);
      expect(await clientToken(portal.sandbox, sandboxCredential.body.client_id, sandboxCredential.body.client_secret, SANDBOX_API)).toBe(401);
      expect(await clientToken(portal.production, productionCredential.body.client_id, productionCredential.body.client_secret, PRODUCTION_APIS[0])).toBe(401);
      expect((await db().send(new GetCommand({ TableName: portal.stack.tableName, Key: itemKeys.team(teamId), ConsistentRead: true }))).Item).toBeUndefined();
      expect((await pendingCleanups()).filter((item) => item.teamId === teamId)).toEqual([]);
    });

    it('still answers 200 while Auth0 is down, records the clean-up, and the scheduled function finishes it once Auth0 is back', async () => {
      // Prepare
      const owner = await signUp(portal.stack);
      const api = as(portal.stack, owner);
      const credential = await api.post('/portal/credentials', { name: 'outage-app', environment: 'sandbox' });
      const teamId = (await api.get('/portal/team')).body.team.id;
      portal.sandbox.failNext(1000, { status: 503, path: '/api/v2/' });

      // Act
      const deleted = await deleteAccount(owner);
      const whileDown = await runTeamCleanup();
      const pendingWhileDown = (await pendingCleanups()).filter((item) => item.teamId === teamId);
      portal.sandbox.clearFailures();
      const afterRecovery = await runTeamCleanup();

      // Assess
      expect(deleted.status).toBe(200);
      expect(whileDown.pending).toBeGreaterThanOrEqual(1);
      expect(pendingWhileDown).toHaveLength(1);
      expect(pendingWhileDown[0].attempts).toBeGreaterThanOrEqual(1);
      expect(afterRecovery).toEqual({ finished: 1, pending: 0 });
      expect(portal.sandbox.clients().map((client) => client.client_id)).not.toContain(credential.body.client_id);
      expect(await clientToken(portal.sandbox, credential.body.client_id, credential.body.client_secret, SANDBOX_API)).toBe(401);
      expect(await pendingCleanups()).toEqual([]);
    });

    it('leaves a team that still has members alone', async () => {
      // Prepare
      const [alice, bob] = await Promise.all([signUp(portal.stack), signUp(portal.stack)]);
      const aliceApi = as(portal.stack, alice);
      const credential = await aliceApi.post('/portal/credentials', { name: 'shared-app', environment: 'sandbox' });
      const invite = await aliceApi.post('/portal/team/invitations', { email: bob.email });
      await as(portal.stack, bob).post('/portal/team/join', { token: invite.body.token });

      // Act
      const deleted = await deleteAccount(alice);

      // Assess
      expect(deleted.status).toBe(200);
      expect(portal.sandbox.clients().map((client) => client.client_id)).toContain(credential.body.client_id);
      expect((await as(portal.stack, bob).get('/portal/credentials')).body.credentials.map((item: { client_id: string }) => item.client_id)).toContain(
        credential.body.client_id,
      );
    });
  });
});
