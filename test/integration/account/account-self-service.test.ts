import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const NEW_PASSWORD = 'a brand new passphrase for ada';

/** Account self-service over the Login Flow bearer token: the API behind /account (docs/login-flow.md, "Your own account"). */
describe('account self-service: profile, password and my data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REGISTRATION_EXTRA_FIELDS: 'company:string:20,employees:number:4,newsletter:boolean' } });
  });
  afterAll(() => stack.stop());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const patchMe = (token: string, json: unknown) => call(stack.url, 'PATCH', '/login-flow/me', { json, headers: bearer(token) });
  const changePassword = (token: string, json: unknown) => call(stack.url, 'POST', '/login-flow/change-password', { json, headers: bearer(token) });
  const login = (email: string, password: string) => post(stack.url, '/login-flow/login', { email, password });

  async function signedUp(overrides: Record<string, unknown> = {}) {
    const body = registration(overrides);
    const registered = await post(stack.url, '/login-flow/register', body);
    if (registered.status !== 200) throw new Error(`registration failed: ${registered.text}`);
    return { email: String(body.email), accessToken: String(registered.body.access_token), refreshToken: String(registered.body.refresh_token) };
  }

  describe('PATCH /login-flow/me', () => {
    it('changes the names and an extra field, keeps the other fields and never the email', async () => {
      const user = await signedUp({ company: 'Analytical Engines', employees: '12' });

      const changed = await patchMe(user.accessToken, { firstName: ' Augusta ', company: 'Difference Ltd', email: 'someone.else@example.com' });
      const read = await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(user.accessToken) });

      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        firstName: 'Augusta',
        lastName: 'Lovelace',
        email: user.email,
        fields: { company: 'Difference Ltd', employees: 12 },
      });
      expect(read.body).toMatchObject({ firstName: 'Augusta', email: user.email, fields: { company: 'Difference Ltd', employees: 12 } });
    });

    it('answers 400 with the register rules per field, and changes nothing', async () => {
      const user = await signedUp();

      const refused = await patchMe(user.accessToken, { firstName: '', company: 'x'.repeat(21), employees: 'many' });

      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_request');
      expect(Object.keys(refused.body.fieldErrors).sort()).toEqual(['company', 'employees', 'firstName']);
      expect((await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(user.accessToken) })).body.firstName).toBe('Ada');
    });

    it('answers 401 without a token, and for a session that ended', async () => {
      const user = await signedUp();
      await post(stack.url, '/login-flow/sign-out-everywhere', undefined, bearer(user.accessToken));

      expect((await call(stack.url, 'PATCH', '/login-flow/me', { json: { firstName: 'X' } })).status).toBe(401);
      expect((await patchMe(user.accessToken, { firstName: 'X' })).status).toBe(401);
    });
  });

  describe('POST /login-flow/change-password', () => {
    it('changes the password with the current one, ends the other sessions, keeps this one, and emails the user', async () => {
      const user = await signedUp();
      const other = await login(user.email, STRONG_PASSWORD);

      const changed = await changePassword(user.accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });

      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ signedOutSessions: 1, emailSent: true });
      expect((await login(user.email, STRONG_PASSWORD)).status).toBe(403);
      expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
      // The other session: its refresh token and its access token are refused; this session's still work.
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: other.body.refresh_token })).status).toBe(403);
      expect((await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(String(other.body.access_token)) })).status).toBe(401);
      expect((await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(user.accessToken) })).status).toBe(200);
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: user.refreshToken })).status).toBe(200);
      const notice = stack.outbox().filter((mail) => mail.to === user.email && mail.subject === 'Your password was changed');
      expect(notice).toHaveLength(1);
      expect(notice[0].text).toContain('every other device was signed out');
    });

    it('keeps the other sessions with signOutOtherSessions: false', async () => {
      const user = await signedUp();
      const other = await login(user.email, STRONG_PASSWORD);

      const changed = await changePassword(user.accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD, signOutOtherSessions: false });

      expect(changed.body).toMatchObject({ signedOutSessions: 0 });
      expect((await post(stack.url, '/login-flow/refresh', { refresh_token: other.body.refresh_token })).status).toBe(200);
    });

    it('refuses a wrong current password (400 on currentPassword), counted by the sign-in back-off, and changes nothing', async () => {
      const user = await signedUp();

      const wrong = await changePassword(user.accessToken, { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD });
      const missing = await changePassword(user.accessToken, { newPassword: NEW_PASSWORD });

      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_current_password');
      expect(wrong.body.fieldErrors).toEqual({ currentPassword: 'Your current password is not correct.' });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('current_password_required');
      expect((await login(user.email, STRONG_PASSWORD)).status).toBe(200);
    });

    it('answers repeated wrong guesses with the sign-in wait, before any password is checked', async () => {
      const user = await signedUp();
      const wrongGuess = (guess: number) => changePassword(user.accessToken, { currentPassword: `wrong guess number ${guess}`, newPassword: NEW_PASSWORD });
      const first = await wrongGuess(0);
      // Five free failures, then waits of 1, 2, 4... s. Sleep through the short waits until one of 4 s or more holds, so
      // the right password below arrives inside it even on a slow machine (a 1 s wait could end before it: a flake).
      let last = first;
      for (let guess = 1; guess < 20; guess += 1) {
        last = await wrongGuess(guess);
        const wait = Number(last.headers.get('retry-after') ?? 0);
        if (last.status === 429 && wait >= 4) break;
        if (last.status === 429) await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
      }

      expect(first.status).toBe(400);
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
      // The right password is refused too while the wait holds: the count comes before the check.
      expect((await changePassword(user.accessToken, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(429);
    });

    it('checks the new password with the register policy (400 weak_password or invalid_request on newPassword)', async () => {
      const user = await signedUp();

      const weak = await changePassword(user.accessToken, { currentPassword: STRONG_PASSWORD, newPassword: 'short' });
      const mismatch = await changePassword(user.accessToken, {
        currentPassword: STRONG_PASSWORD,
        newPassword: NEW_PASSWORD,
        newPasswordConfirmation: 'other',
      });

      expect(weak.status).toBe(400);
      expect(Object.keys(weak.body.fieldErrors)).toEqual(['newPassword']);
      expect(mismatch.status).toBe(400);
      expect(Object.keys(mismatch.body.fieldErrors)).toEqual(['newPasswordConfirmation']);
    });

    it('needs a recent second factor, not the password, for an account with a factor (403 step_up_required, then 200 after a step-up)', async () => {
      const user = await signedUp();
      const passwordOnly = await login(user.email, STRONG_PASSWORD);
      const factor = await enrolTotp(stack.url, user.accessToken);
      const token = String(passwordOnly.body.access_token);

      const refused = await changePassword(token, { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });
      const steppedUp = await call(stack.url, 'POST', '/login-flow/factors/step-up', { json: { otp: await freshCode(factor.secret) }, headers: bearer(token) });
      const changed = await changePassword(token, { newPassword: NEW_PASSWORD });

      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('step_up_required');
      expect(steppedUp.status).toBe(200);
      expect(changed.status).toBe(200);
      expect((await post(stack.url, '/login-flow/login', { email: user.email, password: NEW_PASSWORD, otp: await freshCode(factor.secret) })).status).toBe(200);
    }, 120_000);
  });

  describe('GET /login-flow/my-data', () => {
    it("returns the console's export document about oneself, without a hash, secret or token", async () => {
      const user = await signedUp({ company: 'Engines' });
      await enrolTotp(stack.url, user.accessToken);

      const exported = await call(stack.url, 'GET', '/login-flow/my-data', { headers: bearer(user.accessToken) });

      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="my-data.json"/);
      expect(exported.body).toMatchObject({ format: 'loginbridge-user-export/1', profile: { email: user.email, profileFields: { company: 'Engines' } } });
      expect(exported.body.sessions.length).toBe(1);
      expect(exported.text).not.toMatch(/hash|argon2|secret|sealed/i);
      expect(exported.text).not.toContain(user.refreshToken.split('.')[2]);
      expect(exported.text).not.toContain(STRONG_PASSWORD);
    }, 60_000);

    it('answers 401 without a token', async () => {
      expect((await call(stack.url, 'GET', '/login-flow/my-data')).status).toBe(401);
    });
  });
});
