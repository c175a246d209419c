import { decodeJwt } from 'jose';
import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { latestVerifyToken } from '../../support/verification';

// Its own file: settings are read once per process, as in a Lambda instance.
describe('LOGIN_REQUIRES_VERIFIED_EMAIL=true', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_REQUIRES_VERIFIED_EMAIL: 'true' } });
  });
  afterAll(() => stack.stop());

  it('still registers with tokens, but holds back login and refresh until the link is clicked', async () => {
    // Prepare
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);

    // Act
    const login = await post(stack.url, '/login-flow/login', { email: body.email, password: body.password });
    const refresh = await post(stack.url, '/login-flow/refresh', { refresh_token: registered.body.refresh_token });
    await post(stack.url, '/verify-email/confirm', { token: latestVerifyToken(stack.outboxDir, String(body.email)) });
    const refreshedAfter = await post(stack.url, '/login-flow/refresh', { refresh_token: registered.body.refresh_token });
    const loginAfter = await post(stack.url, '/login-flow/login', { email: body.email, password: body.password });

    // Assess
    expect(registered.status).toBe(200);
    expect([login.status, login.body.error]).toEqual([403, 'email_not_verified']);
    expect(login.body.formError).toMatch(/confirm your email/);
    expect([refresh.status, refresh.body.error]).toEqual([403, 'email_not_verified']);
    // The refused refresh did not spend the token.
    expect(refreshedAfter.status).toBe(200);
    expect(decodeJwt(refreshedAfter.body.access_token).email_verified).toBe(true);
    expect(loginAfter.status).toBe(200);
  });
});
