import { decodeJwt } from 'jose';
import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verifyEmail } from '../../support/verification';

/** Refresh reads no profile (one request), so the claim travels on the session family. */
describe('the email_verified claim of refreshed tokens', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('turns true on the refresh after the address is confirmed, for a session started before', async () => {
    // Prepare
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const before = await post(stack.url, '/login-flow/refresh', { refresh_token: registered.body.refresh_token });

    // Act
    await verifyEmail(stack, String(body.email));
    const after = await post(stack.url, '/login-flow/refresh', { refresh_token: before.body.refresh_token });

    // Assess
    expect(decodeJwt(registered.body.access_token).email_verified).toBe(false);
    expect(decodeJwt(before.body.access_token).email_verified).toBe(false);
    expect(after.status).toBe(200);
    expect(decodeJwt(after.body.access_token).email_verified).toBe(true);
  });

  it('is true from the first refresh of a session started after the address was confirmed', async () => {
    // Prepare
    const body = registration();
    await post(stack.url, '/login-flow/register', body);
    await verifyEmail(stack, String(body.email));
    const login = await post(stack.url, '/login-flow/login', { email: body.email, password: body.password });

    // Act
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: login.body.refresh_token });

    // Assess
    expect(decodeJwt(login.body.access_token).email_verified).toBe(true);
    expect(decodeJwt(refreshed.body.access_token).email_verified).toBe(true);
  });
});
