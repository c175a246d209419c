import { randomUUID } from 'node:crypto';
import { withFactorSignIn } from '../../support/factors';
import { call } from '../../support/http';
import { as, clientToken, type PortalStack, PRODUCTION_APIS, SANDBOX_API, signUp, startPortalStack } from './helpers';

describe('the portal credential endpoints', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack();
  });
  afterAll(() => portal.stop());

  it('runs the whole life cycle in both environments: create, list, rotate, delete', async () => {
    // Prepare (production credentials need a recent second factor)
    const user = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
    const api = as(portal.stack, user);
    for (const [environment, tenant, audiences] of [
      ['sandbox', portal.sandbox, [SANDBOX_API]],
      ['production', portal.production, PRODUCTION_APIS],
    ] as const) {
      // Act: create
      const created = await api.post('/portal/credentials', { name: `Billing ${environment}`, environment });
      // Assess: the answer, and the client and grants in Auth0 exactly as the contract describes them
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        client_id: expect.any(String),
        client_secret: expect.any(String),
        environment,
        token_url: `${tenant.url}/oauth/token`,
        audiences: [...audiences],
      });
      const client = tenant.clients().find((candidate) => candidate.client_id === created.body.client_id);
      expect(client).toMatchObject({
        name: `Billing ${environment}`,
        app_type: 'non_interactive',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
        client_metadata: expect.objectContaining({ teamId: expect.any(String), createdBy: user.userId, portal: 'loginbridge' }),
      });
      expect(
        tenant
          .grants()
          .filter((grant) => grant.client_id === created.body.client_id)
          .map((grant) => grant.audience)
          .sort(),
      ).toEqual([...audiences].sort());
      expect(await clientToken(tenant, created.body.client_id, created.body.client_secret, audiences[0])).toBe(200);

      // Act: list
      const listed = await api.get('/portal/credentials');
      // Assess: listed with its APIs, never with a secret
      expect(listed.status).toBe(200);
      const entry = listed.body.credentials.find((credential: { client_id: string }) => credential.client_id === created.body.client_id);
      expect(entry).toEqual({
        client_id: created.body.client_id,
        name: `Billing ${environment}`,
        environment,
        audiences: expect.arrayContaining([...audiences]),
        created_at: expect.any(String),
        created_by: user.userId,
      });
      expect(listed.text).not.toContain(created.body.client_secret);
      expect(listed.body.environments[environment]).toMatchObject({ available: true, token_url: `${tenant.url}/oauth/token` });

      // Act: rotate
      const rotated = await api.post(`/portal/credentials/${created.body.client_id}/rotate`);
      // Assess: a new secret that works; the old one no longer does
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({ client_id: created.body.client_id, client_secret: expect.any(String), environment });
      expect(rotated.body.client_secret).not.toBe(created.body.client_secret);
      expect(await clientToken(tenant, created.body.client_id, created.body.client_secret, audiences[0])).toBe(401);
      expect(await clientToken(tenant, created.body.client_id, rotated.body.client_secret, audiences[0])).toBe(200);

      // Act: delete
      const deleted = await api.delete(`/portal/credentials/${created.body.client_id}`);
      // Assess: the client and its grants are gone
      expect(deleted.status).toBe(204);
      expect(tenant.clients().some((candidate) => candidate.client_id === created.body.client_id)).toBe(false);
      expect(tenant.grants().some((grant) => grant.client_id === created.body.client_id)).toBe(false);
      expect(await clientToken(tenant, created.body.client_id, rotated.body.client_secret, audiences[0])).toBe(401);
      expect((await api.get('/portal/credentials')).body.credentials).toEqual([]);
      expect((await api.delete(`/portal/credentials/${created.body.client_id}`)).status).toBe(404);
    }
    // Team caching: one management token per tenant for everything above (and any earlier test).
    expect(portal.sandbox.counters.managementTokens).toBe(1);
    expect(portal.production.counters.managementTokens).toBe(1);
  });

  it("keeps each team to its own clients: another team's, or ones the portal did not create, are 404", async () => {
    // Prepare
    const alice = await signUp(portal.stack);
    const bob = await signUp(portal.stack);
    const mine = (await as(portal.stack, alice).post('/portal/credentials', { name: 'Alice service', environment: 'sandbox' })).body;
    const aliceTeam = portal.sandbox.clients().find((client) => client.client_id === mine.client_id)?.client_metadata.teamId as string;
    // A client made in the Auth0 dashboard, even one tagged with Alice's team, is not the portal's.
    const foreign = portal.sandbox.addClient({ name: 'Dashboard client', client_metadata: { teamId: aliceTeam } });
    const bobApi = as(portal.stack, bob);
    const aliceApi = as(portal.stack, alice);
    // Act
    const bobList = await bobApi.get('/portal/credentials');
    const attempts = [
      await bobApi.post(`/portal/credentials/${mine.client_id}/rotate`),
      await bobApi.delete(`/portal/credentials/${mine.client_id}`),
      await aliceApi.post(`/portal/credentials/${foreign.client_id}/rotate`),
      await aliceApi.delete(`/portal/credentials/${foreign.client_id}`),
      await aliceApi.delete('/portal/credentials/does-not-exist'),
    ];
    // Assess
    expect(bobList.body.credentials).toEqual([]);
    for (const attempt of attempts) expect(attempt.body).toMatchObject({ status: 404, error: 'not_found' });
    expect((await aliceApi.get('/portal/credentials')).body.credentials.map((credential: { client_id: string }) => credential.client_id)).toEqual([
      mine.client_id,
    ]);
    expect(portal.sandbox.clients().find((client) => client.client_id === mine.client_id)?.client_secret).toBe(mine.client_secret);
    expect(portal.sandbox.clients().some((client) => client.client_id === foreign.client_id)).toBe(true);
  });

  it('refuses a production credential to a session without a recent second factor (403 step_up_required), not a sandbox one', async () => {
    const api = as(portal.stack, await signUp(portal.stack));

    const production = await api.post('/portal/credentials', { name: 'Prod', environment: 'production' });
    const sandbox = await api.post('/portal/credentials', { name: 'Sandbox', environment: 'sandbox' });

    expect(production.status).toBe(403);
    expect(production.body.error).toBe('step_up_required');
    expect(sandbox.status).toBe(201);
  });

  it('deletes the client when its grant fails, then answers 502 without leaving an orphan', async () => {
    // Prepare
    const api = as(portal.stack, await withFactorSignIn(portal.stack.url, await signUp(portal.stack)));
    const clientsBefore = portal.production.clients().length;
    const grantsBefore = portal.production.grants().length;
    portal.production.failNextClientGrant(500);
    // Act
    const response = await api.post('/portal/credentials', { name: 'Doomed', environment: 'production' });
    // Assess
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ status: 502, error: 'partner_unavailable', formError: expect.stringContaining('Auth0 production') });
    expect(portal.production.clients().length).toBe(clientsBefore);
    expect(portal.production.grants().length).toBe(grantsBefore);
    expect((await api.get('/portal/credentials')).body.credentials).toEqual([]);
    expect((await api.get('/portal/team')).body.team.credential_count).toBe(0);
  });

  it('removes the grants already made when a later grant fails', async () => {
    // Prepare: production has two APIs; the first grant goes through, the second is refused.
    const api = as(portal.stack, await withFactorSignIn(portal.stack.url, await signUp(portal.stack)));
    const clientsBefore = portal.production.clients().length;
    const grantsBefore = portal.production.grants().length;
    portal.production.failNext(1, { delayMs: 1, path: '/api/v2/client-grants', method: 'POST' });
    portal.production.failNext(1, { status: 400, path: '/api/v2/client-grants', method: 'POST' });
    // Act
    const response = await api.post('/portal/credentials', { name: 'Half', environment: 'production' });
    // Assess
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      error: 'partner_rejected',
      formError: expect.stringContaining('Auth0 production refused to grant the client access'),
    });
    expect(portal.production.clients().length).toBe(clientsBefore);
    expect(portal.production.grants().length).toBe(grantsBefore);
  });

  it('returns the first result for a retried POST with the same Idempotency-Key, secret included, and creates one client', async () => {
    // Prepare
    const user = await signUp(portal.stack);
    const api = as(portal.stack, user);
    const key = randomUUID();
    const before = portal.sandbox.clients().length;
    // Act
    const first = await api.post('/portal/credentials', { name: 'Retried', environment: 'sandbox' }, { 'Idempotency-Key': key });
    const retry = await api.post('/portal/credentials', { name: 'Retried', environment: 'sandbox' }, { 'Idempotency-Key': key });
    const otherRequest = await api.post('/portal/credentials', { name: 'Something else', environment: 'sandbox' }, { 'Idempotency-Key': key });
    const otherUser = await as(portal.stack, await signUp(portal.stack)).post(
      '/portal/credentials',
      { name: 'Retried', environment: 'sandbox' },
      { 'Idempotency-Key': key },
    );
    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(otherRequest.status).toBe(400);
    expect(otherRequest.body).toMatchObject({ error: 'idempotency_key_reused' });
    // The key is scoped to its user: another user's request with the same key is a request of its own.
    expect(otherUser.status).toBe(201);
    expect(otherUser.body.client_id).not.toBe(first.body.client_id);
    expect(portal.sandbox.clients().length).toBe(before + 2);
  });

  it('releases the key after a failure, so the same Idempotency-Key can be retried', async () => {
    // Prepare
    const api = as(portal.stack, await signUp(portal.stack));
    const key = randomUUID();
    portal.sandbox.failNextClientGrant();
    // Act
    const failed = await api.post('/portal/credentials', { name: 'Second try', environment: 'sandbox' }, { 'Idempotency-Key': key });
    const retried = await api.post('/portal/credentials', { name: 'Second try', environment: 'sandbox' }, { 'Idempotency-Key': key });
    // Assess
    expect(failed.status).toBe(502);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses an Idempotency-Key too short to protect a stored secret', async () => {
    const response = await as(portal.stack, await signUp(portal.stack)).post(
      '/portal/credentials',
      { name: 'x', environment: 'sandbox' },
      { 'Idempotency-Key': 'abc' },
    );

    expect(response.status).toBe(400);
    expect(response.body.fieldErrors).toHaveProperty('Idempotency-Key');
  });

  it('waits out a 429 until x-ratelimit-reset and succeeds', async () => {
    // Prepare
    const api = as(portal.stack, await signUp(portal.stack));
    portal.sandbox.failNext(1, { status: 429, path: '/api/v2/clients', method: 'GET', resetInSeconds: 1 });
    const started = Date.now();
    // Act
    const response = await api.get('/portal/credentials');
    // Assess
    expect(response.status).toBe(200);
    expect(response.body.environments.sandbox.available).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('answers 503 with Retry-After when Auth0 stays rate-limited beyond the bound', async () => {
    // Prepare
    const api = as(portal.stack, await signUp(portal.stack));
    portal.sandbox.failNext(5, { status: 429, path: '/api/v2/clients', resetInSeconds: 60 });
    // Act
    const response = await api.post('/portal/credentials', { name: 'Busy', environment: 'sandbox' });
    portal.sandbox.clearFailures();
    // Assess
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'partner_busy', formError: expect.stringContaining('Auth0 sandbox') });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    expect(portal.sandbox.clients().some((client) => client.name === 'Busy')).toBe(false);
  });

  it('reports a failing tenant in the listing while the other still answers, and 502 when creating there', async () => {
    // Prepare
    const api = as(portal.stack, await withFactorSignIn(portal.stack.url, await signUp(portal.stack)));
    await api.post('/portal/credentials', { name: 'Still here', environment: 'sandbox' });
    portal.production.failNext(10, { status: 500, path: '/api/v2/clients' });
    // Act
    const listed = await api.get('/portal/credentials');
    const created = await api.post('/portal/credentials', { name: 'Nope', environment: 'production' });
    portal.production.clearFailures();
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.credentials.map((credential: { name: string }) => credential.name)).toEqual(['Still here']);
    expect(listed.body.environments.production).toMatchObject({ available: false, message: expect.stringContaining('Auth0 production') });
    expect(created.status).toBe(502);
    expect(created.text).not.toContain(portal.production.managementClientSecret);
  });

  it('validates the body: wrong types, unknown environments, malformed JSON, oversized bodies; ignores unknown fields', async () => {
    const user = await signUp(portal.stack);
    const api = as(portal.stack, user);
    const authorization = { authorization: `Bearer ${user.accessToken}` };

    const wrongEnvironment = await api.post('/portal/credentials', { name: 'x', environment: 'staging' });
    const wrongType = await api.post('/portal/credentials', { name: 42, environment: 'sandbox' });
    const badName = await api.post('/portal/credentials', { name: '<script>', environment: 'sandbox' });
    const malformed = await call(portal.stack.url, 'POST', '/portal/credentials', {
      body: '{"name":',
      headers: { ...authorization, 'content-type': 'application/json' },
    });
    const oversized = await call(portal.stack.url, 'POST', '/portal/credentials', {
      json: { name: 'x', environment: 'sandbox', pad: 'x'.repeat(20_000) },
      headers: authorization,
    });
    const extra = await api.post('/portal/credentials', { name: 'Extra', environment: 'Sandbox', platform: 'roku' });

    expect(wrongEnvironment.body).toMatchObject({ status: 400, error: 'invalid_request', fieldErrors: { environment: expect.any(String) } });
    expect(wrongType.body).toMatchObject({ status: 400, fieldErrors: { name: expect.any(String) } });
    expect(badName.body).toMatchObject({ status: 400, fieldErrors: { name: expect.any(String) } });
    expect(malformed.body).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(oversized.status).toBe(413);
    expect(extra.status).toBe(201);
    expect(extra.body.environment).toBe('sandbox');
  });

  it.each([
    ['GET', '/portal/credentials'],
    ['POST', '/portal/credentials'],
    ['POST', '/portal/credentials/abc/rotate'],
    ['DELETE', '/portal/credentials/abc'],
    ['GET', '/portal/team'],
    ['POST', '/portal/team/invitations'],
    ['POST', '/portal/team/join'],
    ['DELETE', '/portal/team/members/abc'],
    ['GET', '/portal/admin/teams'],
    ['POST', '/portal/admin/invitations'],
  ])('answers %s %s without a valid access token with 401', async (method, path) => {
    const missing = await call(portal.stack.url, method, path, { json: method === 'POST' ? {} : undefined });
    const forged = await call(portal.stack.url, method, path, { headers: { authorization: 'Bearer not.a.token' } });

    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(forged.status).toBe(401);
  });

  it('still used one management token per tenant after every test above', () => {
    expect(portal.sandbox.counters.managementTokens).toBe(1);
    expect(portal.production.counters.managementTokens).toBe(1);
  });
});
