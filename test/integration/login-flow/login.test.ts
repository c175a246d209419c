import { createRemoteJWKSet, jwtVerify } from 'jose';
import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('POST /login-flow/login', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_BACKOFF_FREE_FAILURES: '3', LOGIN_IP_MAX_FAILURES: '1000' } });
  });
  afterAll(() => stack.stop());

  async function registered(overrides: Record<string, unknown> = {}) {
    const body = registration(overrides);
    const response = await post(stack.url, '/login-flow/register', body);
    expect(response.status).toBe(200);
    return { ...body, tokens: response.body };
  }

  it('signs in with the email in any case and whitespace and issues tokens a third party can verify with the JWKS alone', async () => {
    // Prepare
    const user = await registered();
    // Act
    const response = await post(stack.url, '/login-flow/login', { email: ` ${String(user.email).toUpperCase()} `, password: STRONG_PASSWORD });
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 200, expires_in: 900 });
    const jwks = createRemoteJWKSet(new URL(`${stack.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(response.body.access_token, jwks, { issuer: stack.url, audience: 'loginbridge' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    expect(payload).toMatchObject({ sub: expect.any(String), jti: expect.any(String), iat: expect.any(Number) });
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('accepts username as an alias of email and ignores unknown fields', async () => {
    const user = await registered();

    const response = await post(stack.url, '/login-flow/login', { username: user.email, password: STRONG_PASSWORD, platform: 'roku', deviceId: 42 });

    expect(response.status).toBe(200);
  });

  it('answers a wrong password and an unknown email with the same 403', async () => {
    const user = await registered();

    const wrong = await post(stack.url, '/login-flow/login', { email: user.email, password: 'not the password at all' });
    const unknown = await post(stack.url, '/login-flow/login', { email: uniqueEmail('ghost'), password: 'not the password at all' });

    expect(wrong.status).toBe(403);
    expect(unknown.status).toBe(403);
    const { correlationId: _a, ...wrongBody } = wrong.body;
    const { correlationId: _b, ...unknownBody } = unknown.body;
    expect(wrongBody).toEqual(unknownBody);
    expect(wrongBody).toEqual({
      status: 403,
      error: 'invalid_credentials',
      formError: 'The email or password is incorrect.',
      fieldErrors: { email: true, password: true },
    });
  });

  it('backs off after repeated failures, says when to try again, and a success after the wait resets the count', async () => {
    const user = await registered();
    const attempt = (password: string) => post(stack.url, '/login-flow/login', { email: user.email, password });

    // Three free failures (configured), the third one starts a 1 s wait, the fourth 2 s.
    for (let index = 0; index < 2; index += 1) expect((await attempt('wrong password 1')).body.formError).toBe('The email or password is incorrect.');
    const third = await attempt('wrong password 1');
    expect(third.body.formError).toMatch(/please wait 1 second/);
    // Holds are counted in whole seconds: the fourth failure's 2 s hold leaves a busy machine a full second to be refused in.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fourth = await attempt('wrong password 1');
    expect(fourth.body.formError).toMatch(/please wait 2 seconds/);

    const blocked = await attempt(STRONG_PASSWORD);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(blocked.body.formError).toMatch(/try again in \d+ seconds?/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await attempt(STRONG_PASSWORD)).status).toBe(200);
    // The streak is over: a new failure is free again.
    expect((await attempt('wrong password 2')).body.error).toBe('invalid_credentials');
    expect((await attempt(STRONG_PASSWORD)).status).toBe(200);
  });

  it('counts failures for unknown emails too, so the back-off reveals nothing', async () => {
    const ghost = uniqueEmail('ghost');
    const errors: string[] = [];

    // Until the back-off answers; a loaded machine may let a 1 s wait pass between two attempts.
    for (let attempt = 0; attempt < 8 && errors[errors.length - 1] !== 'too_many_attempts'; attempt += 1) {
      errors.push((await post(stack.url, '/login-flow/login', { email: ghost, password: 'whatever it is' })).body.error);
    }

    expect(errors.slice(0, 3)).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials']);
    expect(errors).toContain('too_many_attempts');
  });

  it('rejects malformed input with the error shape', async () => {
    const missing = await post(stack.url, '/login-flow/login', {});
    const wrongType = await post(stack.url, '/login-flow/login', { email: 5, password: null });

    expect(missing.status).toBe(403);
    expect(missing.body.fieldErrors).toEqual({ email: 'Enter your email address.', password: 'Enter your password.' });
    expect(wrongType.status).toBe(403);
    expect(Object.keys(wrongType.body.fieldErrors).sort()).toEqual(['email', 'password']);
  });
});
