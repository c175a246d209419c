import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Adding a sign-in method to an account with no second factor needs a recent sign-in: a session stolen (or left
 * open) longer than STEP_UP_WINDOW_SECONDS cannot plant its thief's Google account as a way in.
 */
describe('Linking a provider to an account without a second factor', () => {
  // A short window, so that a test can outlive it.
  const started = stackWithSignInProviders({ providers: ['google'], env: { STEP_UP_WINDOW_SECONDS: '2' } });
  let stack: TestStack;
  beforeAll(() => ({ stack } = started));

  const askTicket = (token: string) => call(stack.url, 'POST', '/login-flow/identities/google', { headers: bearer(token) });

  it('refuses a ticket (403 reauthentication_required) to a session signed in longer ago than the window, and gives one after a new sign-in', async () => {
    // Prepare: a session signed in, then older than the window (auth_time counts whole seconds: wait past 3 s)
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3500));

    // Act
    const refused = await askTicket(String(registered.body.access_token));
    const signedInAgain = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD });
    const granted = await askTicket(String(signedInAgain.body.access_token));

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('reauthentication_required');
    expect(granted.status).toBe(200);
    expect(typeof granted.body.ticket).toBe('string');
  });

  it('keeps the rule on a refreshed session: a refresh is not a sign-in', async () => {
    // Prepare
    const registered = await post(stack.url, '/login-flow/register', registration());
    await new Promise((resolve) => setTimeout(resolve, 3500));

    // Act
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: registered.body.refresh_token });
    const refused = await askTicket(String(refreshed.body.access_token));

    // Assess
    expect(refreshed.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('reauthentication_required');
  });
});
