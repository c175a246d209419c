import { decodeJwt } from 'jose';
import { call, post, registration, type TestResponse } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verificationMails, verifyEmail } from '../../support/verification';
import { removeProfileAttribute } from './support';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CLIENT_ID = 'applicaster-tv';

// Its own file: settings are read once per process, as in a Lambda instance.
describe('LOGIN_REQUIRES_VERIFIED_EMAIL=true for TV sign-in and the OAuth refresh grant', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: { LOGIN_REQUIRES_VERIFIED_EMAIL: 'true', DEVICE_CLIENT_IDS: `${CLIENT_ID}=Acme TV`, DEVICE_POLL_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(() => stack.stop());

  const form = (path: string, params: Record<string, string>): Promise<TestResponse<Record<string, any>>> =>
    call(stack.url, 'POST', path, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function register() {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    return { email: String(body.email), password: String(body.password), userId: String(decodeJwt(registered.body.access_token).sub), tokens: registered.body };
  }

  async function startDevice() {
    const started = await form('/oauth/device_authorization', { client_id: CLIENT_ID });
    expect(started.status).toBe(200);
    return started.body as { device_code: string; user_code: string };
  }

  const approve = (userCode: string, who: { email: string; password: string }) =>
    post(stack.url, '/activate/decision', { user_code: userCode, decision: 'approve', email: who.email, password: who.password });
  const poll = (deviceCode: string) => form('/oauth/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: CLIENT_ID });

  it('refuses an unverified approval on /activate with email_not_verified, and the same code connects the TV after the click', async () => {
    // Prepare
    const user = await register();
    const device = await startDevice();

    // Act
    const refused = await approve(device.user_code, user);
    await sleep(1100);
    const pending = await poll(device.device_code);
    await verifyEmail(stack, user.email);
    const approved = await approve(device.user_code, user);
    await sleep(1100);
    const redeemed = await poll(device.device_code);

    // Assess
    expect([refused.status, refused.body.error]).toEqual([403, 'email_not_verified']);
    expect(refused.body.formError).toMatch(/confirm your email address/);
    expect(pending.body.error).toBe('authorization_pending');
    expect(approved.status).toBe(200);
    expect(redeemed.status).toBe(200);
    expect(decodeJwt(redeemed.body.access_token)).toMatchObject({ sub: user.userId, client_id: CLIENT_ID, email_verified: true });
  });

  it('sends an account that never got a link its first one when /activate refuses it', async () => {
    // Prepare: an account from before verification existed has no verificationSentAt
    const user = await register();
    await removeProfileAttribute(stack, user.userId, 'verificationSentAt');
    const before = verificationMails(stack.outboxDir, user.email).length;
    const device = await startDevice();

    // Act
    const refused = await approve(device.user_code, user);

    // Assess
    expect(refused.body.error).toBe('email_not_verified');
    expect(verificationMails(stack.outboxDir, user.email).length).toBe(before + 1);
  });

  it('answers access_denied to the device when the approver is no longer verified at redemption', async () => {
    // Prepare
    const user = await register();
    await verifyEmail(stack, user.email);
    const device = await startDevice();
    expect((await approve(device.user_code, user)).status).toBe(200);
    await removeProfileAttribute(stack, user.userId, 'emailVerifiedAt');
    await sleep(1100);

    // Act
    const refused = await poll(device.device_code);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'access_denied', error_description: expect.stringMatching(/^Email address not confirmed\. /) });
  });

  it('refuses the refresh_token grant of an unverified address with invalid_grant, leaving the token usable after the click', async () => {
    // Prepare
    const user = await register();

    // Act
    const refused = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token });
    await verifyEmail(stack, user.email);
    const refreshed = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: user.tokens.refresh_token });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/^Email address not confirmed\. .*confirm your email address/),
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token).email_verified).toBe(true);
  });
});
