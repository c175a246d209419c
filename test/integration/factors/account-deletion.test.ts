import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** Deleting one's own account (POST /login-flow/delete-account) needs a recent factor once the account has one (docs/security.md). */
describe('account deletion of an account with a second factor', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const deleteAccount = (token: string) => call(stack.url, 'POST', '/login-flow/delete-account', { headers: bearer(token) });

  it('answers 403 step_up_required to a session without a recent factor, and deletes after a step-up in that session', async () => {
    // Prepare: a second session signed in with the password before the factor was added (so it never proved one)
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const passwordOnly = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD });
    const factor = await enrolTotp(stack.url, String(registered.body.access_token));
    const token = String(passwordOnly.body.access_token);

    // Act
    const refused = await deleteAccount(token);
    const stillThere = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD, otp: await freshCode(factor.secret) });
    const steppedUp = await call(stack.url, 'POST', '/login-flow/factors/step-up', { json: { otp: await freshCode(factor.secret) }, headers: bearer(token) });
    const deleted = await deleteAccount(token);

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('step_up_required');
    expect(stillThere.status).toBe(200);
    expect(steppedUp.status).toBe(200);
    expect(deleted.status).toBe(200);
  });

  it('deletes an account without a factor with the access token alone, as before', async () => {
    const registered = await post(stack.url, '/login-flow/register', registration());

    const deleted = await deleteAccount(String(registered.body.access_token));

    expect(deleted.status).toBe(200);
  });
});
