import { burst, statusCounts } from '../../support/bursts';
import { as, type PortalStack, signUp, startPortalStack } from '../portal/helpers';

describe('The per-team credential limit under a burst of parallel creates', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    // The limit is what is tested here, not Auth0 timeouts: a create that timed out at a loaded machine's in-process
    // simulator after Auth0 made the client could leave it there when the clean-up's own calls time out too (seen once
    // at 1 s; the clean-up is not retried later, a known gap), so the partner gets the production default of 5 s.
    portal = await startPortalStack({ PORTAL_MAX_CREDENTIALS_PER_TEAM: '5', PARTNER_TIMEOUT_MS: '5000' });
  });
  afterAll(() => portal.stop());

  it('asks Auth0 for at most five clients when 20 creates are sent at once, reveals no other secret and leaves no extra client', async () => {
    const user = await signUp(portal.stack);
    const api = as(portal.stack, user);
    portal.sandbox.resetCounters();

    const responses = await burst(20, (index) => api.post('/portal/credentials', { name: `Burst ${index}`, environment: 'sandbox' }));

    const counts = statusCounts(responses);
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length).toBeLessThanOrEqual(5);
    // The rest are refused by the limit (409); on a loaded machine some, or all (one run beside four other test runs got
    // no 409 at all), may instead time out at DynamoDB or the Auth0 simulator (503/504), which must leave nothing behind.
    expect((counts[409] ?? 0) + (counts[503] ?? 0) + (counts[504] ?? 0)).toBe(20 - created.length);
    expect(Object.keys(counts).filter((status) => !['201', '409', '503', '504'].includes(status))).toEqual([]);
    expect(responses.filter((response) => response.status !== 201).every((response) => response.body.client_secret === undefined)).toBe(true);
    const ours = portal.sandbox.clients().filter((client) => client.client_metadata?.createdBy === user.userId);
    expect(ours.map((client) => client.client_id).sort()).toEqual(created.map((response) => response.body.client_id).sort());
    // Counted before Auth0 is asked: the refused creates never reached it.
    expect(portal.sandbox.counters.calls['POST /api/v2/clients']).toBeLessThanOrEqual(5);
    const team = await api.get('/portal/team');
    expect(team.body.team.credential_count).toBe(created.length);
  });

  it('lets the team fill up to exactly the limit with later creates, then refuses the next', async () => {
    const user = await signUp(portal.stack);
    const api = as(portal.stack, user);
    for (let index = 0; index < 5; index += 1)
      expect((await api.post('/portal/credentials', { name: `Seq ${index}`, environment: 'sandbox' })).status).toBe(201);

    const responses = await burst(6, (index) => api.post('/portal/credentials', { name: `Over ${index}`, environment: 'sandbox' }));

    expect(statusCounts(responses)).toEqual({ 409: 6 });
  });

  it('gives the place back when Auth0 refuses the create, so the team can still fill up', async () => {
    const user = await signUp(portal.stack);
    const api = as(portal.stack, user);
    for (let index = 0; index < 4; index += 1)
      expect((await api.post('/portal/credentials', { name: `Seq ${index}`, environment: 'sandbox' })).status).toBe(201);
    portal.sandbox.failNext(10, { status: 503, path: '/api/v2/clients', method: 'POST' });

    expect((await api.post('/portal/credentials', { name: 'Refused', environment: 'sandbox' })).status).toBeGreaterThanOrEqual(500);
    portal.sandbox.clearFailures();
    expect((await api.get('/portal/team')).body.team.credential_count).toBe(4);
    expect((await api.post('/portal/credentials', { name: 'Fifth', environment: 'sandbox' })).status).toBe(201);
  });
});
