import { request as httpRequest } from 'node:http';
import { call, post, registration, STRONG_PASSWORD, type TestResponse } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JSON POST from another loopback address, i.e. another client IP as API Gateway would report it. */
function postFrom(localAddress: string, url: string, json: unknown): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

describe('Device codes: expiry and brute-force limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_CODE_TTL_SECONDS: '2', DEVICE_POLL_INTERVAL_SECONDS: '1', ACTIVATE_MAX_FAILURES: '3' } });
  });
  afterAll(() => stack.stop());

  const startDevice = async () => {
    const response = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: 'client_id=applicaster-tv',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    return response.body as { device_code: string; user_code: string; expires_in: number };
  };
  const poll = (deviceCode: string): Promise<TestResponse<Record<string, any>>> =>
    call(stack.url, 'POST', '/oauth/token', {
      body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('answers expired_token once the code outlives its lifetime, and /activate says the code expired', async () => {
    // Prepare
    const registered = registration();
    expect((await post(stack.url, '/login-flow/register', registered)).status).toBe(200);
    const device = await startDevice();
    expect(device.expires_in).toBe(2);

    // Act
    await sleep(2200);
    const polled = await poll(device.device_code);
    const lookedUp = await postFrom('127.0.0.3', `${stack.url}/activate/lookup`, { user_code: device.user_code });
    const approved = await postFrom('127.0.0.3', `${stack.url}/activate/decision`, {
      user_code: device.user_code,
      decision: 'approve',
      email: registered.email,
      password: STRONG_PASSWORD,
    });

    // Assess
    expect(polled.status).toBe(400);
    expect(polled.body.error).toBe('expired_token');
    expect(lookedUp.status).toBe(400);
    expect(lookedUp.body).toMatchObject({ error: 'code_expired', fieldErrors: { user_code: expect.stringMatching(/expired/) } });
    expect(approved.status).toBe(400);
    expect(approved.body.error).toBe('code_expired');
  });

  it('stops an IP after too many wrong codes, even for a right one, while other IPs go on', async () => {
    // Prepare: malformed input is rejected by validation and costs nothing.
    const device = await startDevice();
    for (const typo of ['12345678', 'ABC', 'AEIOUAEI']) {
      const malformed = await postFrom('127.0.0.4', `${stack.url}/activate/lookup`, { user_code: typo });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe('invalid_request');
    }

    // Act: three well-formed codes that open nothing, then the right one.
    const wrong = [];
    for (const guess of ['BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD']) wrong.push(await postFrom('127.0.0.4', `${stack.url}/activate/lookup`, { user_code: guess }));
    const blocked = await postFrom('127.0.0.4', `${stack.url}/activate/lookup`, { user_code: device.user_code });
    const blockedDecision = await postFrom('127.0.0.4', `${stack.url}/activate/decision`, { user_code: device.user_code, decision: 'deny' });
    const elsewhere = await postFrom('127.0.0.5', `${stack.url}/activate/lookup`, { user_code: device.user_code });

    // Assess
    for (const answer of wrong) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('unknown_code');
    }
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ error: 'too_many_attempts', formError: expect.stringMatching(/try again in/), fieldErrors: { user_code: true } });
    expect(blockedDecision.status).toBe(429);
    expect(elsewhere.status).toBe(200);
  });

  it('sends Retry-After with the 429', async () => {
    for (const guess of ['FFFF-FFFF', 'GGGG-GGGG', 'HHHH-HHHH']) await postFrom('127.0.0.6', `${stack.url}/activate/lookup`, { user_code: guess });

    const response = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
      const target = new URL(`${stack.url}/activate/lookup`);
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          localAddress: '127.0.0.6',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ user_code: 'JJJJ-JJJJ' }));
    });

    expect(response.status).toBe(429);
    expect(Number(response.retryAfter)).toBeGreaterThan(0);
    expect(Number(response.retryAfter)).toBeLessThanOrEqual(15 * 60);
  });
});
