import { type AcronisSimulator, startAcronisSimulator } from '../../../local/simulators/acronis';
import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { type Auth0Simulator, startAuth0Simulator } from '../../../local/simulators/auth0';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verificationMails, verifyEmail } from '../../support/verification';
import { as, signUp } from '../portal/helpers';
import { removeProfileAttribute } from './support';

/** Everything a partner or the portal trusts an email for is refused until the address is proven. */
describe('what requires a verified email', () => {
  let astrato: AstratoSimulator;
  let acronis: AcronisSimulator;
  let sandbox: Auth0Simulator;
  let production: Auth0Simulator;
  let stack: TestStack;
  const adminEmail = `ceo.${process.pid}.${Date.now()}@customer.example`;

  beforeAll(async () => {
    [astrato, acronis, sandbox, production] = await Promise.all([
      startAstratoSimulator(),
      startAcronisSimulator(),
      startAuth0Simulator({ tenant: 'sandbox' }),
      startAuth0Simulator({ tenant: 'production' }),
    ]);
    stack = await startTestStack({
      env: {
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        ACRONIS_BASE_URL: acronis.url,
        ACRONIS_CLIENT_ID: acronis.clientId,
        ACRONIS_CLIENT_SECRET: acronis.clientSecret,
        ...sandbox.env('SANDBOX'),
        ...production.env('PRODUCTION'),
        SANDBOX_API_AUDIENCES: 'https://sandbox.api.example.com=read:data',
        PORTAL_ADMIN_EMAILS: adminEmail,
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all([astrato.stop(), acronis.stop(), sandbox.stop(), production.stop()]);
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses every partner hand-off with 403 email_not_verified, then allows it once the link is clicked (same access token)', async () => {
    // Prepare
    const user = await signUp(stack, {}, { verified: false });

    // Act
    const refused = await Promise.all([
      post(stack.url, '/sso/astrato', undefined, bearer(user.accessToken)),
      post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password }),
      post(stack.url, '/sso/acronis', {}, bearer(user.accessToken)),
      post(stack.url, '/sso/acronis/login', { email: user.email, password: user.password }),
    ]);
    await verifyEmail(stack, user.email);
    const allowed = await Promise.all([
      post(stack.url, '/sso/astrato', undefined, bearer(user.accessToken)),
      post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password }),
      post(stack.url, '/sso/acronis', {}, bearer(user.accessToken)),
      post(stack.url, '/sso/acronis/login', { email: user.email, password: user.password }),
    ]);

    // Assess
    for (const answer of refused) {
      expect([answer.status, answer.body.error]).toEqual([403, 'email_not_verified']);
      expect(answer.body.formError).toMatch(/check your spam folder too\)\. No email\? Send a new link/);
      expect(answer.body.formError).not.toContain(user.email);
    }
    expect(acronis.ottRequests()).toHaveLength(2);
    expect(allowed.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });

  it('gives an account from before verification (no link ever sent) one link at its first refused hand-off', async () => {
    // Prepare: an upgraded account: unverified and never sent a link.
    const user = await signUp(stack, {}, { verified: false });
    await removeProfileAttribute(stack, user.userId, 'verificationSentAt');
    const before = verificationMails(stack.outboxDir, user.email).length;

    // Act: a burst of hand-offs, then one more.
    await Promise.all(Array.from({ length: 5 }, () => post(stack.url, '/sso/astrato', undefined, bearer(user.accessToken))));
    await post(stack.url, '/sso/acronis', {}, bearer(user.accessToken));

    // Assess
    expect(verificationMails(stack.outboxDir, user.email).length - before).toBe(1);
  });

  it('makes a PORTAL_ADMIN_EMAILS address an admin only once it is verified', async () => {
    // Prepare
    const squatter = await signUp(stack, { email: adminEmail }, { verified: false });
    const api = as(stack, squatter);

    // Act
    const before = await api.get('/portal/team');
    const adminListBefore = await api.get('/portal/admin/teams');
    await verifyEmail(stack, adminEmail);
    const after = await api.get('/portal/team');

    // Assess
    expect(before.body.you.is_admin).toBe(false);
    expect(adminListBefore.status).toBe(403);
    expect(after.body.you.is_admin).toBe(true);
  });

  it('refuses creating and rotating credentials, and accepting invitations, until the address is verified', async () => {
    // Prepare
    const owner = await signUp(stack);
    const newcomer = await signUp(stack, {}, { verified: false });
    const ownerApi = as(stack, owner);
    const created = await ownerApi.post('/portal/credentials', { name: 'backend', environment: 'sandbox' });
    expect(created.status).toBe(201);
    const invited = await ownerApi.post('/portal/team/invitations', { email: newcomer.email });
    const newcomerApi = as(stack, newcomer);

    // Act
    const create = await newcomerApi.post('/portal/credentials', { name: 'mine', environment: 'sandbox' });
    const join = await newcomerApi.post('/portal/team/join', { token: invited.body.token });
    await verifyEmail(stack, newcomer.email);
    const joinAfter = await newcomerApi.post('/portal/team/join', { token: invited.body.token });
    const rotate = await newcomerApi.post(`/portal/credentials/${created.body.client_id}/rotate`);

    // Assess
    expect([create.status, create.body.error]).toEqual([403, 'email_not_verified']);
    expect([join.status, join.body.error]).toEqual([403, 'email_not_verified']);
    expect(joinAfter.status).toBe(200);
    expect(rotate.status).toBe(200);
  });
});
