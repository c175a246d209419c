import { decodeJwt } from 'jose';
import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('POST /login-flow/refresh', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const refresh = (token: string) => post(stack.url, '/login-flow/refresh', { refresh_token: token });
  async function signedUp() {
    const response = await post(stack.url, '/login-flow/register', registration());
    return response.body as { access_token: string; refresh_token: string };
  }

  it('rotates the refresh token and keeps the session id', async () => {
    // Prepare
    const first = await signedUp();
    // Act
    const second = await refresh(first.refresh_token);
    // Assess
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 200, expires_in: 900, token_type: 'Bearer' });
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.body.access_token).sid).toBe(decodeJwt(first.access_token).sid);
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
  });

  it('revokes the family when a token two rotations old is reused', async () => {
    const first = await signedUp();
    const second = (await refresh(first.refresh_token)).body;
    const third = (await refresh(second.refresh_token)).body;

    const replay = await refresh(first.refresh_token);
    const afterReplay = await refresh(third.refresh_token);

    expect(replay.status).toBe(403);
    expect(replay.body.error).toBe('invalid_grant');
    expect(afterReplay.status).toBe(403);
  });

  it('answers a retried refresh whose answer was lost with the same new token', async () => {
    const first = await signedUp();
    const answered = (await refresh(first.refresh_token)).body;

    const retried = await refresh(first.refresh_token);

    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).toBe(answered.refresh_token);
    expect(decodeJwt(retried.body.access_token).sid).toBe(decodeJwt(answered.access_token).sid);
    expect((await refresh(answered.refresh_token)).status).toBe(200);
  });

  it('gives concurrent duplicates of one refresh the same successor, which stays usable', async () => {
    const first = await signedUp();

    const results = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);

    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((result) => result.body.refresh_token)).size).toBe(1);
    expect((await refresh(results[0].body.refresh_token)).status).toBe(200);
  });

  it('keeps other sessions of the same user alive when one family is revoked', async () => {
    const body = registration();
    const phone = (await post(stack.url, '/login-flow/register', body)).body;
    const tv = (await post(stack.url, '/login-flow/login', { email: body.email, password: body.password })).body;
    const phoneNext = (await refresh(phone.refresh_token)).body;
    const phoneLatest = (await refresh(phoneNext.refresh_token)).body;
    await refresh(phone.refresh_token); // two rotations old: reuse, the phone's family ends

    expect((await refresh(phoneLatest.refresh_token)).status).toBe(403);
    expect((await refresh(tv.refresh_token)).status).toBe(200);
  });

  it('answers a forged, unknown or malformed token with a plain 403', async () => {
    const first = await signedUp();
    const [userId, familyId] = first.refresh_token.split('.');
    const forged = `${userId}.${familyId}.${'A'.repeat(43)}`;

    for (const token of [forged, 'nonsense', `${'x'.repeat(22)}.${'y'.repeat(22)}.${'z'.repeat(43)}`]) {
      const response = await refresh(token);
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('invalid_grant');
    }
    // A forged token for a real family is not "reuse": the genuine token still works.
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it('rejects a missing or wrongly typed refresh_token with 403 and the error shape', async () => {
    const missing = await post(stack.url, '/login-flow/refresh', {});
    const number = await post(stack.url, '/login-flow/refresh', { refresh_token: 12 });

    expect(missing.status).toBe(403);
    expect(missing.body.fieldErrors.refresh_token).toEqual(expect.any(String));
    expect(number.status).toBe(403);
  });
});
