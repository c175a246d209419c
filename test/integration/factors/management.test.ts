import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { enrolTotp, freshCode, signInWithCode } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('second-factor management routes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const api = (token: string) => ({
    get: (path: string) => call(stack.url, 'GET', path, { headers: bearer(token) }),
    post: (path: string, json?: unknown) => call(stack.url, 'POST', path, { json, headers: bearer(token) }),
    patch: (path: string, json?: unknown) => call(stack.url, 'PATCH', path, { json, headers: bearer(token) }),
    delete: (path: string) => call(stack.url, 'DELETE', path, { headers: bearer(token) }),
  });

  async function registered() {
    const body = registration();
    const response = await post(stack.url, '/login-flow/register', body);
    return { email: body.email as string, accessToken: response.body.access_token as string };
  }

  /** Moves the session's last factor use back, as if the step-up window had passed. */
  async function ageFactorUse(accessToken: string, seconds: number) {
    const { sub, sid } = decodeJwt(accessToken) as { sub: string; sid: string };
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.session(sub, sid),
        UpdateExpression: 'SET factorUsedAt = :at',
        ExpressionAttributeValues: { ':at': Math.floor(Date.now() / 1000) - seconds },
      }),
    );
  }

  it('enrols TOTP: an otpauth URI, a QR code and the secret, shown once; confirmed by a first code, with ten recovery codes and an email', async () => {
    const user = await registered();

    const enrolled = await api(user.accessToken).post('/login-flow/factors/totp', { label: 'Work phone' });
    const confirmed = await api(user.accessToken).post('/login-flow/factors/totp/confirm', {
      factorId: enrolled.body.factorId,
      code: await freshCode(enrolled.body.secret),
    });
    const again = await api(user.accessToken).post('/login-flow/factors/totp/confirm', { factorId: enrolled.body.factorId, code: '123456' });

    expect(enrolled.status).toBe(201);
    expect(enrolled.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/LoginBridge:.+\?.*secret=[A-Z2-7]+/);
    expect(enrolled.body.otpauthUri).toContain('algorithm=SHA1&digits=6&period=30');
    expect(enrolled.body.qrCodeSvg).toMatch(/^<svg/);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.factor).toMatchObject({ id: enrolled.body.factorId, kind: 'totp', label: 'Work phone' });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(again.status).toBe(409);
    expect(stack.outbox().filter((mail) => mail.to === user.email && /second factor was added/.test(mail.subject))).toHaveLength(1);
  });

  it('refuses a wrong first code with 400 invalid_otp and an unknown enrolment with 404', async () => {
    const user = await registered();
    const enrolled = await api(user.accessToken).post('/login-flow/factors/totp', {});

    const wrong = await api(user.accessToken).post('/login-flow/factors/totp/confirm', { factorId: enrolled.body.factorId, code: '000000' });
    const unknown = await api(user.accessToken).post('/login-flow/factors/totp/confirm', { factorId: 'no-such-factor', code: '000000' });
    const malformed = await api(user.accessToken).post('/login-flow/factors/totp/confirm', { code: 7 });

    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_otp', fieldErrors: { otp: expect.any(String) } });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });

  it('answers 401 without a token on every factor route', async () => {
    const routes: [string, string][] = [
      ['GET', '/login-flow/factors'],
      ['POST', '/login-flow/factors/totp'],
      ['POST', '/login-flow/factors/totp/confirm'],
      ['PATCH', '/login-flow/factors/abc'],
      ['DELETE', '/login-flow/factors/abc'],
      ['POST', '/login-flow/factors/recovery-codes'],
      ['POST', '/login-flow/factors/step-up'],
    ];
    const responses = await Promise.all(
      routes.map(([method, path]) => call(stack.url, method, path, { json: method === 'POST' || method === 'PATCH' ? {} : undefined })),
    );
    expect(responses.map((response) => response.status)).toEqual(routes.map(() => 401));
  });

  it('renames a factor', async () => {
    const user = await registered();
    const factor = await enrolTotp(stack.url, user.accessToken);

    const renamed = await api(user.accessToken).patch(`/login-flow/factors/${factor.factorId}`, { label: 'Old phone' });
    const unknown = await api(user.accessToken).patch('/login-flow/factors/nope', { label: 'x' });

    expect(renamed.status).toBe(200);
    expect(renamed.body.factor).toMatchObject({ id: factor.factorId, label: 'Old phone' });
    expect(unknown.status).toBe(404);
  });

  it('needs a recent factor to remove one or make new recovery codes (step_up_required), and a step-up with a code gives it', async () => {
    const user = await registered();
    const factor = await enrolTotp(stack.url, user.accessToken);
    await ageFactorUse(user.accessToken, 3600);

    const refusedRemove = await api(user.accessToken).delete(`/login-flow/factors/${factor.factorId}`);
    const refusedCodes = await api(user.accessToken).post('/login-flow/factors/recovery-codes');
    const noCode = await api(user.accessToken).post('/login-flow/factors/step-up', {});
    const steppedUp = await api(user.accessToken).post('/login-flow/factors/step-up', { otp: await freshCode(factor.secret) });
    const codes = await api(user.accessToken).post('/login-flow/factors/recovery-codes');

    expect(refusedRemove.status).toBe(403);
    expect(refusedRemove.body.error).toBe('step_up_required');
    expect(refusedCodes.body.error).toBe('step_up_required');
    expect(noCode.status).toBe(400);
    expect(steppedUp.status).toBe(200);
    expect(steppedUp.body.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(codes.status).toBe(200);
    expect(codes.body.recoveryCodes).toHaveLength(10);
    expect(codes.body.recoveryCodes).not.toContain(factor.recoveryCodes[0]);
  });

  it('removes a factor after a step-up: the password alone signs in again, the old recovery codes are gone, the user is emailed', async () => {
    const user = await registered();
    const factor = await enrolTotp(stack.url, user.accessToken);
    const tokens = await signInWithCode(stack.url, user.email, factor.secret);

    const removed = await api(tokens.access_token).delete(`/login-flow/factors/${factor.factorId}`);
    const passwordOnly = await post(stack.url, '/login-flow/login', { email: user.email, password: STRONG_PASSWORD });
    const listed = await api(tokens.access_token).get('/login-flow/factors');

    expect(removed.status).toBe(204);
    expect(passwordOnly.status).toBe(200);
    expect(listed.body).toEqual({ factors: [], recoveryCodesLeft: 0 });
    expect(stack.outbox().filter((mail) => mail.to === user.email && /second factor was removed/.test(mail.subject))).toHaveLength(1);
  });
});
