import { decodeJwt } from 'jose';
import { freshCode, withFactorSignIn } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { clearOfWindowEdge } from '../../support/windows';
import { consoleApi, grantUserAdmin, markEmailVerified, type PortalUser, signUp, signUpOperator, signUpPortalAdmin } from './helpers';

const CONFIGURED_OPERATOR = `configured.operator.${process.pid}@example.com`;
const PORTAL_ADMIN = `portal.admin.${process.pid}@example.com`;
const UNKNOWN_USER = 'NoSuchUserAbcdefghijk';

/** A form-encoded POST, as RFC 6749 clients send it. */
const form = (stack: TestStack, path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
  call(stack.url, 'POST', path, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

describe('the operator console API', () => {
  let stack: TestStack;
  let operator: PortalUser;
  let admin: ReturnType<typeof consoleApi>;
  /** Partner identities are a portal-admin action. */
  let portalAdmin: ReturnType<typeof consoleApi>;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        USER_ADMIN_EMAILS: CONFIGURED_OPERATOR,
        PORTAL_ADMIN_EMAILS: PORTAL_ADMIN,
        ADMIN_VERIFICATION_EMAILS_PER_HOUR: '2',
        DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV',
      },
    });
    operator = await signUpOperator(stack);
    admin = consoleApi(stack, operator.accessToken);
    portalAdmin = consoleApi(stack, (await signUpPortalAdmin(stack)).accessToken);
  });
  afterAll(() => stack.stop());

  /** Every console route, for a target user. */
  const everyRoute = (userId: string, email = 'nobody@example.com'): [string, string, unknown?][] => [
    ['GET', `/admin/users?email=${encodeURIComponent(email)}`],
    ['GET', `/admin/users/${userId}`],
    ['POST', `/admin/users/${userId}/sign-out`],
    ['DELETE', `/admin/users/${userId}/sessions/AbcdefghijklmnopQRSTUV`],
    ['POST', `/admin/users/${userId}/unlock`],
    ['POST', `/admin/users/${userId}/disable`],
    ['POST', `/admin/users/${userId}/enable`],
    ['POST', `/admin/users/${userId}/verification-email`],
    ['PUT', `/admin/users/${userId}/partners`, {}],
    ['GET', `/admin/users/${userId}/export`],
    ['DELETE', `/admin/users/${userId}`],
    ['GET', '/admin/audit'],
  ];
  const send = (token: string | undefined, [method, path, json]: [string, string, unknown?]) =>
    call(stack.url, method, path, { json, headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function signIn(user: { email: string; password: string; factor?: { secret: string } }) {
    const otp = user.factor ? await freshCode(user.factor.secret) : undefined;
    const response = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password, otp });
    expect(response.status).toBe(200);
    return response.body as { access_token: string; refresh_token: string };
  }

  async function approvedTvSignIn(user: PortalUser) {
    const started = await form(stack, '/oauth/device_authorization', { client_id: 'applicaster-tv' });
    const approved = await post(stack.url, '/activate/decision', {
      user_code: started.body.user_code,
      decision: 'approve',
      email: user.email,
      password: user.password,
    });
    expect(approved.status).toBe(200);
    return started.body as { device_code: string; user_code: string };
  }

  describe('who may use it', () => {
    it('refuses a user without user-admin on every route with 403, and a request without a token with 401', async () => {
      // Prepare
      const target = await signUp(stack);
      const stranger = await signUp(stack);
      await markEmailVerified(stack, stranger.userId);
      // Act
      const refused = await Promise.all(everyRoute(target.userId, target.email).map((route) => send(stranger.accessToken, route)));
      const anonymous = await Promise.all(everyRoute(target.userId, target.email).map((route) => send(undefined, route)));
      // Assess
      expect(refused.map((response) => response.status)).toEqual(Array(12).fill(403));
      expect(refused[0].body).toMatchObject({ error: 'forbidden', formError: 'Only user admins may use the operator console.' });
      expect(anonymous.map((response) => response.status)).toEqual(Array(12).fill(401));
      expect((await admin.get(`/admin/users/${target.userId}`)).body.disabled_at).toBeNull();
    });

    it('refuses an operator whose session was revoked with 401 on every route, although the token is unexpired', async () => {
      // Prepare
      const target = await signUp(stack);
      const tokens = await signIn(operator);
      expect((await consoleApi(stack, tokens.access_token).get('/admin/audit')).status).toBe(200);
      // Act
      expect((await form(stack, '/oauth/revoke', { token: tokens.refresh_token })).status).toBe(200);
      const responses = await Promise.all(everyRoute(target.userId, target.email).map((route) => send(tokens.access_token, route)));
      // Assess
      expect(responses.map((response) => response.status)).toEqual(Array(12).fill(401));
      expect(responses[1].body).toMatchObject({ error: 'invalid_token', formError: expect.stringContaining('session has ended') });
      expect((await admin.get(`/admin/users/${target.userId}`)).status).toBe(200);
    });

    it('requires a verified email, also of the operators named in USER_ADMIN_EMAILS', async () => {
      // Prepare
      const unverified = await signUp(stack);
      await grantUserAdmin(stack, unverified.userId);
      const configured = await withFactorSignIn(stack.url, await signUp(stack, { email: CONFIGURED_OPERATOR.toUpperCase() }));
      // Act
      const before = await consoleApi(stack, configured.accessToken).get('/admin/audit');
      await markEmailVerified(stack, configured.userId);
      const after = await consoleApi(stack, configured.accessToken).get('/admin/audit');
      const grantedButUnverified = await consoleApi(stack, unverified.accessToken).get('/admin/audit');
      // Assess
      expect(before.status).toBe(403);
      expect(before.body.formError).toMatch(/verified email/);
      expect(after.status).toBe(200);
      expect(grantedButUnverified.status).toBe(403);
    });

    it('lets a portal admin grant user-admin with an admin invitation of kind user-admin', async () => {
      // Prepare
      const portalAdmin = await withFactorSignIn(stack.url, await signUp(stack, { email: PORTAL_ADMIN }, { verified: true }));
      const invitee = await withFactorSignIn(stack.url, await signUp(stack));
      await markEmailVerified(stack, invitee.userId);
      const inviteeApi = consoleApi(stack, invitee.accessToken);
      expect((await inviteeApi.get('/admin/audit')).status).toBe(403);
      // Act
      const invited = await consoleApi(stack, portalAdmin.accessToken).post('/portal/admin/invitations', { email: invitee.email, kind: 'user-admin' });
      const token = decodeURIComponent(String(invited.body.invitation_url).split('#invite=')[1]);
      const joined = await inviteeApi.post('/portal/team/join', { token });
      const byOperator = await admin.post('/portal/admin/invitations', { email: uniqueEmail(), kind: 'user-admin' });
      // Assess
      expect(invited.status).toBe(201);
      expect(invited.body.kind).toBe('user-admin');
      expect(joined.status).toBe(200);
      expect(joined.body).toMatchObject({ joined: 'user-admin', permissions: expect.arrayContaining(['user-admin']) });
      expect((await inviteeApi.get('/admin/audit')).status).toBe(200);
      // user-admin is not portal-admin: it cannot invite anyone.
      expect(byOperator.status).toBe(403);
      expect((await inviteeApi.get('/portal/team')).body.you).toMatchObject({ is_admin: false, permissions: ['user-admin'] });
    });

    it('answers 404 for an unknown user on every user route', async () => {
      // Act: partner identities are a portal admin's route
      const responses = await Promise.all(
        everyRoute(UNKNOWN_USER, uniqueEmail('unknown'))
          .filter(([, path]) => path !== '/admin/audit')
          .map((route) => (route[0] === 'PUT' ? portalAdmin.put(route[1], route[2]) : send(operator.accessToken, route))),
      );
      // Assess
      expect(responses.map((response) => response.status)).toEqual(Array(11).fill(404));
      expect(responses.every((response) => response.body.error === 'not_found')).toBe(true);
    });
  });

  describe('reading', () => {
    it('finds a user by email, normalised as at sign-in', async () => {
      // Prepare
      const target = await signUp(stack);
      // Act
      const found = await admin.get(`/admin/users?email=${encodeURIComponent(`  ${target.email.toUpperCase()} `)}`);
      const invalid = await admin.get('/admin/users?email=not-an-email');
      // Assess
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ user_id: target.userId, email: target.email, first_name: 'Ada', last_name: 'Lovelace', disabled_at: null });
      expect(invalid.status).toBe(400);
      expect(invalid.body.fieldErrors).toHaveProperty('email');
    });

    it('shows the card: profile, back-off, sessions by client, approved TV sign-ins, team and permissions', async () => {
      // Prepare
      const target = await signUp(stack, { approveMarketing: true, firstName: 'Grace', lastName: 'Hopper' });
      await consoleApi(stack, target.accessToken).get('/portal/team');
      await signIn(target);
      await approvedTvSignIn(target);
      for (let attempt = 0; attempt < 5; attempt += 1) await post(stack.url, '/login-flow/login', { email: target.email, password: 'wrong password entirely' });
      // The fifth failure imposes a one-second wait; the sixth, after it, a two-second one.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await post(stack.url, '/login-flow/login', { email: target.email, password: 'wrong password entirely' });
      // Act
      const card = await admin.get(`/admin/users/${target.userId}`);
      // Assess
      expect(card.status).toBe(200);
      expect(card.body).toMatchObject({
        user_id: target.userId,
        email: target.email,
        first_name: 'Grace',
        last_name: 'Hopper',
        email_verified: false,
        consents: { marketing: true, terms_accepted_at: expect.any(String) },
        disabled_at: null,
        backoff: { failures: 6, locked_until: expect.any(String) },
        team: { id: expect.any(String), name: "Grace Hopper's team" },
        permissions: [],
        partners: { acronis: null, astrato: null },
      });
      expect(card.body.sessions).toHaveLength(2);
      expect(card.body.sessions.every((session: { client: string }) => session.client === 'app')).toBe(true);
      expect(card.body.device_grants).toEqual([expect.objectContaining({ client_id: 'applicaster-tv', status: 'approved' })]);
      expect(card.body.last_sign_in_at).toEqual(expect.any(String));
      expect(card.text).not.toMatch(/hash/i);
    });
  });

  describe('acting', () => {
    it('signs a user out everywhere: every session ends and an approved TV sign-in is denied', async () => {
      // Prepare
      const target = await signUp(stack);
      const second = await signIn(target);
      const tv = await approvedTvSignIn(target);
      // Act
      const response = await admin.post(`/admin/users/${target.userId}/sign-out`);
      const refresh = await post(stack.url, '/login-flow/refresh', { refresh_token: second.refresh_token });
      const poll = await form(stack, '/oauth/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: tv.device_code,
        client_id: 'applicaster-tv',
      });
      const again = await admin.post(`/admin/users/${target.userId}/sign-out`);
      // Assess
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ signed_out: true, sessions_ended: 2, device_grants_denied: 1 });
      expect(refresh.status).toBe(403);
      expect(refresh.body.error).toBe('invalid_grant');
      expect(poll.body.error).toBe('access_denied');
      expect(again.body).toEqual({ signed_out: true, sessions_ended: 0, device_grants_denied: 0 });
      expect((await admin.get(`/admin/users/${target.userId}`)).body).toMatchObject({ sessions: [], device_grants: [] });
    });

    it('ends one session and leaves the others', async () => {
      // Prepare
      const target = await signUp(stack);
      const phone = await signIn(target);
      const phoneSession = String(decodeJwt(phone.access_token).sid);
      // Act
      const ended = await admin.delete(`/admin/users/${target.userId}/sessions/${phoneSession}`);
      const endedAgain = await admin.delete(`/admin/users/${target.userId}/sessions/${phoneSession}`);
      // Assess
      expect(ended.status).toBe(204);
      expect(endedAgain.status).toBe(404);
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: phone.refresh_token })).status).toBe(403);
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: target.refreshToken })).status).toBe(200);
      expect((await admin.get(`/admin/users/${target.userId}`)).body.sessions).toHaveLength(1);
    });

    it('unlocks an account held back by failed sign-ins', async () => {
      // Prepare
      const target = await signUp(stack);
      for (let attempt = 0; attempt < 7; attempt += 1) await post(stack.url, '/login-flow/login', { email: target.email, password: 'wrong password entirely' });
      const locked = await post(stack.url, '/login-flow/login', { email: target.email, password: target.password });
      expect(locked.body.error).toBe('too_many_attempts');
      // Act
      const unlocked = await admin.post(`/admin/users/${target.userId}/unlock`);
      // Assess
      expect(unlocked.status).toBe(200);
      expect(unlocked.body).toEqual({ backoff: { failures: 0, locked_until: null } });
      expect((await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).status).toBe(200);
    });

    it('refuses a disabled user at every sign-in path with 403, and enabling restores them', async () => {
      // Prepare
      const target = await signUp(stack, {}, { verified: true });
      const app = await signIn(target);
      const approvedBeforeDisable = await approvedTvSignIn(target);
      const userApi = consoleApi(stack, target.accessToken);
      expect((await userApi.post('/sso/astrato')).status).toBe(200);
      // Act
      const disabled = await admin.post(`/admin/users/${target.userId}/disable`);
      const tv = await form(stack, '/oauth/device_authorization', { client_id: 'applicaster-tv' });
      const answers = {
        login: await post(stack.url, '/login-flow/login', { email: target.email, password: target.password }),
        refresh: await post(stack.url, '/login-flow/refresh', { refresh_token: app.refresh_token }),
        oauthRefresh: await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: target.refreshToken }),
        tvWithPassword: await post(stack.url, '/activate/decision', {
          user_code: tv.body.user_code,
          decision: 'approve',
          email: target.email,
          password: target.password,
        }),
        tvWithToken: await call(stack.url, 'POST', '/activate/decision', {
          json: { user_code: tv.body.user_code, decision: 'approve' },
          headers: { authorization: `Bearer ${target.accessToken}` },
        }),
        astrato: await userApi.post('/sso/astrato'),
        astratoLogin: await post(stack.url, '/sso/astrato/login', { email: target.email, password: target.password }),
        acronis: await userApi.post('/sso/acronis'),
        wrongPassword: await post(stack.url, '/login-flow/login', { email: target.email, password: 'wrong password entirely' }),
        redeem: await form(stack, '/oauth/token', {
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: approvedBeforeDisable.device_code,
          client_id: 'applicaster-tv',
        }),
      };
      // Assess
      expect(disabled.status).toBe(200);
      expect(disabled.body).toEqual({ user_id: target.userId, disabled_at: expect.any(String) });
      for (const name of ['login', 'refresh', 'tvWithPassword', 'tvWithToken', 'astrato', 'astratoLogin', 'acronis'] as const) {
        expect([name, answers[name].status]).toEqual([name, 403]);
        expect([name, answers[name].body.formError]).toEqual([name, 'This account has been disabled. Please contact support.']);
      }
      expect(answers.oauthRefresh.status).toBe(400);
      expect(answers.oauthRefresh.body).toMatchObject({ error: 'access_denied', error_description: expect.stringContaining('disabled') });
      // The password is checked first: a wrong one says nothing about the account's state.
      expect(answers.wrongPassword.body.error).toBe('invalid_credentials');
      expect(answers.redeem.status).toBe(400);
      expect(answers.redeem.body.error).toBe('access_denied');

      // Act: enable
      const enabled = await admin.post(`/admin/users/${target.userId}/enable`);
      // Assess
      expect(enabled.body).toEqual({ user_id: target.userId, disabled_at: null });
      expect((await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).status).toBe(200);
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: app.refresh_token })).status).toBe(200);
      expect((await userApi.post('/sso/astrato')).status).toBe(200);
    });

    it('sends a verification link once per Idempotency-Key, at most ADMIN_VERIFICATION_EMAILS_PER_HOUR per user', async () => {
      await clearOfWindowEdge(3600);
      // Prepare
      const target = await signUp(stack);
      const verified = await signUp(stack);
      await markEmailVerified(stack, verified.userId);
      const key = 'verify-0123456789abcdef';
      // The registration's own link went out already.
      const mailsBefore = stack.outbox().filter((mail) => mail.to === target.email).length;
      // Act
      const first = await admin.post(`/admin/users/${target.userId}/verification-email`, undefined, { 'Idempotency-Key': key });
      const replay = await admin.post(`/admin/users/${target.userId}/verification-email`, undefined, { 'Idempotency-Key': key });
      const second = await admin.post(`/admin/users/${target.userId}/verification-email`);
      const third = await admin.post(`/admin/users/${target.userId}/verification-email`);
      const alreadyVerified = await admin.post(`/admin/users/${verified.userId}/verification-email`);
      // Assess
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ sent: true, email: target.email });
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(second.status).toBe(202);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(alreadyVerified.status).toBe(409);
      const mails = stack.outbox().filter((mail) => mail.to === target.email);
      expect(mails.length - mailsBefore).toBe(2);
      expect(mails[mails.length - 1].links[0]).toMatch(/\/verify-email\?token=/);
    });

    it('holds the verification-email limit under a burst of parallel requests', async () => {
      // Prepare
      const target = await signUp(stack);
      const sentAtRegistration = stack.outbox().filter((mail) => mail.to === target.email).length;
      // Act
      const answers = await Promise.all(Array.from({ length: 6 }, () => admin.post(`/admin/users/${target.userId}/verification-email`)));
      // Assess
      expect(answers.map((answer) => answer.status).sort()).toEqual([202, 202, 429, 429, 429, 429]);
      expect(stack.outbox().filter((mail) => mail.to === target.email)).toHaveLength(sentAtRegistration + 2);
    });

    it('sets validated partner identities on the profile and removes them again', async () => {
      // Prepare
      const target = await signUp(stack);
      const identities = {
        acronis: { login: 'ada.acronis', externalId: 'ext-42', userId: '0F8FAD5B-D9CB-469F-A165-70867728950E' },
        astrato: { groups: ['analysts', 'viewers'], filters: { region: 'emea', plants: ['berlin', 'lyon'] } },
      };
      // Act
      const stored = await portalAdmin.put(`/admin/users/${target.userId}/partners`, { ...identities, extra: 'ignored' });
      const invalid = await portalAdmin.put(`/admin/users/${target.userId}/partners`, { acronis: { userId: 'not-a-uuid' }, astrato: { groups: 'analysts' } });
      const empty = await portalAdmin.put(`/admin/users/${target.userId}/partners`, { acronis: {} });
      const card = await admin.get(`/admin/users/${target.userId}`);
      const removed = await portalAdmin.put(`/admin/users/${target.userId}/partners`, { astrato: identities.astrato });
      // Assess
      expect(stored.status).toBe(200);
      expect(stored.body).toEqual({ acronis: { ...identities.acronis, userId: '0f8fad5b-d9cb-469f-a165-70867728950e' }, astrato: identities.astrato });
      expect(invalid.status).toBe(400);
      expect(invalid.body.fieldErrors).toMatchObject({ acronis: expect.any(String), astrato: expect.any(String) });
      expect(empty.status).toBe(400);
      expect(card.body.partners).toEqual(stored.body);
      expect(removed.body).toEqual({ acronis: null, astrato: identities.astrato });
      expect((await admin.get(`/admin/users/${target.userId}`)).body.partners.acronis).toBeNull();
    });

    it('exports everything stored about the user without a password hash, token hash or secret', async () => {
      // Prepare
      const target = await signUp(stack);
      await consoleApi(stack, target.accessToken).get('/portal/team');
      await portalAdmin.put(`/admin/users/${target.userId}/partners`, { astrato: { groups: ['viewers'] } });
      await post(stack.url, '/login-flow/reset-password', { email: target.email });
      await approvedTvSignIn(target);
      await post(stack.url, '/login-flow/login', { email: target.email, password: 'wrong password entirely' });
      const resetLink =
        stack
          .outbox()
          .filter((mail) => mail.to === target.email)
          .pop()?.links[0] ?? '';
      // Act
      const exported = await admin.get(`/admin/users/${target.userId}/export`);
      // Assess
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="user-/);
      expect(exported.body).toMatchObject({
        format: 'loginbridge-user-export/1',
        profile: { id: target.userId, email: target.email, attributes: { astrato: { groups: ['viewers'] } } },
        account: { email: target.email },
        sign_in_backoff: { failures: 1 },
        portal: { team: expect.any(Object) },
        password_resets: [expect.objectContaining({ used_at: null })],
        device_grants: [expect.objectContaining({ status: 'approved' })],
      });
      expect(exported.body.sessions.length).toBeGreaterThanOrEqual(1);
      expect(exported.body.audit.map((entry: { action: string }) => entry.action)).toEqual(['set-partners']);
      expect(exported.text).not.toMatch(/hash|argon2|secret/i);
      expect(exported.text).not.toContain(target.refreshToken);
      expect(exported.text).not.toContain(target.refreshToken.split('.')[2]);
      expect(exported.text).not.toContain(new URL(resetLink).searchParams.get('token') ?? 'no reset link');
      expect(exported.text).not.toContain(STRONG_PASSWORD);
    });

    it('deletes the user as delete-account does, and keeps the audit trail', async () => {
      // Prepare
      const target = await signUp(stack, registration());
      await consoleApi(stack, target.accessToken).get('/portal/team');
      // Act
      const deleted = await admin.delete(`/admin/users/${target.userId}`);
      // Assess
      expect(deleted.status).toBe(204);
      expect((await admin.get(`/admin/users/${target.userId}`)).status).toBe(404);
      expect((await admin.get(`/admin/users?email=${encodeURIComponent(target.email)}`)).status).toBe(404);
      expect((await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).body.error).toBe('invalid_credentials');
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: target.refreshToken })).status).toBe(403);
      expect((await post(stack.url, '/login-flow/register', { ...registration(), email: target.email })).status).toBe(200);
      const trail = await admin.get(`/admin/audit?userId=${target.userId}`);
      expect(trail.body.entries).toEqual([
        expect.objectContaining({ action: 'delete', target_email: target.email, changes: { profile: { before: { email: target.email }, after: null } } }),
      ]);
    });
  });

  describe('the audit trail', () => {
    it('records each action with actor, target, time, correlation id and before/after, newest first, by user and by actor, in pages', async () => {
      // Prepare: a fresh operator (a portal admin, who may also set partner identities), so the by-actor listing holds only this test's actions
      const second = await signUpPortalAdmin(stack);
      const secondApi = consoleApi(stack, second.accessToken);
      const target = await signUp(stack);
      const other = await signUp(stack);
      const session = String(decodeJwt((await signIn(target)).access_token).sid);
      // Act
      const answers = [
        await secondApi.post(`/admin/users/${target.userId}/disable`),
        await secondApi.post(`/admin/users/${target.userId}/enable`),
        await secondApi.post(`/admin/users/${target.userId}/unlock`),
        await secondApi.delete(`/admin/users/${target.userId}/sessions/${session}`),
        await secondApi.post(`/admin/users/${target.userId}/sign-out`),
        await secondApi.put(`/admin/users/${target.userId}/partners`, { acronis: { login: 'grace' } }),
        await secondApi.post(`/admin/users/${target.userId}/verification-email`),
        await secondApi.get(`/admin/users/${target.userId}/export`),
        await secondApi.post(`/admin/users/${other.userId}/disable`),
        await admin.post(`/admin/users/${target.userId}/unlock`),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 204, 200, 200, 202, 200, 200, 200]);
      const firstPage = await secondApi.get(`/admin/audit?userId=${target.userId}&limit=4`);
      const rest = await secondApi.get(`/admin/audit?userId=${target.userId}&limit=20&cursor=${firstPage.body.next_cursor}`);
      const byActor = await secondApi.get(`/admin/audit?actor=${second.userId}&limit=50`);
      const both = await secondApi.get(`/admin/audit?actor=${operator.userId}&userId=${target.userId}`);
      const badCursor = await secondApi.get('/admin/audit?cursor=bm90LWEtY3Vyc29y');
      // Assess
      const actions = [...firstPage.body.entries, ...rest.body.entries].map((entry: { action: string }) => entry.action);
      expect(actions).toEqual(['unlock', 'export', 'verification-email', 'set-partners', 'sign-out', 'end-session', 'unlock', 'enable', 'disable']);
      expect(rest.body.next_cursor).toBeNull();
      // Reading the trail is itself on the trail.
      expect(byActor.body.entries.slice(0, 2)).toEqual(Array(2).fill(expect.objectContaining({ action: 'audit-read', target_user_id: target.userId })));
      expect(byActor.body.entries.slice(2).map((entry: { target_user_id: string }) => entry.target_user_id)).toEqual([
        other.userId,
        ...Array(8).fill(target.userId),
      ]);
      expect(both.body.entries).toEqual([expect.objectContaining({ action: 'unlock', actor_id: operator.userId })]);
      expect(badCursor.status).toBe(400);
      const disable = rest.body.entries.find((entry: { action: string }) => entry.action === 'disable');
      expect(disable).toEqual({
        id: expect.any(String),
        at: expect.any(String),
        actor_id: second.userId,
        actor_email: second.email,
        action: 'disable',
        target_user_id: target.userId,
        target_email: target.email,
        correlation_id: answers[0].headers.get('x-correlation-id'),
        changes: { disabledAt: { before: null, after: expect.any(String) } },
      });
      const partners = firstPage.body.entries.find((entry: { action: string }) => entry.action === 'set-partners');
      expect(partners.changes).toEqual({ 'attributes.acronis': { before: null, after: { login: 'grace' } } });
      const times = actions.map((_, index) => [...firstPage.body.entries, ...rest.body.entries][index].at);
      expect([...times].sort().reverse()).toEqual(times);
    });
  });
});
