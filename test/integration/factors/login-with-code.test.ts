import { decodeJwt } from 'jose';
import { codeAt, TOTP_PERIOD_SECONDS } from '../../../lambdas/core/factors/totp';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('POST /login-flow/login for an account with a second factor', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { OTP_GUESSES_PER_ACCOUNT: '4' } });
  });
  afterAll(() => stack.stop());

  async function enrolledUser() {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const factor = await enrolTotp(stack.url, registered.body.access_token);
    return { email: body.email as string, factor, registered };
  }

  it('gives a password sign-in amr [pwd] and auth_time, and refreshed tokens keep them', async () => {
    const body = registration();
    await post(stack.url, '/login-flow/register', body);

    const signedIn = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD });
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: signedIn.body.refresh_token });

    const claims = decodeJwt(signedIn.body.access_token);
    expect(claims.amr).toEqual(['pwd']);
    expect(typeof claims.auth_time).toBe('number');
    expect(decodeJwt(refreshed.body.access_token)).toMatchObject({ amr: ['pwd'], auth_time: claims.auth_time });
  });

  it('refuses the password alone with 403 mfa_required and a field error on otp', async () => {
    const { email } = await enrolledUser();

    const response = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, error: 'mfa_required', fieldErrors: { otp: expect.any(String) } });
    expect(response.body.access_token).toBeUndefined();
  });

  it('signs in with the password and a code, with amr [pwd, otp, mfa] that a refresh keeps', async () => {
    const { email, factor } = await enrolledUser();

    const signedIn = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: await freshCode(factor.secret) });
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: signedIn.body.refresh_token });

    expect(signedIn.status).toBe(200);
    expect(decodeJwt(signedIn.body.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(decodeJwt(refreshed.body.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('refuses a code reused within its window (otp_reused) and a code of a far step (invalid_otp)', async () => {
    const { email, factor } = await enrolledUser();
    const code = await freshCode(factor.secret);
    const farStep = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) - 5;

    const first = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: code });
    const again = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: code });
    const stale = await post(stack.url, '/login-flow/login', {
      email,
      password: STRONG_PASSWORD,
      otp: codeAt(factor.secret, farStep * TOTP_PERIOD_SECONDS * 1000),
    });

    expect(first.status).toBe(200);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: 'otp_reused', fieldErrors: { otp: expect.any(String) } });
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({ error: 'invalid_otp', fieldErrors: { otp: expect.any(String) } });
  });

  it('signs in once with each recovery code and emails the user how many are left', async () => {
    const { email, factor } = await enrolledUser();
    const [code] = factor.recoveryCodes;

    const first = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: code });
    const again = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: code });

    expect(factor.recoveryCodes).toHaveLength(10);
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(again.body).toMatchObject({ status: 403, error: 'invalid_otp' });
    const notices = stack.outbox().filter((mail) => mail.to === email && /recovery code was used/.test(mail.subject));
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain('9 recovery codes left');
  });

  it('counts code guesses before checking any: past the allowance even the right code is refused with too_many_attempts', async () => {
    const { email, factor } = await enrolledUser();
    for (let guess = 0; guess < 4; guess += 1) await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: '000000' });

    const right = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD, otp: await freshCode(factor.secret) });

    expect(right.status).toBe(403);
    expect(right.body).toMatchObject({ error: 'too_many_attempts', fieldErrors: { otp: true } });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('still refuses a wrong password first, whatever the code', async () => {
    const { email, factor } = await enrolledUser();

    const response = await post(stack.url, '/login-flow/login', { email, password: 'not the password at all', otp: await freshCode(factor.secret) });

    expect(response.status).toBe(403);
    expect(response.body.error).toBe('invalid_credentials');
  });

  it('lists the factor without its secret', async () => {
    const { registered, factor } = await enrolledUser();

    const listed = await call(stack.url, 'GET', '/login-flow/factors', { headers: bearer(registered.body.access_token) });

    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      factors: [{ id: factor.factorId, kind: 'totp', label: 'Phone', createdAt: expect.any(String), lastUsedAt: expect.any(String) }],
      recoveryCodesLeft: 10,
    });
    expect(listed.text).not.toContain(factor.secret);
  });
});
