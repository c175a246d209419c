import { existsSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { FileKeySource } from '../../../lambdas/adapters/keys/file-key-source';
import { AccessTokens } from '../../../lambdas/core/access-tokens';
import { call, post, STRONG_PASSWORD } from '../../support/http';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from '../portal/helpers';

const NEW_PASSWORD = 'violet kettle marching north';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every route family that acts for a user, asked with an access token whose
 * session has ended (revoked, reset, signed out everywhere): all 401, while
 * the same call with a live session works.
 */
describe('Revocation reaches every route that acts for a user', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack({ DEVICE_POLL_INTERVAL_SECONDS: '1', REFRESH_IDLE_TTL_SECONDS: '3600' });
  });
  afterAll(() => portal.stop());
  const url = () => portal.stack.url;
  const form = (path: string, fields: Record<string, string>) =>
    call(url(), 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  /** One Bearer call per route family; the status of each. */
  async function bearerCalls(token: string): Promise<Record<string, number>> {
    const headers = { authorization: `Bearer ${token}` };
    const device = await form('/oauth/device_authorization', { client_id: 'applicaster-tv' });
    const [astrato, acronis, credentials, team, decision] = await Promise.all([
      call(url(), 'POST', '/sso/astrato', { headers }),
      call(url(), 'POST', '/sso/acronis', { headers }),
      call(url(), 'GET', '/portal/credentials', { headers }),
      call(url(), 'GET', '/portal/team', { headers }),
      call(url(), 'POST', '/activate/decision', { json: { user_code: device.body.user_code, decision: 'approve' }, headers }),
    ]);
    return { astrato: astrato.status, acronis: acronis.status, credentials: credentials.status, team: team.status, decision: decision.status };
  }
  const allUnauthorized = { astrato: 401, acronis: 401, credentials: 401, team: 401, decision: 401 };

  async function resetPassword(email: string): Promise<void> {
    expect((await post(url(), '/login-flow/reset-password', { email })).status).toBe(200);
    const mails = (existsSync(portal.stack.outboxDir) ? portal.stack.outbox() : []).filter(
      (mail) => mail.to === email && mail.subject === 'Reset your password',
    );
    const token = new URL(mails[mails.length - 1].links[0]).searchParams.get('token') as string;
    expect((await post(url(), '/login-flow/reset-password/confirm', { token, password: NEW_PASSWORD })).status).toBe(200);
  }

  it('refuses an access token after its own revocation (RFC 7009) on /sso, /portal and /activate/decision, and it cannot delete the account', async () => {
    const user = await signUp(portal.stack);
    const live = await bearerCalls(user.accessToken);
    expect(live).toMatchObject({ astrato: 200, credentials: 200, team: 200, decision: 200 });
    expect(live.acronis).not.toBe(401);

    expect((await form('/oauth/revoke', { token: user.accessToken, token_type_hint: 'access_token' })).status).toBe(200);

    expect(await bearerCalls(user.accessToken)).toEqual(allUnauthorized);
    expect((await call(url(), 'POST', '/login-flow/delete-account', { headers: { authorization: `Bearer ${user.accessToken}` } })).status).toBe(401);
    expect((await post(url(), '/login-flow/login', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('refuses an access token issued before a password reset, and accepts one from after it', async () => {
    const user = await signUp(portal.stack);

    await resetPassword(user.email);

    expect(await bearerCalls(user.accessToken)).toEqual(allUnauthorized);
    const fresh = await post(url(), '/login-flow/login', { email: user.email, password: NEW_PASSWORD });
    expect(await bearerCalls(fresh.body.access_token)).toMatchObject({ astrato: 200, credentials: 200, team: 200, decision: 200 });
  });

  it('fails a TV sign-in approved before a password reset with access_denied when the TV polls after it', async () => {
    const user = await signUp(portal.stack);
    const device = await form('/oauth/device_authorization', { client_id: 'applicaster-tv' });
    const approved = await post(url(), '/activate/decision', {
      user_code: device.body.user_code,
      decision: 'approve',
      email: user.email,
      password: STRONG_PASSWORD,
    });
    expect(approved.status).toBe(200);
    await sleep(1100);

    await resetPassword(user.email);
    const polled = await form('/oauth/token', { grant_type: DEVICE_GRANT, device_code: device.body.device_code, client_id: 'applicaster-tv' });

    expect(polled.status).toBe(400);
    expect(polled.body.error).toBe('access_denied');
  });

  it('signs out everywhere: every access and refresh token of the user, and an approved TV sign-in not yet collected', async () => {
    const user = await signUp(portal.stack);
    const second = await post(url(), '/login-flow/login', { email: user.email, password: user.password });
    const device = await form('/oauth/device_authorization', { client_id: 'applicaster-tv' });
    expect(
      (
        await call(url(), 'POST', '/activate/decision', {
          json: { user_code: device.body.user_code, decision: 'approve' },
          headers: { authorization: `Bearer ${second.body.access_token}` },
        })
      ).status,
    ).toBe(200);
    await sleep(1100);

    const signedOut = await call(url(), 'POST', '/login-flow/sign-out-everywhere', { headers: { authorization: `Bearer ${user.accessToken}` } });

    expect(signedOut.status).toBe(200);
    expect(await bearerCalls(user.accessToken)).toEqual(allUnauthorized);
    expect(await bearerCalls(second.body.access_token)).toEqual(allUnauthorized);
    expect((await post(url(), '/login-flow/refresh', { refresh_token: second.body.refresh_token })).status).toBe(403);
    const polled = await form('/oauth/token', { grant_type: DEVICE_GRANT, device_code: device.body.device_code, client_id: 'applicaster-tv' });
    expect(polled.body.error).toBe('access_denied');
    expect((await call(url(), 'POST', '/login-flow/sign-out-everywhere', { headers: { authorization: `Bearer ${user.accessToken}` } })).status).toBe(401);
    expect((await call(url(), 'POST', '/login-flow/sign-out-everywhere', {})).status).toBe(401);
  });

  it('refuses a token of a session started after a sign-out everywhere when the token itself is older than the sign-out', async () => {
    const user = await signUp(portal.stack);
    await sleep(1100);
    expect((await call(url(), 'POST', '/login-flow/sign-out-everywhere', { headers: { authorization: `Bearer ${user.accessToken}` } })).status).toBe(200);
    const fresh = await post(url(), '/login-flow/login', { email: user.email, password: user.password });
    const sid = decodeJwt(fresh.body.access_token).sid as string;
    const backdated = new AccessTokens(
      new FileKeySource(portal.stack.signingKeyFile),
      { issuer: url(), audience: 'loginbridge', ttlSeconds: 900 },
      { now: () => Date.now() - 60_000 },
    );

    const response = await as(portal.stack, { ...user, accessToken: (await backdated.issue(user.userId, sid)).token }).get('/portal/team');

    expect(response.status).toBe(401);
    expect(await bearerCalls(fresh.body.access_token)).toMatchObject({ astrato: 200, credentials: 200, team: 200, decision: 200 });
  });

  describe('delete-account with an access token past its exp', () => {
    /** A correctly signed token for the user's own session, issued `ageSeconds` ago with a 60 s lifetime. */
    const lapsedToken = async (user: PortalUser, ageSeconds: number) => {
      const sid = decodeJwt(user.accessToken).sid as string;
      const signer = new AccessTokens(
        new FileKeySource(portal.stack.signingKeyFile),
        { issuer: url(), audience: 'loginbridge', ttlSeconds: 60 },
        { now: () => Date.now() - ageSeconds * 1000 },
      );
      return (await signer.issue(user.userId, sid)).token;
    };
    const deleteWith = (token: string) => call(url(), 'POST', '/login-flow/delete-account', { headers: { authorization: `Bearer ${token}` } });

    it('deletes the account when the session is live and the token lapsed within the refresh idle lifetime', async () => {
      const user = await signUp(portal.stack);

      expect((await deleteWith(await lapsedToken(user, 600))).status).toBe(200);
      expect((await post(url(), '/login-flow/login', { email: user.email, password: user.password })).status).toBe(403);
    });

    it('refuses a lapsed token whose session was revoked, and one that lapsed longer ago than the idle lifetime', async () => {
      const revoked = await signUp(portal.stack);
      const lapsed = await lapsedToken(revoked, 600);
      expect((await form('/oauth/revoke', { token: revoked.accessToken })).status).toBe(200);
      const old = await signUp(portal.stack);

      expect((await deleteWith(lapsed)).status).toBe(401);
      expect((await deleteWith(await lapsedToken(old, 2 * 3600))).status).toBe(401);
      expect((await post(url(), '/login-flow/login', { email: revoked.email, password: revoked.password })).status).toBe(200);
      expect((await post(url(), '/login-flow/login', { email: old.email, password: old.password })).status).toBe(200);
    });
  });
});
