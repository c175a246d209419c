import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { enrolTotp, freshCode } from '../../support/factors';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { authenticatorFor, passkeyAnswer, registerPasskey, signInWithPasskey } from '../../support/passkeys';
import { signUp } from '../sso/helpers';

describe('MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS', () => {
  let astrato: AstratoSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    astrato = await startAstratoSimulator();
    stack = await startTestStack({
      env: {
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS: 'true',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await astrato.stop();
  });

  it('refuses a web sign-in of an account without a factor (403 mfa_required), while the apps still sign in with the password', async () => {
    const user = await signUp(stack);

    const web = await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password });
    const app = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password });

    expect(web.status).toBe(403);
    expect(web.body.error).toBe('mfa_required');
    expect(app.status).toBe(200);
  });

  it('lets a web sign-in through with a factor and its code', async () => {
    const user = await signUp(stack);
    const factor = await enrolTotp(stack.url, user.accessToken);

    const web = await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password, otp: await freshCode(factor.secret) });

    expect(web.status).toBe(200);
    expect(web.body.ticket).toEqual(expect.any(String));
  });

  it('lets a web sign-in through with the password and a passkey instead of a code', async () => {
    const user = await signUp(stack);
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);

    const web = await post(stack.url, '/sso/astrato/login', {
      email: user.email,
      password: user.password,
      passkey: await passkeyAnswer(stack.url, authenticator),
    });

    expect(web.status).toBe(200);
    expect(web.body.ticket).toEqual(expect.any(String));
  });

  it('hands off with a passkey alone: the passkey sign-in, then the bearer hand-off the page uses', async () => {
    const user = await signUp(stack);
    const authenticator = authenticatorFor(stack.url);
    await registerPasskey(stack.url, user.accessToken, authenticator);

    const tokens = await signInWithPasskey(stack.url, authenticator);
    const web = await post(stack.url, '/sso/astrato', {}, { authorization: `Bearer ${tokens.access_token}` });

    expect(web.status).toBe(200);
    expect(web.body.ticket).toEqual(expect.any(String));
  });
});
