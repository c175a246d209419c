import { freePort } from '../../../local/dynamodb-local';
import { call, post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** The handlers talk to a DynamoDB endpoint where nothing listens: every store call fails as an outage would. */
describe('TV sign-in and password reset when DynamoDB is down', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` } });
  });
  afterAll(() => stack.stop());

  const form = (path: string, body: string) => call(stack.url, 'POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const wellFormedToken = `${'a'.repeat(22)}.${'b'.repeat(43)}`;

  it('answers the OAuth endpoints with 503 temporarily_unavailable and Retry-After', async () => {
    const authorize = await form('/oauth/device_authorization', 'client_id=applicaster-tv');
    const token = await form(
      '/oauth/token',
      `grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=applicaster-tv&device_code=BCDFGHJK.${'A'.repeat(43)}`,
    );

    for (const response of [authorize, token]) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/temporarily unavailable/) });
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers the activation and reset APIs with their own error shapes', async () => {
    const lookup = await post(stack.url, '/activate/lookup', { user_code: 'BCDF-GHJK' });
    const confirm = await post(stack.url, '/login-flow/reset-password/confirm', { token: wellFormedToken, password: 'violet kettle marching north' });

    expect(lookup.status).toBe(503);
    expect(lookup.body).toMatchObject({ error: 'temporarily_unavailable', formError: expect.any(String) });
    expect(confirm.status).toBe(503);
    expect(confirm.body.formError).toMatch(/temporarily unavailable/);
  });

  it('still shows the reset form, saying the link could not be checked', async () => {
    const page = await call(stack.url, 'GET', `/reset-password?token=${wellFormedToken}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('"state":"unchecked"');
  });
});
