import { ASTRATO_PATHS, type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { call, post } from '../../support/http';
import { as, clientToken, type PortalStack, type PortalUser, SANDBOX_API, signUp, startPortalStack } from '../portal/helpers';
import { consoleApi, signUpOperator, signUpPortalAdmin } from './helpers';

const TV_CLIENT = 'applicaster-tv';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('the operator console: who may act on whom, partner identities, the cut of a console sign-out', () => {
  let portal: PortalStack;
  let astrato: AstratoSimulator;
  let userAdmin: PortalUser;
  let portalAdmin: PortalUser;
  let asUserAdmin: ReturnType<typeof consoleApi>;
  let asPortalAdmin: ReturnType<typeof consoleApi>;

  beforeAll(async () => {
    astrato = await startAstratoSimulator();
    portal = await startPortalStack({
      DEVICE_CLIENT_IDS: `${TV_CLIENT}=Acme TV`,
      ASTRATO_BASE_URL: astrato.url,
      ASTRATO_CLIENT_ID: astrato.clientId,
      ASTRATO_CLIENT_SECRET: astrato.clientSecret,
      TEAM_CLEANUP_WAIT_MS: '1500',
      // Each racing approval opens a live code: the per-IP window for wrong codes must not cut the burst short.
      ACTIVATE_MAX_FAILURES: '1000',
    });
    userAdmin = await signUpOperator(portal.stack);
    portalAdmin = await signUpPortalAdmin(portal.stack);
    asUserAdmin = consoleApi(portal.stack, userAdmin.accessToken);
    asPortalAdmin = consoleApi(portal.stack, portalAdmin.accessToken);
  });
  afterAll(async () => {
    await portal.stop();
    await astrato.stop();
  });

  const form = (path: string, params: Record<string, string>) =>
    call(portal.stack.url, 'POST', path, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  /** Every console action on one user (the reads of the card and search aside). */
  const actions = (userId: string): [string, string, unknown?][] => [
    ['POST', `/admin/users/${userId}/sign-out`],
    ['DELETE', `/admin/users/${userId}/sessions/AbcdefghijklmnopQRSTUV`],
    ['POST', `/admin/users/${userId}/unlock`],
    ['POST', `/admin/users/${userId}/disable`],
    ['POST', `/admin/users/${userId}/enable`],
    ['POST', `/admin/users/${userId}/verification-email`],
    ['PUT', `/admin/users/${userId}/partners`, { acronis: { login: `self-${userId}` } }],
    ['GET', `/admin/users/${userId}/export`],
    ['DELETE', `/admin/users/${userId}`],
  ];
  const send = (token: string, [method, path, json]: [string, string, unknown?]) =>
    call(portal.stack.url, method, path, { json, headers: { authorization: `Bearer ${token}` } });

  describe('the role order: portal admin > user admin > user', () => {
    it('refuses every console action whose target is the caller with 403 and a clear error, for either role', async () => {
      // Act
      const byUserAdmin = await Promise.all(actions(userAdmin.userId).map((route) => send(userAdmin.accessToken, route)));
      const byPortalAdmin = await Promise.all(actions(portalAdmin.userId).map((route) => send(portalAdmin.accessToken, route)));
      // Assess
      expect(byUserAdmin.map((response) => response.status)).toEqual(Array(9).fill(403));
      expect(byPortalAdmin.map((response) => response.status)).toEqual(Array(9).fill(403));
      expect(byPortalAdmin.map((response) => response.body.error)).toEqual(Array(9).fill('forbidden'));
      expect(byPortalAdmin[0].body.formError).toMatch(/your own account/);
      expect((await asPortalAdmin.get(`/admin/users/${userAdmin.userId}`)).body.disabled_at).toBeNull();
    });

    it('lets a user admin act on users only, and a portal admin on user admins and users, but never on a portal admin', async () => {
      // Prepare
      const otherUserAdmin = await signUpOperator(portal.stack);
      const otherPortalAdmin = await signUpPortalAdmin(portal.stack);
      const user = await signUp(portal.stack);
      // Act
      const userAdminOnUserAdmin = await Promise.all(actions(otherUserAdmin.userId).map((route) => send(userAdmin.accessToken, route)));
      const userAdminOnPortalAdmin = await Promise.all(actions(otherPortalAdmin.userId).map((route) => send(userAdmin.accessToken, route)));
      const portalAdminOnPortalAdmin = await Promise.all(actions(otherPortalAdmin.userId).map((route) => send(portalAdmin.accessToken, route)));
      const userAdminOnUser = await asUserAdmin.post(`/admin/users/${user.userId}/disable`);
      const portalAdminOnUserAdmin = await asPortalAdmin.post(`/admin/users/${otherUserAdmin.userId}/disable`);
      // Assess
      expect(userAdminOnUserAdmin.map((response) => response.status)).toEqual(Array(9).fill(403));
      expect(userAdminOnPortalAdmin.map((response) => response.status)).toEqual(Array(9).fill(403));
      expect(portalAdminOnPortalAdmin.map((response) => response.status)).toEqual(Array(9).fill(403));
      expect(userAdminOnUserAdmin[0].body.formError).toMatch(/Only a portal admin/);
      expect(userAdminOnUser.status).toBe(200);
      expect(portalAdminOnUserAdmin.status).toBe(200);
      expect((await asPortalAdmin.get(`/admin/users/${otherPortalAdmin.userId}`)).body.disabled_at).toBeNull();
    });
  });

  describe('partner identities', () => {
    it('are a portal-admin action: a user admin gets 403 and nothing changes', async () => {
      // Prepare
      const target = await signUp(portal.stack);
      // Act
      const refused = await asUserAdmin.put(`/admin/users/${target.userId}/partners`, { acronis: { login: 'tenant-admin@example.com' } });
      // Assess
      expect(refused.status).toBe(403);
      expect(refused.body.formError).toMatch(/portal admin/);
      expect((await asUserAdmin.get(`/admin/users/${target.userId}`)).body.partners.acronis).toBeNull();
    });

    it('belong to one account: of parallel claims of one Acronis login exactly one wins, and a release (change or deletion) frees it', async () => {
      // Prepare
      const login = `tenant-admin-${Date.now()}@example.com`;
      const accounts = await Promise.all(Array.from({ length: 8 }, () => signUp(portal.stack)));
      // Act
      const claims = await Promise.all(
        accounts.map((account, index) =>
          asPortalAdmin.put(`/admin/users/${account.userId}/partners`, { acronis: { login: index % 2 ? login : login.toUpperCase() } }),
        ),
      );
      const winner = accounts[claims.findIndex((response) => response.status === 200)];
      const losers = accounts.filter((account) => account !== winner);
      const whileHeld = await asPortalAdmin.put(`/admin/users/${losers[0].userId}/partners`, { acronis: { login } });
      const changed = await asPortalAdmin.put(`/admin/users/${winner.userId}/partners`, { acronis: { login: `other-${login}` } });
      const afterChange = await asPortalAdmin.put(`/admin/users/${losers[0].userId}/partners`, { acronis: { login } });
      const deleted = await asPortalAdmin.delete(`/admin/users/${losers[0].userId}`);
      const afterDeletion = await asPortalAdmin.put(`/admin/users/${losers[1].userId}/partners`, { acronis: { login } });
      // Assess
      expect(claims.map((response) => response.status).sort()).toEqual([200, ...Array(7).fill(409)]);
      expect(claims.find((response) => response.status === 409)?.body.formError).toMatch(/Another account already has this acronis login/);
      expect(whileHeld.status).toBe(409);
      expect([changed.status, afterChange.status, deleted.status, afterDeletion.status]).toEqual([200, 200, 204, 200]);
      const trail = await asPortalAdmin.get(`/admin/audit?userId=${winner.userId}&limit=5`);
      expect(trail.body.entries.find((entry: { action: string }) => entry.action === 'set-partners').changes).toEqual({
        'attributes.acronis': { before: { login: expect.stringMatching(new RegExp(login, 'i')) }, after: { login: `other-${login}` } },
      });
    });

    it('reach Astrato as set: the groups and [table].[column] filters an operator sets are in the ticket request, and prototype names are refused', async () => {
      // Prepare
      const user = await signUp(portal.stack);
      const astratoIdentity = { groups: ['finance'], filters: { '[orders].[region]': 'emea', plant: ['berlin', 'lyon'] } };
      // Act
      const set = await asPortalAdmin.put(`/admin/users/${user.userId}/partners`, { astrato: astratoIdentity });
      const handOff = await post(portal.stack.url, '/sso/astrato', undefined, { authorization: `Bearer ${user.accessToken}` });
      const badNames = await Promise.all(
        ['{"constructor": "x"}', '{"__proto__": "x"}', '{"__proto__": {"polluted": "yes"}}'].map((filters) =>
          call(portal.stack.url, 'PUT', `/admin/users/${user.userId}/partners`, {
            body: `{"astrato": {"groups": [], "filters": ${filters}}}`,
            headers: { authorization: `Bearer ${portalAdmin.accessToken}`, 'content-type': 'application/json' },
          }),
        ),
      );
      // Assess
      expect(set.status).toBe(200);
      expect(handOff.status).toBe(200);
      expect(astrato.calls(ASTRATO_PATHS.setup)).toBeGreaterThan(0);
      expect(astrato.setups().at(-1)).toEqual({ email: user.email, groupIds: ['finance'], filterParameters: astratoIdentity.filters });
      expect(badNames.map((response) => response.status)).toEqual([400, 400, 400]);
      expect((await asPortalAdmin.get(`/admin/users/${user.userId}`)).body.partners.astrato).toEqual(astratoIdentity);
    });
  });

  describe('audit of reads', () => {
    it("records every operator read of a user's data: search, card, export and the audit list", async () => {
      // Prepare
      const user = await signUp(portal.stack);
      const reader = await signUpOperator(portal.stack);
      const api = consoleApi(portal.stack, reader.accessToken);
      // Act
      await api.get(`/admin/users?email=${encodeURIComponent(user.email)}`);
      await api.get(`/admin/users/${user.userId}`);
      await api.get(`/admin/users/${user.userId}/export`);
      await api.get(`/admin/audit?userId=${user.userId}`);
      const trail = await asPortalAdmin.get(`/admin/audit?userId=${user.userId}&actor=${reader.userId}`);
      // Assess
      expect(trail.body.entries.map((entry: { action: string }) => entry.action)).toEqual(['audit-read', 'export', 'view', 'search']);
      expect(trail.body.entries[3]).toMatchObject({ actor_id: reader.userId, target_user_id: user.userId, target_email: user.email });
    });
  });

  describe('console deletion', () => {
    it('runs the partner clean-up in the request: the production and sandbox credentials of a team whose last member it was stop working', async () => {
      // Prepare
      const owner = await signUp(portal.stack);
      const api = as(portal.stack, owner);
      const sandbox = await api.post('/portal/credentials', { name: 'sandbox-app', environment: 'sandbox' });
      const production = await api.post('/portal/credentials', { name: 'production-app', environment: 'production' });
      expect(await clientToken(portal.sandbox, sandbox.body.client_id, sandbox.body.client_secret, SANDBOX_API)).toBe(200);
      // Act
      const deleted = await asUserAdmin.delete(`/admin/users/${owner.userId}`);
      // Assess
      expect(deleted.status).toBe(204);
      expect(portal.sandbox.clients().map((client) => client.client_id)).not.toContain(sandbox.body.client_id);
      expect(portal.production.clients().map((client) => client.client_id)).not.toContain(production.body.client_id);
      expect(portal.production.grants().filter((grant) => grant.client_id === production.body.client_id)).toEqual([]);
      expect(await clientToken(portal.sandbox, sandbox.body.client_id, sandbox.body.client_secret, SANDBOX_API)).toBe(401);
    });
  });

  describe('console sign-out', () => {
    /** A thief holding the victim's access token approves TV codes while support signs the victim out. */
    async function raceRound(victim: PortalUser, approvals: number) {
      const started = await Promise.all(Array.from({ length: approvals }, () => form('/oauth/device_authorization', { client_id: TV_CLIENT })));
      const approve = (userCode: string) =>
        post(portal.stack.url, '/activate/decision', { user_code: userCode, decision: 'approve' }, { authorization: `Bearer ${victim.accessToken}` });
      const racing = started.map((grant, index) => new Promise((resolve) => setTimeout(resolve, index * 3)).then(() => approve(grant.body.user_code)));
      const signOut = new Promise((resolve) => setTimeout(resolve, approvals)).then(() => asUserAdmin.post(`/admin/users/${victim.userId}/sign-out`));
      const [decisions, signedOut] = await Promise.all([Promise.all(racing), signOut]);
      expect(signedOut.status).toBe(200);
      // Every TV now polls; whatever tokens come out must not work.
      const polls = await Promise.all(
        started.map((grant) => form('/oauth/token', { grant_type: DEVICE_GRANT, device_code: grant.body.device_code, client_id: TV_CLIENT })),
      );
      const issued = polls.filter((poll) => poll.status === 200);
      const working = await Promise.all(
        issued.map(async (poll) => {
          const me = await call(portal.stack.url, 'GET', '/login-flow/me', { headers: { authorization: `Bearer ${poll.body.access_token}` } });
          const refresh = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: poll.body.refresh_token, client_id: TV_CLIENT });
          return me.status === 200 || refresh.status === 200;
        }),
      );
      return { approved: decisions.filter((decision) => decision.status === 200).length, survivors: working.filter(Boolean).length };
    }

    it('leaves 0 working TV sessions when approvals with the victim token race the console sign-out', async () => {
      // Prepare
      const rounds = [];
      // Act
      for (let round = 0; round < 3; round += 1) {
        const victim = await signUp(portal.stack);
        // A stolen token is older than the cut: "sessions not before" and `iat` count whole seconds (docs/security.md).
        await new Promise((resolve) => setTimeout(resolve, 1100));
        rounds.push(await raceRound(victim, 16));
      }
      // Assess
      expect(rounds.map((round) => round.survivors)).toEqual([0, 0, 0]);
      // The race is real: some approvals landed before the cut in some round.
      expect(rounds.some((round) => round.approved > 0)).toBe(true);
    });

    it("is the user's own sign-out everywhere: the victim's access token, refresh token and pending TV approvals all stop at once", async () => {
      // Prepare
      const victim = await signUp(portal.stack);
      const grant = await form('/oauth/device_authorization', { client_id: TV_CLIENT });
      // Act
      const signedOut = await asUserAdmin.post(`/admin/users/${victim.userId}/sign-out`);
      const approval = await post(
        portal.stack.url,
        '/activate/decision',
        { user_code: grant.body.user_code, decision: 'approve' },
        { authorization: `Bearer ${victim.accessToken}` },
      );
      const refresh = await post(portal.stack.url, '/login-flow/refresh', { refresh_token: victim.refreshToken });
      const me = await call(portal.stack.url, 'GET', '/login-flow/me', { headers: { authorization: `Bearer ${victim.accessToken}` } });
      // Assess
      expect(signedOut.status).toBe(200);
      expect([approval.status, refresh.status, me.status]).toEqual([401, 403, 401]);
    });
  });
});
