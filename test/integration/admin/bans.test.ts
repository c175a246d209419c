import { burst, statusCounts } from '../../support/bursts';
import { call, post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { consoleApi, type PortalUser, signUp, signUpOperator, signUpPortalAdmin } from './helpers';

describe('bans outlive the deletion of a disabled account', () => {
  let stack: TestStack;
  let operator: PortalUser;
  let admin: ReturnType<typeof consoleApi>;

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_IP_MAX_FAILURES: '10000' } });
    operator = await signUpOperator(stack);
    admin = consoleApi(stack, operator.accessToken);
  });
  afterAll(() => stack.stop());

  const register = (email: string) => post(stack.url, '/login-flow/register', registration({ email }));
  const deleteOwnAccount = (user: PortalUser) =>
    call(
      stack.url,
      'POST',
      `/login-flow/delete-account?ctx=${encodeURIComponent(Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': user.accessToken })).toString('base64'))}`,
    );

  /** A user the operator disabled and who then deleted their own account. */
  async function bannedAddress(): Promise<PortalUser> {
    const user = await signUp(stack);
    expect((await admin.post(`/admin/users/${user.userId}/disable`)).status).toBe(200);
    expect((await deleteOwnAccount(user)).status).toBe(200);
    return user;
  }

  it('refuses to register again the address of a disabled account its user deleted', async () => {
    // Prepare
    const user = await bannedAddress();
    // Act
    const response = await register(user.email.toUpperCase());
    // Assess
    // The Login Flow contract answers every form refusal with 403.
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'address_banned' });
  });

  it('refuses it too when an operator deleted the disabled account', async () => {
    const user = await signUp(stack);
    await admin.post(`/admin/users/${user.userId}/disable`);
    expect((await admin.delete(`/admin/users/${user.userId}`)).status).toBe(204);

    const response = await register(user.email);

    expect(response.status).toBe(403);
    expect(response.body.error).toBe('address_banned');
  });

  it('creates no account for a burst of parallel registrations of a banned address', async () => {
    // Prepare
    const user = await bannedAddress();
    // Act
    const responses = await burst(20, () => register(user.email));
    // Assess
    expect(statusCounts(responses)).toEqual({ 403: 20 });
    expect(responses.every((response) => response.body.error === 'address_banned')).toBe(true);
    expect((await admin.get(`/admin/users?email=${encodeURIComponent(user.email)}`)).status).toBe(404);
  });

  it('lets an operator lift the ban, audited, after which the address registers again', async () => {
    // Prepare
    const user = await bannedAddress();
    // Act
    const lifted = await admin.post('/admin/bans/clear', { email: ` ${user.email.toUpperCase()} ` });
    // Assess
    expect(lifted.status).toBe(200);
    expect(lifted.body).toEqual({ email: user.email, cleared: true });
    const trail = await admin.get(`/admin/audit?userId=${user.userId}`);
    expect(trail.body.entries[0]).toMatchObject({ action: 'clear-ban', actor_id: operator.userId, target_user_id: user.userId });
    expect((await register(user.email)).status).toBe(200);
    expect((await admin.post('/admin/bans/clear', { email: user.email })).status).toBe(404);
  });

  it('lets a portal admin lift a ban, and no ordinary user', async () => {
    const user = await bannedAddress();
    const someone = await signUp(stack);
    const portalAdmin = await signUpPortalAdmin(stack);

    expect((await consoleApi(stack, someone.accessToken).post('/admin/bans/clear', { email: user.email })).status).toBe(403);
    expect((await consoleApi(stack, portalAdmin.accessToken).post('/admin/bans/clear', { email: user.email })).status).toBe(200);
  });

  it('answers 400 for a body without a valid email', async () => {
    expect((await admin.post('/admin/bans/clear', { email: 'not an address' })).status).toBe(400);
    expect((await admin.post('/admin/bans/clear', {})).status).toBe(400);
  });

  it('does not ban the address of an ordinary deleted account', async () => {
    const user = await signUp(stack);
    expect((await deleteOwnAccount(user)).status).toBe(200);
    expect((await register(user.email)).status).toBe(200);
  });

  it('does not count a correct password on a disabled account as a failed attempt', async () => {
    // Prepare: more correct sign-ins while disabled than the free failures the back-off allows.
    const user = await signUp(stack);
    await admin.post(`/admin/users/${user.userId}/disable`);
    const login = () => post(stack.url, '/login-flow/login', { email: user.email, password: STRONG_PASSWORD });
    for (let attempt = 0; attempt < 8; attempt += 1) expect((await login()).status).toBe(403);
    // Act
    await admin.post(`/admin/users/${user.userId}/enable`);
    const response = await login();
    // Assess
    expect(response.status).toBe(200);
    const card = await admin.get(`/admin/users/${user.userId}`);
    expect(card.body.backoff).toMatchObject({ failures: 0 });
  });
});
