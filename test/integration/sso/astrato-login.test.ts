import { ASTRATO_PATHS, type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { signUp } from './helpers';

describe('POST /sso/astrato/login', () => {
  let astrato: AstratoSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    astrato = await startAstratoSimulator();
    stack = await startTestStack({
      env: {
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        LOGIN_BACKOFF_FREE_FAILURES: '3',
        LOGIN_IP_MAX_FAILURES: '1000',
        PARTNER_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await astrato.stop();
  });

  it('returns a ticket for the right email and password, without starting a LoginBridge session', async () => {
    const user = await signUp(stack);

    const response = await post(stack.url, '/sso/astrato/login', { email: ` ${user.email.toUpperCase()} `, password: user.password });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 200,
      ticket: expect.any(String),
      redirect_url: expect.stringContaining(`${astrato.url}/auth/proxy/oem/ticket/`),
    });
    expect(response.body).not.toHaveProperty('refresh_token');
    expect(astrato.setups().at(-1)).toMatchObject({ email: user.email });
  });

  it('needs the code of an account with a second factor (403 mfa_required) and hands off with it', async () => {
    const user = await signUp(stack);
    const factor = await enrolTotp(stack.url, user.accessToken);

    const passwordOnly = await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password });
    const withCode = await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password, otp: await freshCode(factor.secret) });

    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body).toMatchObject({ error: 'mfa_required', fieldErrors: { otp: expect.any(String) } });
    expect(withCode.status).toBe(200);
    expect(withCode.body.ticket).toEqual(expect.any(String));
  });

  it('answers a wrong password and an unknown email with the same 403 and asks Astrato for nothing', async () => {
    const user = await signUp(stack);
    const setupsBefore = astrato.calls(ASTRATO_PATHS.setup);

    const wrong = await post(stack.url, '/sso/astrato/login', { email: user.email, password: 'not the password at all' });
    const unknown = await post(stack.url, '/sso/astrato/login', { email: uniqueEmail('ghost'), password: 'not the password at all' });

    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ formError: 'The email or password is incorrect.', fieldErrors: { email: true, password: true } });
    }
    expect(astrato.calls(ASTRATO_PATHS.setup)).toBe(setupsBefore);
  });

  it('shares the brute-force back-off with /login-flow/login', async () => {
    const user = await signUp(stack);
    for (let index = 0; index < 3; index += 1) await post(stack.url, '/login-flow/login', { email: user.email, password: 'wrong password here' });
    // Once the third failure's 1 s hold ends, a fourth failure holds the account 2 s: room for a busy machine.
    await new Promise((resume) => setTimeout(resume, 1100));
    await post(stack.url, '/login-flow/login', { email: user.email, password: 'wrong password here' });

    const response = await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password });

    expect(response.status).toBe(403);
    expect(response.body.error).toBe('too_many_attempts');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it.each([
    ['a missing password', { email: 'a@example.com' }, { password: 'Enter your password.' }],
    ['a malformed email', { email: 'nope', password: 'x' }, { email: expect.stringContaining('valid email') }],
    ['a password of the wrong type', { email: 'a@example.com', password: 42 }, { password: expect.any(String) }],
  ])('answers %s with 403 and the field error', async (_name, body, fieldErrors) => {
    const response = await post(stack.url, '/sso/astrato/login', body);

    expect(response.status).toBe(403);
    expect(response.body.fieldErrors).toMatchObject(fieldErrors);
  });

  it('answers malformed JSON and an oversized body in the documented shape', async () => {
    const malformed = await call(stack.url, 'POST', '/sso/astrato/login', { body: '{"email":', headers: { 'content-type': 'application/json' } });
    const oversized = await call(stack.url, 'POST', '/sso/astrato/login', { body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(20_000) }) });

    expect(malformed.status).toBe(403);
    expect(malformed.body).toMatchObject({ error: 'invalid_request', formError: expect.stringContaining('not valid JSON') });
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject({ status: 413, error: 'payload_too_large' });
  });
});
