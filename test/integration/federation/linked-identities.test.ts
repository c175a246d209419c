import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { decodeJwt } from 'jose';
import type { GoogleSimulator } from '../../../local/simulators/google';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';
import { verifyEmail } from '../../support/verification';
import { bearer } from '../sso/helpers';

const NEW_PASSWORD = 'violet kettle marching north';
const sub = () => `sub-${randomBytes(8).toString('hex')}`;

describe('GET and DELETE /login-flow/identities: linked sign-in methods', () => {
  const started = stackWithSignInProviders({ providers: ['google'], env: { LOGIN_IP_MAX_FAILURES: '1000', RESET_EMAILS_PER_HOUR: '20' } });
  let stack: TestStack;
  let google: GoogleSimulator;
  beforeAll(() => ({ stack, google } = started));

  const list = (token: string) => call(stack.url, 'GET', '/login-flow/identities', { headers: bearer(token) });
  const unlink = (token: string, provider: string) => call(stack.url, 'DELETE', `/login-flow/identities/${provider}`, { headers: bearer(token) });

  async function googleSignIn(email: string) {
    const nonce = randomBytes(16).toString('base64url');
    const idToken = await google.mintGoogleIdToken({ sub: sub(), email, emailVerified: true, nonce });
    const response = await post(stack.url, '/login-flow/login/google', { idToken, nonce, approveTermsOfUse: true });
    expect(response.status).toBe(200);
    return response.body.access_token as string;
  }

  /** A verified account with a password, then linked to Google by signing in with it. */
  async function passwordAccountWithGoogle() {
    const body = registration();
    const email = body.email as string;
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
    await verifyEmail(stack, email);
    return { email, token: await googleSignIn(email) };
  }

  async function resetPassword(email: string) {
    const mails = () => (existsSync(stack.outboxDir) ? stack.outbox() : []).filter((mail) => mail.to === email && mail.subject === 'Reset your password');
    expect((await post(stack.url, '/login-flow/reset-password', { email })).status).toBe(200);
    const sent = mails();
    const token = new URL(sent[sent.length - 1].links[0]).searchParams.get('token');
    expect((await post(stack.url, '/login-flow/reset-password/confirm', { token, password: NEW_PASSWORD })).status).toBe(200);
  }

  it('lists the linked provider with its address and link time, never its sub or tokens', async () => {
    const { email, token } = await passwordAccountWithGoogle();
    const listed = await list(token);
    expect(listed.status).toBe(200);
    expect(listed.body.identities).toEqual([{ provider: 'google', email, linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(JSON.stringify(listed.body)).not.toMatch(/sub-[0-9a-f]{16}|refreshToken|sealed/);
  });

  it('unlinks the provider of an account that also has a password, and the list is empty afterwards', async () => {
    const { email, token } = await passwordAccountWithGoogle();
    const unlinked = await unlink(token, 'google');
    expect(unlinked.status).toBe(200);
    expect((await list(token)).body.identities).toEqual([]);
    expect((await unlink(token, 'google')).status).toBe(404);
    // The password still signs in.
    expect((await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('refuses with 409 last_sign_in_method to unlink the only way into an account a provider created', async () => {
    const token = await googleSignIn(registration().email as string);
    const refused = await unlink(token, 'google');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('last_sign_in_method');
    expect((await list(token)).body.identities).toHaveLength(1);
  });

  it('allows the unlink once a password reset gave the provider-created account a password', async () => {
    const email = registration().email as string;
    await googleSignIn(email);
    await resetPassword(email);
    // The reset ended every session: sign in again with the new password.
    const signedIn = await post(stack.url, '/login-flow/login', { email, password: NEW_PASSWORD });
    expect(signedIn.status).toBe(200);
    expect((await unlink(signedIn.body.access_token, 'google')).status).toBe(200);
    expect((await list(signedIn.body.access_token)).body.identities).toEqual([]);
  });

  it("another user's session cannot unlink someone else's identity: it only ever acts on its own account", async () => {
    const victim = await passwordAccountWithGoogle();
    const attacker = await post(stack.url, '/login-flow/register', registration());
    expect((await unlink(attacker.body.access_token, 'google')).status).toBe(404);
    expect((await list(victim.token)).body.identities).toHaveLength(1);
    expect(decodeJwt(attacker.body.access_token).sub).not.toBe(decodeJwt(victim.token).sub);
  });

  it('answers 401 without a token, and after the session ended', async () => {
    expect((await call(stack.url, 'GET', '/login-flow/identities')).status).toBe(401);
    expect((await call(stack.url, 'DELETE', '/login-flow/identities/google')).status).toBe(401);
    const { token } = await passwordAccountWithGoogle();
    expect((await call(stack.url, 'POST', '/login-flow/sign-out-everywhere', { headers: bearer(token) })).status).toBe(200);
    expect((await list(token)).status).toBe(401);
  });

  it('answers 400 for a provider that is not apple or google', async () => {
    const { token } = await passwordAccountWithGoogle();
    const refused = await unlink(token, 'facebook');
    expect(refused.status).toBe(400);
    expect((await list(token)).body.identities).toHaveLength(1);
  });
});
