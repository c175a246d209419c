import { decodeJwt } from 'jose';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { authenticatorFor, passkeyAnswer, registerPasskey, signInWithPasskey } from '../../support/passkeys';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('Passkeys', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { OTP_GUESSES_PER_ACCOUNT: '4', PASSKEY_CHALLENGES_PER_ADDRESS: '10000', LOG_LEVEL: 'ERROR' } });
  });
  afterAll(() => stack.stop());

  async function registered() {
    const body = registration();
    const response = await post(stack.url, '/login-flow/register', body);
    return { email: body.email as string, accessToken: response.body.access_token as string };
  }

  it('offers creation options for a discoverable passkey on the stack host, and registers it as a confirmed factor with ten recovery codes', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);

    const started = await call(stack.url, 'POST', '/login-flow/factors/passkeys/options', { headers: bearer(user.accessToken) });
    const added = await call(stack.url, 'POST', '/login-flow/factors/passkeys', {
      json: { challengeId: started.body.challengeId, response: authenticator.create(started.body.options), label: 'Laptop' },
      headers: bearer(user.accessToken),
    });
    const listed = await call(stack.url, 'GET', '/login-flow/factors', { headers: bearer(user.accessToken) });
    const passwordAlone = await post(stack.url, '/login-flow/login', { email: user.email, password: STRONG_PASSWORD });
    const again = await call(stack.url, 'POST', '/login-flow/factors/passkeys/options', { headers: bearer(user.accessToken) });

    expect(started.status).toBe(200);
    expect(started.body.options).toMatchObject({
      rp: { id: new URL(stack.url).hostname },
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      excludeCredentials: [],
      attestation: 'none',
    });
    expect(added.status).toBe(201);
    expect(added.body.factor).toMatchObject({ kind: 'passkey', label: 'Laptop' });
    expect(added.body.recoveryCodes).toHaveLength(10);
    expect(listed.body.factors).toEqual([expect.objectContaining({ kind: 'passkey', label: 'Laptop' })]);
    expect(passwordAlone.status).toBe(403);
    expect(passwordAlone.body.error).toBe('mfa_required');
    expect(again.body.options.excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.credentialIds[0] })]);
    expect(stack.outbox().filter((mail) => mail.to === user.email && /second factor was added/.test(mail.subject))).toHaveLength(1);
  });

  it('signs in with a passkey alone: the Login Flow token answer, amr [hwk, user, mfa] and auth_time, kept by a refresh', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);

    const signedIn = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator));
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: signedIn.body.refresh_token });
    const me = await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(signedIn.body.access_token) });

    expect(signedIn.status).toBe(200);
    expect(Object.keys(signedIn.body).sort()).toEqual(Object.keys((await post(stack.url, '/login-flow/register', registration())).body).sort());
    const claims = decodeJwt(signedIn.body.access_token);
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    expect(typeof claims.auth_time).toBe('number');
    expect(decodeJwt(refreshed.body.access_token).amr).toEqual(['hwk', 'user', 'mfa']);
    expect(me.body.email).toBe(user.email);
  });

  it('says swk for a synced passkey, and gives no mfa without user verification', async () => {
    const synced = authenticatorFor(stack.url, { backedUp: true });
    const presenceOnly = authenticatorFor(stack.url, { userVerifies: false });
    await registerPasskey(stack.url, (await registered()).accessToken, synced);
    await registerPasskey(stack.url, (await registered()).accessToken, presenceOnly);

    const syncedClaims = decodeJwt((await signInWithPasskey(stack.url, synced)).access_token);
    const presenceClaims = decodeJwt((await signInWithPasskey(stack.url, presenceOnly)).access_token);

    expect(syncedClaims.amr).toEqual(['swk', 'user', 'mfa']);
    expect(presenceClaims.amr).toEqual(['hwk']);
  });

  it('takes a passkey as the second factor beside the password (amr [pwd, hwk, mfa]), only one of that account', async () => {
    const user = await registered();
    const other = await registered();
    const authenticator = authenticatorFor(stack.url);
    const othersAuthenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);
    await registerPasskey(stack.url, other.accessToken, othersAuthenticator);

    const withPasskey = await post(stack.url, '/login-flow/login', {
      email: user.email,
      password: STRONG_PASSWORD,
      passkey: await passkeyAnswer(stack.url, authenticator),
    });
    const withOthers = await post(stack.url, '/login-flow/login', {
      email: user.email,
      password: STRONG_PASSWORD,
      passkey: await passkeyAnswer(stack.url, othersAuthenticator),
    });

    expect(withPasskey.status).toBe(200);
    expect(decodeJwt(withPasskey.body.access_token).amr).toEqual(['pwd', 'hwk', 'mfa']);
    expect(withOthers.status).toBe(403);
    expect(withOthers.body).toMatchObject({ error: 'unknown_passkey', fieldErrors: { passkey: expect.any(String) } });
  });

  it('steps up a session with a passkey', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);
    const tokens = await signInWithPasskey(stack.url, authenticator);

    const steppedUp = await call(stack.url, 'POST', '/login-flow/factors/step-up', {
      json: { passkey: await passkeyAnswer(stack.url, authenticator) },
      headers: bearer(tokens.access_token),
    });

    expect(steppedUp.status).toBe(200);
    expect(steppedUp.body.amr).toEqual(['hwk', 'user', 'mfa']);
  });

  it('refuses a replayed or unknown challenge (invalid_challenge), a wrong origin (wrong_origin), a wrong RP id (wrong_rp_id) and a malformed answer, storing nothing', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);

    const answer = await passkeyAnswer(stack.url, authenticator);
    const first = await post(stack.url, '/login-flow/passkey/login', answer);
    const replayed = await post(stack.url, '/login-flow/passkey/login', answer);
    const unknown = await post(stack.url, '/login-flow/passkey/login', {
      ...(await passkeyAnswer(stack.url, authenticator)),
      challengeId: 'no-such-challenge',
    });
    const wrongOrigin = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator, { origin: 'https://evil.example' }));
    const wrongRp = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator, { rpId: 'evil.example' }));
    const malformed = await post(stack.url, '/login-flow/passkey/login', { challengeId: answer.challengeId, response: { id: 'x', response: 'not an object' } });
    const noBody = await call(stack.url, 'POST', '/login-flow/passkey/login', { body: '{not json', headers: { 'content-type': 'application/json' } });
    const afterwards = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator));

    expect(first.status).toBe(200);
    expect([replayed.status, replayed.body.error]).toEqual([403, 'invalid_challenge']);
    expect([unknown.status, unknown.body.error]).toEqual([403, 'invalid_challenge']);
    expect([wrongOrigin.status, wrongOrigin.body.error]).toEqual([403, 'wrong_origin']);
    expect([wrongRp.status, wrongRp.body.error]).toEqual([403, 'wrong_rp_id']);
    expect([malformed.status, malformed.body.error]).toEqual([403, 'invalid_request']);
    expect(noBody.status).toBeGreaterThanOrEqual(400);
    expect(noBody.status).toBeLessThan(500);
    // The refusals took guesses but moved no counter: the authenticator's next assertion still signs in.
    expect(afterwards.status).toBe(200);
  });

  it('refuses a signature counter that goes backwards as a cloned authenticator (passkey_cloned), and the real one still signs in', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);
    await signInWithPasskey(stack.url, authenticator);
    await signInWithPasskey(stack.url, authenticator);

    const cloned = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator, { signCount: 1 }));
    const genuine = await post(stack.url, '/login-flow/passkey/login', await passkeyAnswer(stack.url, authenticator));

    expect(cloned.status).toBe(403);
    expect(cloned.body).toMatchObject({ error: 'passkey_cloned', fieldErrors: { passkey: expect.any(String) } });
    expect(genuine.status).toBe(200);
  });

  it('refuses a registration with a wrong origin or a replayed challenge, and a passkey already on the account', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    const options = async () => (await call(stack.url, 'POST', '/login-flow/factors/passkeys/options', { headers: bearer(user.accessToken) })).body;
    const register = (json: unknown) => call(stack.url, 'POST', '/login-flow/factors/passkeys', { json, headers: bearer(user.accessToken) });

    const started = await options();
    const wrongOrigin = await register({
      challengeId: started.challengeId,
      response: authenticator.create(started.options, { origin: 'https://evil.example' }),
    });
    const replayed = await register({ challengeId: started.challengeId, response: authenticator.create(started.options) });
    const malformed = await register({ challengeId: 'x', response: 'nope' });
    const listed = await call(stack.url, 'GET', '/login-flow/factors', { headers: bearer(user.accessToken) });

    expect([wrongOrigin.status, wrongOrigin.body.error]).toEqual([400, 'wrong_origin']);
    expect([replayed.status, replayed.body.error]).toEqual([400, 'invalid_challenge']);
    expect(malformed.status).toBe(400);
    expect(listed.body.factors).toEqual([]);
  });

  it('answers 401 without a token on the passkey factor routes', async () => {
    const options = await post(stack.url, '/login-flow/factors/passkeys/options', {});
    const add = await post(stack.url, '/login-flow/factors/passkeys', {});
    expect([options.status, add.status]).toEqual([401, 401]);
  });

  it('counts every verification before it: a burst of 20 forged assertions at one account gets at most 4 evaluated', async () => {
    const user = await registered();
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);
    const forged = await Promise.all(Array.from({ length: 20 }, () => passkeyAnswer(stack.url, authenticator, { challenge: 'Zm9yZ2Vk' })));

    const answers = await Promise.all(forged.map((answer) => post(stack.url, '/login-flow/passkey/login', answer)));

    const errors = answers.map((answer) => answer.body.error);
    expect(errors.filter((error) => error !== 'too_many_attempts').length).toBeLessThanOrEqual(4);
    expect(errors.filter((error) => error === 'too_many_attempts').length).toBeGreaterThanOrEqual(16);
    expect(answers.every((answer) => answer.status === 403)).toBe(true);
  });
});
