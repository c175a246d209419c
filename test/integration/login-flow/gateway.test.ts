import { call, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('the local API gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ALLOWED_ORIGINS: 'https://app.example.com,https://tv.example.com' } });
  });
  afterAll(() => stack.stop());

  it('serves the JWKS with public keys only', async () => {
    const response = await call(stack.url, 'GET', '/.well-known/jwks.json');

    expect(response.status).toBe(200);
    expect(response.body.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of response.body.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
      expect(key.d).toBeUndefined();
    }
  });

  it('answers an unknown path with a JSON 404 and a known path with another method with a JSON 405', async () => {
    const missing = await call(stack.url, 'GET', '/nope');
    const wrongMethod = await call(stack.url, 'GET', '/login-flow/login');

    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, error: 'not_found' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(wrongMethod.body).toMatchObject({ status: 405, error: 'method_not_allowed' });
  });

  it('answers CORS for configured origins only and exposes Retry-After', async () => {
    const allowed = await call(stack.url, 'POST', '/login-flow/login', { json: {}, headers: { origin: 'https://tv.example.com' } });
    const other = await call(stack.url, 'POST', '/login-flow/login', { json: {}, headers: { origin: 'https://evil.example.com' } });
    const preflight = await call(stack.url, 'OPTIONS', '/login-flow/login', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });

    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://tv.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('marks every API answer as not cacheable and carries a correlation id', async () => {
    const response = await call(stack.url, 'POST', '/login-flow/login', { json: {} });

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-correlation-id')).toBe(response.body.correlationId);
  });

  it('lets an endpoint that takes no body ignore whatever body a client sends along', async () => {
    const tokens = (await call(stack.url, 'POST', '/login-flow/register', { json: registration() })).body;

    const response = await call(stack.url, 'POST', '/login-flow/delete-account', {
      body: '{not json at all',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` },
    });

    expect(response.status).toBe(200);
  });
});
