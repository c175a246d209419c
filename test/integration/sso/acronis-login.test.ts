import { ACRONIS_PATHS, type AcronisSimulator, startAcronisSimulator } from '../../../local/simulators/acronis';
import { call, post, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { signUp } from './helpers';

describe('POST /sso/acronis/login and the login page for Acronis', () => {
  let acronis: AcronisSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    acronis = await startAcronisSimulator();
    stack = await startTestStack({
      env: { ACRONIS_BASE_URL: acronis.url, ACRONIS_CLIENT_ID: acronis.clientId, ACRONIS_CLIENT_SECRET: acronis.clientSecret, LOGIN_IP_MAX_FAILURES: '1000' },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await acronis.stop();
  });

  it('returns the external-login link for the right email and password and an allowed target, without starting a session', async () => {
    const user = await signUp(stack);

    const response = await post(stack.url, '/sso/acronis/login', { email: user.email, password: user.password, target_uri: '/bc/' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 200,
      url: expect.stringMatching(new RegExp(`/api/2/idp/external-login#ott=[^&]+&targetURI=${acronis.url.replace(/[.]/g, '\\.')}/bc/$`)),
    });
    expect(response.body).not.toHaveProperty('refresh_token');
    expect(acronis.ottRequests().at(-1)).toEqual({ purpose: 'user_login', login: user.email });
  });

  it('checks the password before the target and asks Acronis for nothing on a wrong one', async () => {
    const user = await signUp(stack);
    const ottsBefore = acronis.calls(ACRONIS_PATHS.ott);

    const wrong = await post(stack.url, '/sso/acronis/login', { email: user.email, password: 'not the password at all', target_uri: 'https://evil.example/' });
    const unknown = await post(stack.url, '/sso/acronis/login', { email: uniqueEmail('ghost'), password: 'not the password at all' });
    const badTarget = await post(stack.url, '/sso/acronis/login', { email: user.email, password: user.password, target_uri: 'https://evil.example/' });

    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ formError: 'The email or password is incorrect.', fieldErrors: { email: true, password: true } });
    }
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error).toBe('target_not_allowed');
    expect(acronis.calls(ACRONIS_PATHS.ott)).toBe(ottsBefore);
  });

  it('serves the login page for Acronis with ?partner=acronis, and refuses an unknown partner', async () => {
    const page = await call(stack.url, 'GET', '/login?partner=acronis&target=/bc/');
    const unknown = await call(stack.url, 'GET', '/login?partner=elsewhere');

    expect(page.status).toBe(200);
    expect(page.text).toContain('action="sso/acronis/login"');
    expect(page.text).toContain('"partner":"acronis"');
    // The target is read by the page's script from its own address, never written into the page.
    expect(page.text).not.toContain('/bc/"');
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors).toEqual({ partner: expect.any(String) });
  });
});
