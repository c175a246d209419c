import { decodeJwt } from 'jose';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const CLIENT_ID = 'applicaster-tv';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** /activate with a password: an account with a second factor needs its code there too, and the TV's tokens say how it was approved. */
describe('TV activation of an account with a second factor', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_CLIENT_IDS: `${CLIENT_ID}=Acme TV`, DEVICE_POLL_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => stack.stop());

  const form = (path: string, params: Record<string, string>) =>
    call(stack.url, 'POST', path, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  async function registered() {
    const body = registration();
    const response = await post(stack.url, '/login-flow/register', body);
    expect(response.status).toBe(200);
    return { email: String(body.email), password: STRONG_PASSWORD, accessToken: String(response.body.access_token) };
  }

  async function tvTokens(deviceCode: string) {
    return form('/oauth/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: CLIENT_ID });
  }

  it('answers 403 mfa_required without a code, keeps the TV code pending, and approves with the code; the TV token has amr [pwd, otp, mfa]', async () => {
    // Prepare
    const user = await registered();
    const factor = await enrolTotp(stack.url, user.accessToken);
    const device = (await form('/oauth/device_authorization', { client_id: CLIENT_ID })).body;
    const approval = { user_code: device.user_code, decision: 'approve', email: user.email, password: user.password };

    // Act
    const withoutCode = await post(stack.url, '/activate/decision', approval);
    const wrongCode = await post(stack.url, '/activate/decision', { ...approval, otp: '000000' });
    const withCode = await post(stack.url, '/activate/decision', { ...approval, otp: await freshCode(factor.secret) });
    const tokens = await tvTokens(device.device_code);

    // Assess
    expect(withoutCode.status).toBe(403);
    expect(withoutCode.body.error).toBe('mfa_required');
    expect(withoutCode.body.fieldErrors.otp).toEqual(expect.any(String));
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.fieldErrors.otp).toEqual(expect.any(String));
    expect(withCode.status).toBe(200);
    expect(withCode.body.decision).toBe('approved');
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('approves with a recovery code, which is then spent', async () => {
    // Prepare
    const user = await registered();
    const factor = await enrolTotp(stack.url, user.accessToken);
    const first = (await form('/oauth/device_authorization', { client_id: CLIENT_ID })).body;
    const second = (await form('/oauth/device_authorization', { client_id: CLIENT_ID })).body;
    const recoveryCode = factor.recoveryCodes[0];

    // Act
    const used = await post(stack.url, '/activate/decision', {
      user_code: first.user_code,
      decision: 'approve',
      email: user.email,
      password: user.password,
      otp: recoveryCode,
    });
    const reused = await post(stack.url, '/activate/decision', {
      user_code: second.user_code,
      decision: 'approve',
      email: user.email,
      password: user.password,
      otp: recoveryCode,
    });

    // Assess
    expect(used.status).toBe(200);
    expect(reused.status).toBe(400);
    expect(reused.body.fieldErrors.otp).toEqual(expect.any(String));
  });

  it('gives a TV approved with the password alone (an account without a factor) amr [pwd]', async () => {
    // Prepare
    const user = await registered();
    const device = (await form('/oauth/device_authorization', { client_id: CLIENT_ID })).body;

    // Act
    const approved = await post(stack.url, '/activate/decision', {
      user_code: device.user_code,
      decision: 'approve',
      email: user.email,
      password: user.password,
    });
    const tokens = await tvTokens(device.device_code);

    // Assess
    expect(approved.status).toBe(200);
    expect(decodeJwt(tokens.body.access_token).amr).toEqual(['pwd']);
  });
});
