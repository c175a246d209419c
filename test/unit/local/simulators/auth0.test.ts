import { type Auth0Simulator, startAuth0Simulator } from '../../../../local/simulators/auth0';

describe('the Auth0 Management API simulator', () => {
  let tenant: Auth0Simulator;
  let token: string;
  beforeAll(async () => {
    tenant = await startAuth0Simulator({ resourceServers: ['https://api.example.com'] });
    const response = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: tenant.managementClientId,
        client_secret: tenant.managementClientSecret,
        audience: `${tenant.url}/api/v2/`,
      }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  afterAll(() => tenant.stop());

  const api = async (method: string, path: string, body?: unknown, bearer = token) => {
    const response = await fetch(`${tenant.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  it('issues management tokens only for its own Management API audience, in either URL form', async () => {
    const host = new URL(tenant.url).host;
    const ask = (audience: string, secret = tenant.managementClientSecret) =>
      fetch(`${tenant.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: tenant.managementClientId, client_secret: secret, audience }),
      }).then((response) => response.status);

    expect(await ask(`https://${host}/api/v2/`)).toBe(200);
    expect(await ask('https://other.example.com/api/v2/')).toBe(403);
    expect(await ask(`${tenant.url}/api/v2/`, 'wrong')).toBe(401);
  });

  it('enforces the documented client body: no unknown properties, known enums, string metadata', async () => {
    const valid = {
      name: 'svc',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      client_metadata: { teamId: 't1' },
    };

    expect((await api('POST', '/api/v2/clients', valid)).status).toBe(201);
    expect((await api('POST', '/api/v2/clients', { ...valid, teamId: 't1' })).body).toMatchObject({
      statusCode: 400,
      errorCode: 'invalid_body',
      message: expect.stringContaining('Additional properties'),
    });
    expect((await api('POST', '/api/v2/clients', { ...valid, app_type: 'm2m' })).status).toBe(400);
    expect((await api('POST', '/api/v2/clients', { ...valid, token_endpoint_auth_method: 'private_key_jwt_x' })).status).toBe(400);
    expect((await api('POST', '/api/v2/clients', { ...valid, client_metadata: { count: 1 } })).body.message).toContain('Expected type string');
    expect((await api('POST', '/api/v2/clients', { ...valid, name: '<b>' })).status).toBe(400);
  });

  it('enforces client grants: an existing client, a known API, a scope list, one grant per client and API', async () => {
    const client = tenant.addClient({ name: 'grantee' });

    expect((await api('POST', '/api/v2/client-grants', { client_id: client.client_id, audience: 'https://api.example.com', scope: ['read:x'] })).status).toBe(
      201,
    );
    expect((await api('POST', '/api/v2/client-grants', { client_id: client.client_id, audience: 'https://api.example.com', scope: [] })).status).toBe(409);
    expect(
      (await api('POST', '/api/v2/client-grants', { client_id: client.client_id, audience: 'https://unknown.example.com', scope: [] })).body.errorCode,
    ).toBe('inexistent_resource_server');
    expect((await api('POST', '/api/v2/client-grants', { client_id: client.client_id, audience: 'https://api.example.com' })).status).toBe(400);
    expect((await api('POST', '/api/v2/client-grants', { client_id: 'nope', audience: 'https://api.example.com', scope: [] })).status).toBe(404);
  });

  it('paginates with include_totals and refuses per_page above 100', async () => {
    const page = await api('GET', '/api/v2/clients?per_page=1&page=0&include_totals=true');
    const plain = await api('GET', '/api/v2/clients?per_page=1');

    expect(page.body).toMatchObject({ start: 0, limit: 1, length: 1, total: expect.any(Number), clients: [expect.any(Object)] });
    expect(Array.isArray(plain.body)).toBe(true);
    expect((await api('GET', '/api/v2/clients?per_page=101')).status).toBe(400);
    expect(page.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
  });

  it('refuses requests without a valid management token', async () => {
    expect((await api('GET', '/api/v2/clients', undefined, 'forged')).status).toBe(401);
  });

  it('answers 429 with x-ratelimit-reset when told to, and counts calls', async () => {
    tenant.failNext(1, { status: 429, path: '/api/v2/clients', resetInSeconds: 5 });
    const limited = await api('GET', '/api/v2/clients');

    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 3);
    expect(tenant.counters.calls['GET /api/v2/clients']).toBeGreaterThan(0);
  });

  it('answers a missing token 401 "Missing authentication", a token without the scope 403, both in the Management API error shape', async () => {
    const scoped = await startAuth0Simulator({ managementScopes: ['read:clients'] });
    const tokenResponse = await fetch(`${scoped.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: scoped.managementClientId,
        client_secret: scoped.managementClientSecret,
        audience: `${scoped.url}/api/v2/`,
      }),
    });
    const readOnly = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const missing = await fetch(`${scoped.url}/api/v2/clients`);
    const forbidden = await fetch(`${scoped.url}/api/v2/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'svc' }),
    });
    await scoped.stop();

    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing authentication' });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', errorCode: 'insufficient_scope' });
    expect(scoped.clients()).toEqual([]);
  });

  it('sends the x-ratelimit-* headers on every answer, errors and the token endpoint included', async () => {
    const refused = await api('GET', '/api/v2/clients', undefined, 'forged');
    const unknown = await api('GET', '/api/v2/nothing-here');
    const tokenAnswer = await fetch(`${tenant.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    for (const headers of [refused.headers, unknown.headers, tokenAnswer.headers]) {
      expect(headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
  });

  it('limits a tenant to its plan: past the budget of the window a 429 with no requests remaining', async () => {
    const limited = await startAuth0Simulator({ rateLimitPerWindow: 2 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      last = await fetch(`${limited.url}/api/v2/clients`);
      statuses.push(last.status);
    }
    await limited.stop();

    expect(statuses).toEqual([401, 401, 429]);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('2');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await last?.json()).toMatchObject({ statusCode: 429, errorCode: 'too_many_requests' });
  });

  it('serves the kit control endpoints: a fault added over HTTP answers in the Auth0 shape, reset forgets what the tenant stored', async () => {
    const other = await startAuth0Simulator();
    other.addClient({ name: 'dashboard client' });
    await fetch(`${other.url}/__simulator/faults`, { method: 'POST', body: JSON.stringify({ kind: 'server-error', status: 503, path: '/api/v2/clients' }) });
    const failing = await fetch(`${other.url}/api/v2/clients`);
    await fetch(`${other.url}/__simulator/reset`, { method: 'POST' });
    const clientsAfterReset = other.clients();
    await other.stop();

    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ statusCode: 503, error: 'Internal Server Error' });
    expect(clientsAfterReset).toEqual([]);
  });
});
