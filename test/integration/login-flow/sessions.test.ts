import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer } from '../sso/helpers';

describe('GET and DELETE /login-flow/sessions: my sessions and devices', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const list = (token: string) => call(stack.url, 'GET', '/login-flow/sessions', { headers: bearer(token) });
  const end = (token: string, sessionId: string) => call(stack.url, 'DELETE', `/login-flow/sessions/${sessionId}`, { headers: bearer(token) });

  /** Registers (the first session), then signs in again (the second). */
  async function userWithTwoSessions() {
    const body = registration();
    const first = (await post(stack.url, '/login-flow/register', body)).body;
    const second = (await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD })).body;
    return { first, second };
  }
  const sessionIdOf = (refreshToken: string) => refreshToken.split('.')[1];

  it('lists both sessions of a user who signed in twice, marking the one that asks as current', async () => {
    // Prepare
    const { first, second } = await userWithTwoSessions();
    // Act
    const listed = await list(second.access_token);
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toHaveLength(2);
    const byId = Object.fromEntries(listed.body.sessions.map((session: { session_id: string }) => [session.session_id, session]));
    expect(byId[sessionIdOf(second.refresh_token)]).toMatchObject({
      current: true,
      client: 'app',
      client_id: null,
      amr: ['pwd'],
      network: expect.stringMatching(/^[0-9a-f.:]+\/(24|48)$/),
    });
    // Registration keeps no network; a sign-in keeps only its /24 or /48, never the address.
    expect(byId[sessionIdOf(first.refresh_token)]).toMatchObject({ current: false, network: null });
    expect(Date.parse(byId[sessionIdOf(first.refresh_token)].started_at)).not.toBeNaN();
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);
  });

  it('ends the other session: its refresh token fails at once, its access token too, and the list shows one session', async () => {
    const { first, second } = await userWithTwoSessions();

    const ended = await end(second.access_token, sessionIdOf(first.refresh_token));

    expect(ended.status).toBe(200);
    expect(ended.body.current).toBe(false);
    // The Login Flow answers a refused refresh token with 403 (its contract, docs/login-flow.md).
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: first.refresh_token })).status).toBe(403);
    expect((await list(first.access_token)).status).toBe(401);
    const left = (await list(second.access_token)).body.sessions;
    expect(left.map((session: { session_id: string }) => session.session_id)).toEqual([sessionIdOf(second.refresh_token)]);
  });

  it('ends the current session when asked to, and says so', async () => {
    const { second } = await userWithTwoSessions();

    const ended = await end(second.access_token, sessionIdOf(second.refresh_token));

    expect(ended.status).toBe(200);
    expect(ended.body.current).toBe(true);
    expect((await list(second.access_token)).status).toBe(401);
  });

  it("answers 404 for another user's session id, exactly like a missing one, and ends nothing", async () => {
    const mine = await userWithTwoSessions();
    const theirs = await userWithTwoSessions();

    const other = await end(mine.second.access_token, sessionIdOf(theirs.first.refresh_token));
    const missing = await end(mine.second.access_token, 'AAAAAAAAAAAAAAAAAAAAAA');

    expect(other.status).toBe(404);
    const { correlationId: _other, ...otherBody } = other.body;
    const { correlationId: _missing, ...missingBody } = missing.body;
    expect(otherBody).toEqual(missingBody);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: theirs.first.refresh_token })).status).toBe(200);
  });

  it('answers 401 without a token and 400 for a malformed session id', async () => {
    const { second } = await userWithTwoSessions();

    expect((await call(stack.url, 'GET', '/login-flow/sessions')).status).toBe(401);
    expect((await call(stack.url, 'DELETE', '/login-flow/sessions/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    const malformed = await end(second.access_token, 'not*an*id');

    expect(malformed.status).toBe(400);
    expect(malformed.body.formError).toBe('This is not a session id.');
    expect(malformed.body.fieldErrors).toEqual({ sessionId: 'This is not a session id.' });
  });
});
