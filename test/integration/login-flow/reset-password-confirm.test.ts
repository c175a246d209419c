import { existsSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { DynamoThrottleStore } from '../../../lambdas/adapters/dynamo/throttle-store';
import { sha256 } from '../../../lambdas/core/random';
import { throttleKeys } from '../../../lambdas/core/throttle';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const NEW_PASSWORD = 'violet kettle marching north';

describe('POST /login-flow/reset-password/confirm', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { RESET_EMAILS_PER_HOUR: '20', DEVICE_POLL_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => stack.stop());

  async function userWithResetLink() {
    const body = registration();
    const email = body.email as string;
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    const token = await requestLink(email);
    return { email, tokens: registered.body, token };
  }

  /** The outbox folder appears with the first email. */
  const outbox = () => (existsSync(stack.outboxDir) ? stack.outbox() : []);

  async function requestLink(email: string): Promise<string> {
    // Registration also sends a verification link: count reset emails only.
    const before = outbox().filter((mail) => mail.to === email && mail.subject === 'Reset your password').length;
    expect((await post(stack.url, '/login-flow/reset-password', { email })).status).toBe(200);
    const mails = outbox().filter((mail) => mail.to === email && mail.subject === 'Reset your password');
    expect(mails.length).toBeGreaterThan(before);
    return new URL(mails[mails.length - 1].links[0]).searchParams.get('token') as string;
  }

  const confirm = (token: string, password = NEW_PASSWORD, extra: Record<string, unknown> = {}) =>
    post(stack.url, '/login-flow/reset-password/confirm', { token, password, ...extra });
  const login = (email: string, password: string) => post(stack.url, '/login-flow/login', { email, password });

  it('sets the new password, signs out every session, including TV ones, and emails the user', async () => {
    // Prepare: a second session from a sign-in and a third from a TV.
    const user = await userWithResetLink();
    const second = await login(user.email, STRONG_PASSWORD);
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: 'client_id=applicaster-tv',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await post(stack.url, '/activate/decision', { user_code: device.body.user_code, decision: 'approve', email: user.email, password: STRONG_PASSWORD });
    const tv = await call(stack.url, 'POST', '/oauth/token', {
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: 'applicaster-tv',
        device_code: device.body.device_code,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(tv.status).toBe(200);

    // Act
    const response = await confirm(user.token, NEW_PASSWORD, { passwordConfirmation: NEW_PASSWORD });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 200, message: expect.stringMatching(/every device was signed out/) });
    expect((await login(user.email, STRONG_PASSWORD)).status).toBe(403);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
    for (const refreshToken of [user.tokens.refresh_token, second.body.refresh_token]) {
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: refreshToken })).status).toBe(403);
    }
    const tvRefresh = await call(stack.url, 'POST', '/oauth/token', {
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'applicaster-tv', refresh_token: tv.body.refresh_token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(tvRefresh.body.error).toBe('invalid_grant');
    const notice = stack.outbox().filter((mail) => mail.to === user.email && mail.subject === 'Your password was changed');
    expect(notice).toHaveLength(1);
    expect(notice[0].text).toMatch(/every device was signed out/);
    expect(notice[0].links).toEqual([`${stack.url}/reset-password`]);
    expect(notice[0].html).toContain(`${stack.url}/reset-password`);
  });

  it('works once: the same link again says it was already used', async () => {
    const user = await userWithResetLink();
    expect((await confirm(user.token)).status).toBe(200);

    const again = await confirm(user.token, 'another fine passphrase');

    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ error: 'reset_link_used', formError: expect.stringMatching(/already used/) });
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('lets exactly one of two simultaneous confirmations of a link through', async () => {
    const user = await userWithResetLink();

    const answers = await Promise.all([confirm(user.token, 'first racing passphrase'), confirm(user.token, 'second racing passphrase')]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    const loser = answers.find((answer) => answer.status === 403);
    expect(loser?.body.error).toBe('reset_link_used');
  });

  it('refuses an expired link in plain words', async () => {
    // Prepare: age the stored token past its end, as 30 minutes would.
    const user = await userWithResetLink();
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.reset(user.token.split('.')[0], sha256(user.token)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );

    const response = await confirm(user.token);

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'reset_link_expired', formError: expect.stringMatching(/has expired: links work for 30 minutes/) });
    expect((await login(user.email, STRONG_PASSWORD)).status).toBe(200);
  });

  it('refuses forged, truncated and superseded links', async () => {
    const user = await userWithResetLink();
    const newer = await requestLink(user.email);
    expect((await confirm(newer)).status).toBe(200);

    const superseded = await confirm(user.token, 'yet another passphrase');
    const truncated = await confirm(user.token.slice(0, -5));
    const forged = await confirm(`${user.token.split('.')[0]}.${'x'.repeat(43)}`);

    for (const answer of [superseded, truncated, forged]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: 'reset_link_invalid', formError: expect.stringMatching(/not valid/) });
    }
  });

  it('applies the register password policy and leaves the link usable after a refusal', async () => {
    const user = await userWithResetLink();

    const common = await confirm(user.token, 'password123');
    const short = await confirm(user.token, 'Xk3#pq');
    const personal = await confirm(user.token, user.email);
    const mismatch = await confirm(user.token, NEW_PASSWORD, { passwordConfirmation: 'something else' });
    const fine = await confirm(user.token);

    expect(common.status).toBe(403);
    expect(common.body.fieldErrors.password).toMatch(/too common/);
    expect(short.body.fieldErrors.password).toMatch(/at least 8/);
    expect(personal.status).toBe(403);
    expect(personal.body.fieldErrors.password).toMatch(/email address/);
    expect(mismatch.body.fieldErrors.passwordConfirmation).toMatch(/do not match/);
    expect(fine.status).toBe(200);
  });

  it('clears the sign-in back-off of the account', async () => {
    // Prepare: a failure streak long enough that the account must wait minutes (written directly: real failures would race the clock).
    const user = await userWithResetLink();
    const throttles = new DynamoThrottleStore(createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }), stack.tableName);
    const now = Math.floor(Date.now() / 1000);
    for (let failure = 0; failure < 12; failure += 1) await throttles.increment(throttleKeys.loginAccount(user.email), now, now + 86400);
    const waiting = await login(user.email, STRONG_PASSWORD);
    expect(waiting.body.error).toBe('too_many_attempts');

    // Act
    expect((await confirm(user.token)).status).toBe(200);

    // Assess
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('answers malformed requests with the Login Flow error shape', async () => {
    const notJson = await call(stack.url, 'POST', '/login-flow/reset-password/confirm', { body: '{"token":', headers: { 'content-type': 'application/json' } });
    const wrongTypes = await post(stack.url, '/login-flow/reset-password/confirm', { token: 42, password: ['x'] });
    const empty = await post(stack.url, '/login-flow/reset-password/confirm', {});

    expect(notJson.status).toBe(403);
    expect(notJson.body.formError).toMatch(/not valid JSON/);
    expect(wrongTypes.status).toBe(403);
    expect(Object.keys(wrongTypes.body.fieldErrors).sort()).toEqual(['password', 'token']);
    expect(empty.status).toBe(403);
  });
});
