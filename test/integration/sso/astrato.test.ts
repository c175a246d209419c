import { ASTRATO_PATHS, type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { call, post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, expiredAccessToken, setAttributes, signUp } from './helpers';

describe('POST /sso/astrato', () => {
  let astrato: AstratoSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    astrato = await startAstratoSimulator();
    stack = await startTestStack({
      env: {
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        ASTRATO_DEFAULT_GROUP_IDS: 'analysts, viewers',
        PARTNER_TIMEOUT_MS: '1000',
        PARTNER_MAX_RETRY_WAIT_MS: '1500',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await astrato.stop();
  });
  afterEach(() => astrato.clearFaults());

  const handOff = (token: string, body?: unknown) => post(stack.url, '/sso/astrato', body, bearer(token));

  // First in the file on purpose: the instance's token cache is still empty here.
  it('asks Astrato for one M2M token for many hand-offs, concurrent and sequential', async () => {
    // Prepare
    const user = await signUp(stack);
    // Act
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => handOff(user.accessToken)));
    const sequential = [];
    for (let index = 0; index < 4; index += 1) sequential.push(await handOff(user.accessToken));
    // Assess
    expect([...concurrent, ...sequential].map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(astrato.calls(ASTRATO_PATHS.token)).toBe(1);
    expect(astrato.calls(ASTRATO_PATHS.setup)).toBe(10);
    // Tickets are never cached: ten hand-offs, ten different tickets.
    expect(new Set([...concurrent, ...sequential].map((response) => response.body.ticket)).size).toBe(10);
  });

  it('hands a signed-in user to Astrato: the ticket opens the simulator page for that user, once', async () => {
    const user = await signUp(stack);

    const response = await handOff(user.accessToken);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 200,
      ticket: expect.any(String),
      base_url: astrato.url,
      redirect_url: `${astrato.url}/auth/proxy/oem/ticket/${encodeURIComponent(response.body.ticket)}?embed`,
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(astrato.setups().at(-1)).toEqual({ email: user.email, groupIds: ['analysts', 'viewers'] });
    const landing = await fetch(response.body.redirect_url);
    const page = await landing.text();
    expect(landing.status).toBe(200);
    expect(page).toContain('Astrato simulator');
    expect(page).toContain(user.email);
    const reused = await fetch(response.body.redirect_url);
    expect(reused.status).toBe(401);
  });

  it('uses the groups on the user record instead of the default groups', async () => {
    const user = await signUp(stack);
    await setAttributes(stack, user.userId, { astratoGroupIds: ['finance'] });

    const response = await handOff(user.accessToken);

    expect(response.status).toBe(200);
    expect(astrato.setups().at(-1)).toMatchObject({ email: user.email, groupIds: ['finance'] });
  });

  it('ignores an email in the body: the ticket is always for the user of the access token', async () => {
    const user = await signUp(stack);

    const response = await handOff(user.accessToken, { email: 'victim@example.com', groupIds: ['admins'] });

    expect(response.status).toBe(200);
    expect(astrato.setups().at(-1)).toMatchObject({ email: user.email, groupIds: ['analysts', 'viewers'] });
  });

  describe('without a valid access token', () => {
    it.each([
      ['no Authorization header', () => ({})],
      ['a malformed token', () => bearer('not-a-jwt')],
      ['a Basic header', () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ])('answers 401 for %s and asks Astrato for nothing', async (_name, headers) => {
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);

      const response = await post(stack.url, '/sso/astrato', {}, headers());

      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ status: 401, error: 'invalid_token', fieldErrors: {}, correlationId: expect.any(String) });
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(astrato.calls(ASTRATO_PATHS.setup)).toBe(setupsBefore);
    });

    it('answers 401 for an expired token', async () => {
      const user = await signUp(stack);
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);

      const response = await handOff(await expiredAccessToken(stack, user.userId));

      expect(response.status).toBe(401);
      expect(response.body.formError).toMatch(/expired/);
      expect(astrato.calls(ASTRATO_PATHS.setup)).toBe(setupsBefore);
    });

    it('answers 401 for the token of a deleted account', async () => {
      const user = await signUp(stack);
      await call(stack.url, 'POST', '/login-flow/delete-account', { headers: bearer(user.accessToken) });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(401);
    });
  });

  describe('when Astrato fails', () => {
    it('drops the cached token after a 401 and retries once with a new one', async () => {
      const user = await signUp(stack);
      const tokensBefore = astrato.calls(ASTRATO_PATHS.token);
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);
      astrato.fail({ kind: 'unauthorized' });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(200);
      expect(astrato.calls(ASTRATO_PATHS.token) - tokensBefore).toBe(1);
      expect(astrato.calls(ASTRATO_PATHS.setup) - setupsBefore).toBe(2);
    });

    it('answers 502 when the retry is refused too', async () => {
      const user = await signUp(stack);
      astrato.fail({ kind: 'unauthorized', times: 2 });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(502);
      expect(response.body.error).toBe('partner_rejected');
    });

    it('answers 502 naming the settings to check when Astrato rejects the credentials, never the secret', async () => {
      const user = await signUp(stack);
      astrato.revokeTokens();
      astrato.fail({ kind: 'reject-credentials' });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ status: 502, error: 'partner_rejected', correlationId: expect.any(String) });
      expect(response.body.formError).toContain('ASTRATO_CLIENT_ID and ASTRATO_CLIENT_SECRET');
      expect(response.body.formError).toContain('OEM Management API');
      expect(response.text).not.toContain(astrato.clientSecret);
    });

    it('picks up rotated credentials at once, without a restart', async () => {
      const user = await signUp(stack);
      const original = { id: astrato.clientId, secret: astrato.clientSecret };
      astrato.setCredentials('rotated-client', 'rotated-secret');
      astrato.revokeTokens();
      try {
        const before = await handOff(user.accessToken);
        process.env.ASTRATO_CLIENT_ID = 'rotated-client';
        process.env.ASTRATO_CLIENT_SECRET = 'rotated-secret';
        const after = await handOff(user.accessToken);

        expect(before.status).toBe(502);
        expect(after.status).toBe(200);
      } finally {
        astrato.setCredentials(original.id, original.secret);
        process.env.ASTRATO_CLIENT_ID = original.id;
        process.env.ASTRATO_CLIENT_SECRET = original.secret;
        astrato.revokeTokens();
      }
    });

    it('answers 504 when Astrato is slower than the timeout', async () => {
      const user = await signUp(stack);
      astrato.fail({ kind: 'slow', delayMs: 6000 });
      const started = Date.now();

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(504);
      expect(response.body.error).toBe('partner_timeout');
      // Did not wait for Astrato: a token call and a setup call of 1 s timeout each, far from its 6 s.
      expect(Date.now() - started).toBeLessThan(4500);
    });

    it('waits as Retry-After asks after a 429 and then succeeds', async () => {
      const user = await signUp(stack);
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);
      astrato.fail({ kind: 'rate-limit', retryAfterSeconds: 1 });
      const started = Date.now();

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(astrato.calls(ASTRATO_PATHS.setup) - setupsBefore).toBe(2);
    });

    it('answers 503 with Retry-After when Astrato stays busy past the retry bound', async () => {
      const user = await signUp(stack);
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);
      astrato.fail({ kind: 'rate-limit', retryAfterSeconds: 0, times: 3 });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(503);
      expect(response.body.error).toBe('partner_busy');
      expect(response.headers.get('retry-after')).toBe('1');
      expect(astrato.calls(ASTRATO_PATHS.setup) - setupsBefore).toBe(3);
    });

    it('does not wait when Retry-After is longer than the bound, and passes the wait on', async () => {
      const user = await signUp(stack);
      const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);
      astrato.fail({ kind: 'rate-limit', retryAfterSeconds: 120 });

      const response = await handOff(user.accessToken);

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('120');
      expect(astrato.calls(ASTRATO_PATHS.setup) - setupsBefore).toBe(1);
    });

    it('retries a 5xx and answers 502 when it persists', async () => {
      const user = await signUp(stack);
      astrato.fail({ kind: 'server-error', status: 500 });
      const recovered = await handOff(user.accessToken);
      astrato.fail({ kind: 'server-error', status: 502, times: 3 });

      const failed = await handOff(user.accessToken);

      expect(recovered.status).toBe(200);
      expect(failed.status).toBe(502);
      expect(failed.body.error).toBe('partner_unavailable');
    });

    it('answers 502 for a malformed answer of /oem/setup or of the token endpoint', async () => {
      const user = await signUp(stack);
      astrato.fail({ kind: 'malformed' });
      const badSetup = await handOff(user.accessToken);
      astrato.revokeTokens();
      astrato.fail({ kind: 'unauthorized' });
      astrato.fail({ kind: 'malformed', path: ASTRATO_PATHS.token, body: '{"token_type":"Bearer"}' });

      const badToken = await handOff(user.accessToken);

      expect(badSetup.status).toBe(502);
      expect(badSetup.body.error).toBe('partner_bad_answer');
      expect(badToken.status).toBe(502);
      expect(badToken.body.error).toBe('partner_bad_answer');
      expect(badToken.body.formError).toContain('access_token');
    });

    it('answers 502 when Astrato cannot be reached at all', async () => {
      const user = await signUp(stack);
      const original = process.env.ASTRATO_BASE_URL;
      process.env.ASTRATO_BASE_URL = 'http://127.0.0.1:9';
      try {
        const response = await handOff(user.accessToken);
        expect(response.status).toBe(502);
        expect(response.body.error).toBe('partner_unavailable');
      } finally {
        process.env.ASTRATO_BASE_URL = original;
      }
    });
  });
});
