import { LegacyLoginClient } from '../../../../lambdas/adapters/partners/legacy-login-client';

const clock = { now: () => Date.now() };
const answer = (status: number, body: unknown) => async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
const client = (fetcher: typeof fetch, profileUrl?: string) =>
  new LegacyLoginClient(
    { loginUrl: 'https://old.example.com/login', profileUrl, timeoutMs: 200, circuit: { failuresToOpen: 2, openMs: 60_000 } },
    clock,
    fetcher,
  );

describe('LegacyLoginClient', () => {
  it('reads the Login Flow contract: 200 with a token accepts, 403 and other 4xx reject', async () => {
    await expect(client(answer(200, { status: 200, access_token: 'legacy-token', expires_in: 60 })).login('a@b.co', 'pw')).resolves.toEqual({
      kind: 'accepted',
      accessToken: 'legacy-token',
    });
    await expect(client(answer(403, { formError: 'no' })).login('a@b.co', 'pw')).resolves.toEqual({ kind: 'rejected' });
    await expect(client(answer(401, '')).login('a@b.co', 'pw')).resolves.toEqual({ kind: 'rejected' });
  });

  it('treats 5xx, 429, a 200 without token and a timeout as unavailable, and opens its circuit', async () => {
    await expect(client(answer(503, '')).login('a@b.co', 'pw')).resolves.toMatchObject({ kind: 'unavailable', reason: 'status 503' });
    await expect(client(answer(429, '')).login('a@b.co', 'pw')).resolves.toMatchObject({ kind: 'unavailable' });
    await expect(client(answer(200, { status: 200 })).login('a@b.co', 'pw')).resolves.toMatchObject({
      kind: 'unavailable',
      reason: '200 without access_token',
    });
    let calls = 0;
    const hanging = client(((_url: string, init: RequestInit) => {
      calls += 1;
      return new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    }) as unknown as typeof fetch);
    await expect(hanging.login('a@b.co', 'pw')).resolves.toEqual({ kind: 'unavailable', reason: 'timeout' });
    await expect(hanging.login('a@b.co', 'pw')).resolves.toEqual({ kind: 'unavailable', reason: 'timeout' });
    await expect(hanging.login('a@b.co', 'pw')).resolves.toEqual({ kind: 'unavailable', reason: 'circuit open' });
    expect(calls).toBe(2);
  });

  it('takes names and simple fields from the profile, never tokens or secrets', async () => {
    const profile = await client(
      answer(200, { firstName: 'Ann', lastName: 'Lee', email: 'x@y.z', plan: 'gold', access_token: 't', password: 'p', nested: { a: 1 } }),
      'https://old.example.com/profile',
    ).profile('legacy-token');
    expect(profile).toEqual({ firstName: 'Ann', lastName: 'Lee', attributes: { plan: 'gold' } });
    await expect(client(answer(401, {}), 'https://old.example.com/profile').profile('t')).resolves.toBeUndefined();
    await expect(client(answer(200, {})).profile('t')).resolves.toBeUndefined();
  });
});
