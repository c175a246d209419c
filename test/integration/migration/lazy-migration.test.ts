import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { LEGACY_PATHS, type LegacyLoginSimulator, startLegacyLoginSimulator } from '../../../local/simulators/legacy-login';
import { importUsers } from '../../../local/users/import-users';
import { post, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { consoleApi, signUpOperator } from '../admin/helpers';

describe('Lazy migration from the old login API', () => {
  let legacy: LegacyLoginSimulator;
  let stack: TestStack;
  const db = () => createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  const item = async (key: Record<string, string>) => (await db().send(new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }))).Item;
  const login = (email: string, password: string) => post(stack.url, '/login-flow/login', { email, password });
  const legacyUser = (password = 'the old password 1') => {
    const email = uniqueEmail('legacy');
    legacy.addUser({ email, password, firstName: 'Old', lastName: 'Timer', fields: { plan: 'gold' } });
    return { email, password };
  };
  const without = (body: Record<string, unknown>) => {
    const { correlationId: _id, ...rest } = body;
    return rest;
  };

  beforeAll(async () => {
    legacy = await startLegacyLoginSimulator({ users: [] });
    stack = await startTestStack({
      env: {
        LEGACY_LOGIN_URL: legacy.loginUrl,
        LEGACY_PROFILE_URL: legacy.profileUrl,
        LEGACY_TIMEOUT_MS: '400',
        LEGACY_CIRCUIT_FAILURES: '3',
        LEGACY_CIRCUIT_OPEN_SECONDS: '2',
        LOGIN_BACKOFF_FREE_FAILURES: '3',
        LOGIN_IP_MAX_FAILURES: '10000',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await legacy.stop();
  });

  it("creates the user on the old API's 200 and signs them in with our tokens, never the old ones", async () => {
    // Prepare
    const user = legacyUser();
    // Act
    const response = await login(user.email, user.password);
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 200, access_token: expect.any(String), refresh_token: expect.any(String) });
    for (const token of legacy.issuedTokens()) expect(response.text).not.toContain(token);
    const credential = await item(itemKeys.credential(user.email));
    expect(credential?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await item(itemKeys.profile(credential?.userId))).toMatchObject({
      email: user.email,
      firstName: 'Old',
      lastName: 'Timer',
      attributes: { plan: 'gold' },
    });
    // The next sign-in is ours alone: the old API is not asked again, and refresh works.
    const calls = legacy.calls(LEGACY_PATHS.login);
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await login(user.email, 'a wrong password')).status).toBe(403);
    expect(legacy.calls(LEGACY_PATHS.login)).toBe(calls);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: response.body.refresh_token })).status).toBe(200);
  });

  it("answers the old API's 403 as an ordinary failed sign-in, under the same back-off", async () => {
    // Prepare
    const user = legacyUser();
    const local = uniqueEmail('local');
    await post(stack.url, '/login-flow/register', {
      firstName: 'A',
      lastName: 'B',
      email: local,
      password: 'correct horse battery staple',
      approveTermsOfUse: true,
      approveMarketing: false,
    });
    // Act
    const wrong = await login(user.email, 'not the old password');
    const wrongLocal = await login(local, 'not the password either');
    const failures = [await login(user.email, 'x1'), await login(user.email, 'x2'), await login(user.email, 'x3')];
    // Assess
    expect(wrong.status).toBe(403);
    expect(without(wrong.body)).toEqual(without(wrongLocal.body));
    expect(failures.at(-1)?.body.formError).toMatch(/Too many (failed )?attempts/);
    expect(await item(itemKeys.credential(user.email))).toBeUndefined();
  });

  it('gives a user imported without a password the one they prove to the old API, under the imported id', async () => {
    // Prepare
    const user = legacyUser();
    const dir = mkdtempSync(join(tmpdir(), 'lb-lazy-'));
    const file = join(dir, 'users.jsonl');
    writeFileSync(file, `${JSON.stringify({ email: user.email, firstName: 'Imported', externalId: 'old-42' })}\n`);
    await importUsers({ file, target: { tableName: stack.tableName, endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }, progress: null });
    const imported = await item(itemKeys.credential(user.email));
    // Act
    const response = await login(user.email, user.password);
    // Assess
    expect(response.status).toBe(200);
    const credential = await item(itemKeys.credential(user.email));
    expect(credential?.userId).toBe(imported?.userId);
    expect(credential?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await item(itemKeys.profile(imported?.userId))).toMatchObject({ firstName: 'Imported', externalId: 'old-42' });
  });

  it('answers a slow old API within its timeout, as a failed sign-in', async () => {
    // Prepare
    const user = legacyUser();
    legacy.fail({ kind: 'slow', delayMs: 3000 });
    // Act
    const started = Date.now();
    const response = await login(user.email, user.password);
    const elapsed = Date.now() - started;
    // Assess
    expect(response.status).toBe(403);
    expect(response.body.formError).toBe('The email or password is incorrect.');
    expect(elapsed).toBeLessThan(2500);
    legacy.clearFaults();
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it('answers an old API that is down like a wrong password, stops calling it for a while, then tries again', async () => {
    // Prepare
    const user = legacyUser();
    legacy.down();
    // Act
    const whileDown = [];
    for (let attempt = 0; attempt < 3; attempt += 1) whileDown.push(await login(user.email, user.password));
    legacy.up();
    const callsBefore = legacy.calls(LEGACY_PATHS.login);
    const circuitOpen = await login(user.email, user.password);
    const callsWhileOpen = legacy.calls(LEGACY_PATHS.login) - callsBefore;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const afterwards = await login(user.email, user.password);
    // Assess
    for (const response of whileDown)
      expect(response.body).toMatchObject({ formError: 'The email or password is incorrect.', fieldErrors: { email: true, password: true } });
    expect(circuitOpen.status).toBe(403);
    expect(callsWhileOpen).toBe(0);
    expect(afterwards.status).toBe(200);
  });

  it('never creates an account on an answer outside the contract (a 200 without token, a 500)', async () => {
    // Prepare
    const user = legacyUser();
    legacy.fail({ kind: 'malformed', body: '{"status":200}' });
    legacy.fail({ kind: 'server-error', status: 500 });
    // Act
    const malformed = await login(user.email, user.password);
    const serverError = await login(user.email, user.password);
    // Assess
    expect(malformed.status).toBe(403);
    expect(serverError.status).toBe(403);
    expect(await item(itemKeys.credential(user.email))).toBeUndefined();
  });

  it('does not bring back, at the next old-password sign-in, an account its user deleted', async () => {
    // Prepare: migrated at a first sign-in, then deleted in the app.
    const user = legacyUser();
    const first = await login(user.email, user.password);
    expect(first.status).toBe(200);
    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': first.body.access_token })).toString('base64');
    expect((await post(stack.url, `/login-flow/delete-account?ctx=${encodeURIComponent(ctx)}`, {})).status).toBe(200);
    // Act: the old API still knows the password.
    const again = await login(user.email, user.password);
    // Assess
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ formError: 'The email or password is incorrect.' });
    expect(await item(itemKeys.credential(user.email))).toBeUndefined();
  });

  it('does not bring back an account an operator deleted', async () => {
    // Prepare
    const user = legacyUser();
    const first = await login(user.email, user.password);
    const operator = await signUpOperator(stack);
    const userId = (await item(itemKeys.credential(user.email)))?.userId;
    expect((await consoleApi(stack, operator.accessToken).delete(`/admin/users/${userId}`)).status).toBe(204);
    expect(first.status).toBe(200);
    // Act
    const again = await login(user.email, user.password);
    // Assess
    expect(again.status).toBe(403);
    expect(await item(itemKeys.credential(user.email))).toBeUndefined();
  });
});
