import { type Auth0Simulator, mergeMetadata, startAuth0Simulator } from '../../../../local/simulators/auth0';

describe('the Auth0 simulator: users and app_metadata', () => {
  let tenant: Auth0Simulator;
  let narrow: Auth0Simulator;
  beforeAll(async () => {
    tenant = await startAuth0Simulator({ tenant: 'production' });
    narrow = await startAuth0Simulator({ tenant: 'narrow', managementScopes: ['read:users'] });
  });
  afterAll(async () => {
    await tenant.stop();
    await narrow.stop();
  });

  const tokenOf = async (sim: Auth0Simulator) =>
    (
      (await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: sim.managementClientId,
          client_secret: sim.managementClientSecret,
          audience: `${sim.url}/api/v2/`,
        }),
      }).then((response) => response.json())) as { access_token: string }
    ).access_token;

  const api = async (sim: Auth0Simulator, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenOf(sim)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('merges app_metadata as Auth0 documents: top-level keys merge, nested objects are replaced, null removes a key', () => {
    expect(mergeMetadata({ a: 1, nested: { x: 1, y: 2 }, gone: true }, { b: 2, nested: { z: 3 }, gone: null })).toEqual({ a: 1, b: 2, nested: { z: 3 } });
  });

  it('finds users by their exact stored (lower-cased) email, with app_metadata', async () => {
    // Prepare
    const user = tenant.addUser({ email: 'Ada@Example.com', app_metadata: { permissions: ['portal-admin'] } });

    // Act
    const found = await api(tenant, 'GET', '/api/v2/users-by-email?email=ada%40example.com');
    const otherCase = await api(tenant, 'GET', '/api/v2/users-by-email?email=Ada%40Example.com');
    const missing = await api(tenant, 'GET', '/api/v2/users-by-email');

    // Assess
    expect(found.status).toBe(200);
    expect(found.body).toEqual([expect.objectContaining({ user_id: user.user_id, email: 'ada@example.com', app_metadata: { permissions: ['portal-admin'] } })]);
    expect(otherCase.body).toEqual([]);
    expect([missing.status, missing.body.errorCode]).toEqual([400, 'invalid_query_string']);
  });

  it('shows app_metadata only to tokens with read:users_app_metadata', async () => {
    // Prepare
    narrow.addUser({ email: 'bob@example.com', app_metadata: { permissions: ['portal-admin'] } });

    // Act
    const found = await api(narrow, 'GET', '/api/v2/users-by-email?email=bob%40example.com');

    // Assess
    expect(found.body).toHaveLength(1);
    expect(found.body[0].app_metadata).toBeUndefined();
  });

  it('patches users with the merge semantics, refuses unknown properties, and answers 404 for unknown users', async () => {
    // Prepare
    const user = tenant.addUser({ email: 'carol@example.com', app_metadata: { teamId: 't1', permissions: ['portal-admin'], prefs: { a: 1 } } });

    // Act
    const patched = await api(tenant, 'PATCH', `/api/v2/users/${encodeURIComponent(user.user_id)}`, {
      app_metadata: { permissions: null, prefs: { b: 2 }, plan: 'pro' },
    });
    const unknownProperty = await api(tenant, 'PATCH', `/api/v2/users/${encodeURIComponent(user.user_id)}`, { roles: ['x'] });
    const unknownUser = await api(tenant, 'PATCH', '/api/v2/users/auth0%7Cnobody', { app_metadata: {} });
    const notAnObject = await api(tenant, 'PATCH', `/api/v2/users/${encodeURIComponent(user.user_id)}`, { app_metadata: ['x'] });

    // Assess
    expect(patched.status).toBe(200);
    expect(patched.body.app_metadata).toEqual({ teamId: 't1', prefs: { b: 2 }, plan: 'pro' });
    expect(unknownProperty.status).toBe(400);
    expect(unknownUser.status).toBe(404);
    expect(notAnObject.status).toBe(400);
  });

  it('creates users only with a connection, and refuses a second user with the same email on a connection', async () => {
    // Act
    const created = await api(tenant, 'POST', '/api/v2/users', {
      connection: 'Username-Password-Authentication',
      email: 'Dave@Example.com',
      password: 'x',
      app_metadata: { permissions: [] },
    });
    const duplicate = await api(tenant, 'POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 'dave@example.com', password: 'x' });
    const noConnection = await api(tenant, 'POST', '/api/v2/users', { email: 'erin@example.com' });

    // Assess
    expect([created.status, created.body.email, created.body.user_id]).toEqual([201, 'dave@example.com', expect.stringMatching(/^auth0\|/)]);
    expect(duplicate.status).toBe(409);
    expect(noConnection.status).toBe(400);
  });
});
