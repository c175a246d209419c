import { resetSettingsCache } from '../../../lambdas/config';
import { ACRONIS_PATHS, type AcronisSimulator, startAcronisSimulator } from '../../../local/simulators/acronis';
import { call, post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, expiredAccessToken, setAttributes, signUp } from './helpers';

/**
 * What a browser does with the link: run the external-login page, then open the target with its cookie. The fragment
 * is read as the guide writes it (`ott` url-encoded, `targetURI` the plain rest), the query as query parameters.
 */
async function followAcronisLink(link: string): Promise<{ status: number; page: string; location: string }> {
  const url = new URL(link);
  let ott: string | null;
  let targetURI: string | null;
  if (url.hash) {
    const fragment = url.hash.slice(1);
    ott = decodeURIComponent(/^ott=([^&]*)/.exec(fragment)?.[1] ?? '');
    const at = fragment.indexOf('&targetURI=');
    targetURI = at === -1 ? null : fragment.slice(at + '&targetURI='.length);
  } else {
    ott = url.searchParams.get('ott');
    targetURI = url.searchParams.get('targetURI');
  }
  const signIn = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: JSON.stringify({ ott, targetURI }) });
  const body = (await signIn.json()) as { location?: string };
  if (!signIn.ok || !body.location) return { status: signIn.status, page: JSON.stringify(body), location: '' };
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const target = await fetch(body.location, { headers: { cookie } });
  return { status: target.status, page: await target.text(), location: body.location };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('POST /sso/acronis', () => {
  let acronis: AcronisSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    acronis = await startAcronisSimulator();
    stack = await startTestStack({
      env: {
        ACRONIS_BASE_URL: acronis.url,
        ACRONIS_CLIENT_ID: acronis.clientId,
        ACRONIS_CLIENT_SECRET: acronis.clientSecret,
        PARTNER_TIMEOUT_MS: '1000',
        PARTNER_MAX_RETRY_WAIT_MS: '1500',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await acronis.stop();
  });
  afterEach(() => acronis.clearFaults());

  const handOff = (token: string, body?: unknown) => post(stack.url, '/sso/acronis', body, bearer(token));

  // First in the file on purpose: the instance's token cache is still empty here.
  it('asks Acronis for one client-credentials token for many hand-offs', async () => {
    // Prepare
    const user = await signUp(stack);
    // Act
    const responses = await Promise.all(Array.from({ length: 5 }, () => handOff(user.accessToken)));
    for (let index = 0; index < 3; index += 1) responses.push(await handOff(user.accessToken));
    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(acronis.calls(ACRONIS_PATHS.token)).toBe(1);
    expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(8);
    expect(new Set(responses.map((response) => response.body.url)).size).toBe(8);
  });

  it("hands a signed-in user to the Acronis console with the link exactly as Acronis's guide builds it", async () => {
    const user = await signUp(stack);

    const response = await handOff(user.accessToken);

    expect(response.status).toBe(200);
    // {dc}/api/2/idp/external-login#ott={quote(ott)}&targetURI={target}: the target a plain URL.
    const exact = new RegExp(`^${escapeRegExp(acronis.url)}/api/2/idp/external-login#ott=([A-Za-z0-9%._~-]+)&targetURI=${escapeRegExp(acronis.url)}/mc/$`);
    expect(response.body).toEqual({ status: 200, url: expect.stringMatching(exact) });
    const ott = decodeURIComponent(exact.exec(response.body.url)![1]);
    expect(encodeURIComponent(ott)).toBe(exact.exec(response.body.url)![1]);
    expect(ott).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', login: user.email });
    const landed = await followAcronisLink(response.body.url);
    expect(landed.status).toBe(200);
    expect(landed.location).toBe(`${acronis.url}/mc/`);
    expect(landed.page).toContain('Acronis simulator');
    expect(landed.page).toContain(user.email);
    const reused = await followAcronisLink(response.body.url);
    expect(reused.status).toBe(401);
  });

  describe('the target', () => {
    it.each([
      ['another host', 'https://evil.example/mc/'],
      ['a protocol-relative URL', '//evil.example/mc/'],
      ['a path of the data center outside the list', '/api/2/users'],
      ['a console not on the default list', '/cc/'],
      ['an allowed path with an & that would forge a fragment parameter', '/mc/?a=1&targetURI=https://evil.example/'],
      ['an allowed path with a percent escape', '/mc/%2F%2Fevil.example'],
      ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ])('refuses %s with 400 before any one-time token exists', async (_name, target) => {
      const user = await signUp(stack);
      const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

      const response = await handOff(user.accessToken, { target_uri: target });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: 400, error: 'target_not_allowed', fieldErrors: { target_uri: expect.any(String) } });
      expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore);
    });

    it('sends the user to the backup console, on the default list as in the guide', async () => {
      const user = await signUp(stack);

      const response = await handOff(user.accessToken, { target_uri: '/bc/' });

      expect(response.status).toBe(200);
      expect(response.body.url).toMatch(new RegExp(`#ott=[^&]+&targetURI=${escapeRegExp(acronis.url)}/bc/$`));
      const landed = await followAcronisLink(response.body.url);
      expect(landed.status).toBe(200);
      expect(landed.page).toContain('Backup console');
      expect(landed.page).toContain(user.email);
    });

    it('accepts an allowed target below the console, as an absolute URL or a path', async () => {
      const user = await signUp(stack);

      const absolute = await handOff(user.accessToken, { target_uri: `${acronis.url}/mc/#/users` });
      const relative = await handOff(user.accessToken, { targetURI: '/mc/alerts' });

      expect(absolute.body.url).toMatch(new RegExp(`&targetURI=${escapeRegExp(acronis.url)}/mc/#/users$`));
      expect(relative.body.url).toMatch(new RegExp(`&targetURI=${escapeRegExp(acronis.url)}/mc/alerts$`));
      expect((await followAcronisLink(absolute.body.url)).location).toBe(`${acronis.url}/mc/#/users`);
    });

    it('answers a target of the wrong type with 400 and the field error', async () => {
      const user = await signUp(stack);

      const response = await handOff(user.accessToken, { target_uri: 42 });

      expect(response.status).toBe(400);
      expect(response.body.fieldErrors).toEqual({ target_uri: expect.any(String) });
    });
  });

  describe('configured differently', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of ['ACRONIS_URL_STYLE', 'ACRONIS_TARGET_ALLOWLIST', 'ACRONIS_IDENTIFY_BY', 'ACRONIS_LOGIN_FIELD']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      resetSettingsCache();
    });

    it('uses the query form, a shorter allow-list and external_id when configured so', async () => {
      Object.assign(process.env, { ACRONIS_URL_STYLE: 'query', ACRONIS_TARGET_ALLOWLIST: '{dc}/bc/', ACRONIS_IDENTIFY_BY: 'external_id' });
      resetSettingsCache();
      const user = await signUp(stack);
      await setAttributes(stack, user.userId, { acronisExternalId: 'ext-4711' });

      const response = await handOff(user.accessToken, { target_uri: '/bc/' });

      expect(response.status).toBe(200);
      const link = new URL(response.body.url);
      expect(link.hash).toBe('');
      expect(link.searchParams.get('targetURI')).toBe(`${acronis.url}/bc/`);
      expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', external_id: 'ext-4711' });
      const landed = await followAcronisLink(response.body.url);
      expect(landed.page).toContain('Backup console');
    });

    it("names the user by user_id, the Acronis UUID from the user's partner identity, when the platform maps users by id", async () => {
      Object.assign(process.env, { ACRONIS_IDENTIFY_BY: 'user_id' });
      resetSettingsCache();
      const linked = await signUp(stack);
      const unlinked = await signUp(stack);
      const acronisUserId = '3f0c7a52-1c1e-4a8e-9d2b-2f5e0b7c9a10';
      await setAttributes(stack, linked.userId, { acronis: { userId: acronisUserId } });
      const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

      const response = await handOff(linked.accessToken);
      const refused = await handOff(unlinked.accessToken);

      expect(response.status).toBe(200);
      expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', user_id: acronisUserId });
      expect((await followAcronisLink(response.body.url)).page).toContain(acronisUserId);
      expect(refused.status).toBe(403);
      expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore + 1);
    });

    it("prefers the user's own Acronis login over the configured field", async () => {
      const user = await signUp(stack);
      await setAttributes(stack, user.userId, { acronis: { login: 'ada.backup-admin' } });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(200);
      expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', login: 'ada.backup-admin' });
    });

    it.each([
      ['the documented minimal {id_token, access_token}, lifetime from the JWT exp', 'minimal'],
      ['expires_in', 'expires_in'],
      ['expires_on (epoch seconds)', 'expires_on'],
      ['no lifetime at all (an opaque access token)', 'opaque'],
    ] as const)('accepts a token answer with %s and reuses the token', async (_name, shape) => {
      const dataCenter = await startAcronisSimulator({ clientId: acronis.clientId, clientSecret: acronis.clientSecret, tokenShape: shape });
      try {
        process.env.ACRONIS_BASE_URL = dataCenter.url;
        const user = await signUp(stack);

        const first = await handOff(user.accessToken, { target_uri: '/bc/' });
        const second = await handOff(user.accessToken);

        expect([first.status, second.status]).toEqual([200, 200]);
        expect(dataCenter.calls(ACRONIS_PATHS.token)).toBe(1);
        expect(dataCenter.calls(ACRONIS_PATHS.ott)).toBe(2);
        expect((await followAcronisLink(first.body.url)).page).toContain('Backup console');
      } finally {
        process.env.ACRONIS_BASE_URL = acronis.url;
        await dataCenter.stop();
      }
    });

    it('answers 403 for a user whose record lacks the configured login field', async () => {
      Object.assign(process.env, { ACRONIS_LOGIN_FIELD: 'attributes.acronisLogin' });
      resetSettingsCache();
      const user = await signUp(stack);
      const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(403);
      expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore);
    });
  });

  describe('without a valid access token', () => {
    it('answers 401 for a missing, malformed or expired token and asks Acronis for nothing', async () => {
      const user = await signUp(stack);
      const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

      const missing = await post(stack.url, '/sso/acronis', {});
      const malformed = await handOff('abc.def.ghi');
      const expired = await handOff(await expiredAccessToken(stack, user.userId));

      expect([missing.status, malformed.status, expired.status]).toEqual([401, 401, 401]);
      expect(expired.body.formError).toMatch(/expired/);
      expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore);
    });

    it('checks the token before the target, so a stranger learns nothing about the allow-list', async () => {
      const response = await post(stack.url, '/sso/acronis', { target_uri: 'https://evil.example/' });

      expect(response.status).toBe(401);
    });
  });

  describe('when Acronis fails', () => {
    it('drops the cached token after a 401 and retries once with a new one', async () => {
      const user = await signUp(stack);
      expect((await handOff(user.accessToken)).status).toBe(200); // a cached token to drop
      const tokensBefore = acronis.calls(ACRONIS_PATHS.token);
      acronis.fail({ kind: 'unauthorized' });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(200);
      expect(acronis.calls(ACRONIS_PATHS.token) - tokensBefore).toBe(1);
    });

    it('answers 502 naming the settings to check when Acronis rejects the credentials, never the secret', async () => {
      const user = await signUp(stack);
      acronis.revokeTokens();
      acronis.fail({ kind: 'reject-credentials' });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(502);
      expect(response.body.error).toBe('partner_rejected');
      expect(response.body.formError).toContain('ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET');
      expect(response.text).not.toContain(acronis.clientSecret);
    });

    it('answers 504 on a timeout, 503 when busy, 502 on a persisting 5xx and on a malformed answer', async () => {
      const user = await signUp(stack);

      acronis.fail({ kind: 'slow', delayMs: 6000 });
      const slow = await handOff(user.accessToken);
      acronis.fail({ kind: 'rate-limit', retryAfterSeconds: 0, times: 3 });
      const busy = await handOff(user.accessToken);
      acronis.fail({ kind: 'server-error', status: 503, times: 3 });
      const down = await handOff(user.accessToken);
      acronis.fail({ kind: 'malformed' });
      const malformed = await handOff(user.accessToken);

      expect([slow.status, busy.status, down.status, malformed.status]).toEqual([504, 503, 502, 502]);
      expect([slow.body.error, busy.body.error, down.body.error, malformed.body.error]).toEqual([
        'partner_timeout',
        'partner_busy',
        'partner_unavailable',
        'partner_bad_answer',
      ]);
    });

    it('retries a 429 after Retry-After and then succeeds', async () => {
      const user = await signUp(stack);
      acronis.fail({ kind: 'rate-limit', retryAfterSeconds: 1 });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(200);
    });

    it('answers 502 when Acronis does not know the user', async () => {
      const user = await signUp(stack);
      const picky = await startAcronisSimulator({ clientId: acronis.clientId, clientSecret: acronis.clientSecret, knownUsers: ['someone-else@example.com'] });
      const original = process.env.ACRONIS_BASE_URL;
      process.env.ACRONIS_BASE_URL = picky.url;
      try {
        const response = await handOff(user.accessToken);
        expect(response.status).toBe(502);
        expect(response.body.formError).toContain('ACRONIS_LOGIN_FIELD');
      } finally {
        process.env.ACRONIS_BASE_URL = original;
        await picky.stop();
      }
    });
  });

  describe('one account per Acronis user', () => {
    beforeAll(() => {
      Object.assign(process.env, { ACRONIS_LOGIN_FIELD: 'email' });
      resetSettingsCache();
    });

    it('hands off only the first of two records that name one Acronis login (mappings from before claims, any letter case)', async () => {
      const first = await signUp(stack);
      const second = await signUp(stack);
      await setAttributes(stack, first.userId, { acronis: { login: 'shared.backup-admin' } });
      await setAttributes(stack, second.userId, { acronis: { login: 'Shared.Backup-Admin' } });
      const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

      const firstHandOff = await handOff(first.accessToken);
      const secondHandOff = await handOff(second.accessToken);
      const firstAgain = await handOff(first.accessToken);

      expect([firstHandOff.status, secondHandOff.status, firstAgain.status]).toEqual([200, 403, 200]);
      expect(secondHandOff.body.formError).toMatch(/linked to another account/);
      expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore + 2);
    });

    it("refuses a mapping that names another account's email once that account has handed off as itself", async () => {
      const owner = await signUp(stack);
      const other = await signUp(stack);
      await setAttributes(stack, other.userId, { acronis: { login: owner.email } });

      expect((await handOff(owner.accessToken)).status).toBe(200);
      expect((await handOff(other.accessToken)).status).toBe(403);
    });

    it('lets a new account take over the Acronis user of a deleted account, whose claim outlived it', async () => {
      // The claim of an identity from a configured field (here the email) is not released with the account.
      const gone = await signUp(stack);
      const next = await signUp(stack);
      expect((await handOff(gone.accessToken)).status).toBe(200);
      const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': gone.accessToken })).toString('base64');
      expect((await call(stack.url, 'POST', `/login-flow/delete-account?ctx=${encodeURIComponent(ctx)}`)).status).toBe(200);
      await setAttributes(stack, next.userId, { acronis: { login: gone.email } });

      const response = await handOff(next.accessToken);

      expect(response.status).toBe(200);
      expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', login: gone.email });
    });
  });

  it('is not reachable with another method', async () => {
    const response = await call(stack.url, 'GET', '/sso/acronis');

    expect(response.status).toBe(405);
  });
});
