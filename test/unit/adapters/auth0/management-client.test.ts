import { EnvTenantCredentials, type TenantCredentialSource, tenantBaseUrl } from '../../../../lambdas/adapters/auth0/credentials';
import { Auth0ManagementClient } from '../../../../lambdas/adapters/auth0/management-client';
import {
  PartnerBusyError,
  PartnerProtocolError,
  PartnerRejectedError,
  PartnerTimeoutError,
  PartnerUnavailableError,
  ServiceUnavailableError,
} from '../../../../lambdas/core/errors';
import { type Auth0Simulator, type Auth0SimulatorOptions, startAuth0Simulator } from '../../../../local/simulators/auth0';

const RETRY = { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 2500 };

function setUp(
  tenant: Auth0Simulator,
  overrides: { secret?: string; timeoutMs?: number; clock?: { now(): number }; fetch?: typeof fetch; sleeps?: number[] } = {},
) {
  let reloads = 0;
  const source = new EnvTenantCredentials('sandbox', {
    ...tenant.env('SANDBOX'),
    ...(overrides.secret ? { SANDBOX_AUTH0_MANAGEMENT_CLIENT_SECRET: overrides.secret } : {}),
  });
  const credentials: TenantCredentialSource = { setting: source.setting, get: () => source.get(), reload: () => ((reloads += 1), source.reload()) };
  const client = new Auth0ManagementClient({
    environment: 'sandbox',
    credentials,
    clock: overrides.clock ?? { now: () => Date.now() },
    timeoutMs: overrides.timeoutMs ?? 2000,
    retry: RETRY,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    ...(overrides.sleeps ? { sleep: async (ms: number) => void overrides.sleeps?.push(ms) } : {}),
  });
  return { client, reloads: () => reloads };
}

describe('Auth0ManagementClient against the Auth0 simulator', () => {
  const started: Auth0Simulator[] = [];
  const simulator = async (options: Auth0SimulatorOptions = {}) => {
    const tenant = await startAuth0Simulator(options);
    started.push(tenant);
    return tenant;
  };
  afterAll(() => Promise.all(started.map((tenant) => tenant.stop())));

  it('reads every page of clients (per_page 100) and only machine-to-machine ones', async () => {
    // Prepare
    const tenant = await simulator();
    for (let index = 0; index < 250; index += 1) tenant.addClient({ name: `m2m ${index}`, client_metadata: { teamId: `t${index % 3}` } });
    for (let index = 0; index < 5; index += 1) tenant.addClient({ name: `spa ${index}`, app_type: 'spa' });
    const { client } = setUp(tenant);
    // Act
    const clients = await client.listClients();
    // Assess
    expect(clients).toHaveLength(250);
    expect(clients.filter((entry) => entry.metadata.teamId === 't1')).toHaveLength(83);
    expect(tenant.counters.calls['GET /api/v2/clients']).toBe(3);
  });

  it('reads every page of client grants, for one client or the whole tenant', async () => {
    // Prepare
    const tenant = await simulator();
    const { client } = setUp(tenant);
    const made = await client.createClient({ name: 'many grants', metadata: {} });
    for (let index = 0; index < 120; index += 1)
      await client.createGrant({ clientId: made.clientId, audience: `https://api${index}.example.com`, scope: ['read:x'] });
    const other = await client.createClient({ name: 'other', metadata: {} });
    await client.createGrant({ clientId: other.clientId, audience: 'https://api0.example.com', scope: [] });
    // Act
    const mine = await client.listGrants({ clientId: made.clientId });
    const all = await client.listGrants();
    // Assess
    expect(mine).toHaveLength(120);
    expect(all).toHaveLength(121);
  });

  it('caches the management token until shortly before it expires', async () => {
    // Prepare
    const tenant = await simulator();
    let now = Date.now();
    const { client } = setUp(tenant, { clock: { now: () => now } });
    // Act
    await Promise.all([client.listClients(), client.listClients(), client.listGrants()]);
    await client.getClient('nope');
    const early = tenant.counters.managementTokens;
    now += (86400 - 61) * 1000;
    await client.listClients();
    const beforeMargin = tenant.counters.managementTokens;
    now += 2000;
    await client.listClients();
    // Assess
    expect(early).toBe(1);
    expect(beforeMargin).toBe(1);
    expect(tenant.counters.managementTokens).toBe(2);
  });

  it('drops a token the API rejects and retries once with a new one', async () => {
    const tenant = await simulator();
    const { client } = setUp(tenant);
    await client.listClients();
    tenant.failNext(1, { status: 401, path: '/api/v2/clients' });

    await expect(client.listClients()).resolves.toEqual([]);
    expect(tenant.counters.managementTokens).toBe(2);
  });

  it('re-reads the credentials once when Auth0 refuses them, then fails naming the setting and no secret', async () => {
    const tenant = await simulator();
    const { client, reloads } = setUp(tenant, { secret: 'wrong-secret-value' });

    const failure = await client.listClients().catch((error: Error) => error);

    expect(failure).toBeInstanceOf(PartnerRejectedError);
    expect((failure as Error).message).toContain('SANDBOX_AUTH0_MANAGEMENT_CLIENT_SECRET');
    expect((failure as Error).message).not.toContain('wrong-secret-value');
    expect(reloads()).toBe(1);
  });

  it('explains a missing Management API permission', async () => {
    const tenant = await simulator({ managementScopes: ['read:clients'] });
    const { client } = setUp(tenant);

    const failure = await client.createClient({ name: 'x', metadata: {} }).catch((error: Error) => error);

    expect(failure).toBeInstanceOf(PartnerRejectedError);
    expect((failure as Error).message).toMatch(/insufficient_scope.*needs read, create, update and delete on clients, client_keys and client_grants/);
  });

  it('waits for x-ratelimit-reset on 429 within the bound, then gives up with the wait to pass on', async () => {
    const tenant = await simulator();
    const sleeps: number[] = [];
    const { client } = setUp(tenant, { sleeps });
    tenant.failNext(1, { status: 429, path: '/api/v2/clients', resetInSeconds: 1 });
    await client.listClients();
    tenant.failNext(3, { status: 429, path: '/api/v2/clients', resetInSeconds: 1 });

    const failure = await client.listClients().catch((error: Error) => error);

    expect(sleeps.length).toBe(3);
    expect(sleeps.every((ms) => ms > 0 && ms <= 2000)).toBe(true);
    expect(failure).toBeInstanceOf(PartnerBusyError);
  });

  it('retries a 5xx only where repeating is harmless', async () => {
    const tenant = await simulator();
    const { client } = setUp(tenant, { sleeps: [] });
    tenant.failNext(1, { status: 502, path: '/api/v2/clients', method: 'GET' });
    await expect(client.listClients()).resolves.toEqual([]);
    tenant.failNext(1, { status: 500, path: '/api/v2/clients', method: 'POST' });

    await expect(client.createClient({ name: 'once', metadata: {} })).rejects.toBeInstanceOf(PartnerUnavailableError);
    expect(tenant.clients()).toHaveLength(0);
    expect(tenant.counters.total).toBe(4);
  });

  it('times out a slow tenant', async () => {
    const tenant = await simulator();
    const { client } = setUp(tenant, { timeoutMs: 1000 });
    await client.listClients();
    tenant.failNext(1, { delayMs: 5000, path: '/api/v2/clients/' });

    await expect(client.getClient('slow')).rejects.toBeInstanceOf(PartnerTimeoutError);
  });

  it('refuses an answer it cannot use', async () => {
    const tenant = await simulator();
    const fake: typeof fetch = async (input) =>
      String(input).endsWith('/oauth/token')
        ? new Response(JSON.stringify({ access_token: 't', expires_in: 3600 }))
        : new Response('<html>proxy error</html>', { status: 200 });
    const { client } = setUp(tenant, { fetch: fake });

    await expect(client.listClients()).rejects.toBeInstanceOf(PartnerProtocolError);
  });
});

describe('tenantBaseUrl', () => {
  it('turns a domain into https, and keeps a loopback http URL for the simulator', () => {
    expect(tenantBaseUrl('acme.eu.auth0.com')).toBe('https://acme.eu.auth0.com');
    expect(tenantBaseUrl('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    expect(tenantBaseUrl('https://login.acme.com')).toBe('https://login.acme.com');
  });

  it('refuses plain http to anything but loopback', () => {
    expect(() => tenantBaseUrl('http://acme.eu.auth0.com')).toThrow(ServiceUnavailableError);
  });
});
