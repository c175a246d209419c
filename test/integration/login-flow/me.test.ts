import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, expiredAccessToken } from '../sso/helpers';

// A stack of its own: the platform keeps three extra register fields.
describe('extra register fields and GET /login-flow/me', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REGISTRATION_EXTRA_FIELDS: 'company:string:20, employees:number:4, newsletter:boolean' } });
  });
  afterAll(() => stack.stop());

  const me = (token: string) => call(stack.url, 'GET', '/login-flow/me', { headers: bearer(token) });

  it("registers with the contract's own example body (terms and marketing null) and keeps the allow-listed fields", async () => {
    // Prepare
    const body = registration({
      approveTermsOfUse: null,
      approveMarketing: null,
      company: '  Acme Ltd ',
      employees: '250',
      newsletter: 'on',
      favouriteColour: 'green',
      platform: 'ios',
    });
    // Act
    const registered = await post(stack.url, '/login-flow/register', body);
    const profile = await me(registered.body.access_token);
    // Assess
    expect(registered.status).toBe(200);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      status: 200,
      id: expect.any(String),
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: body.email,
      email_verified: false,
      consents: { approveTermsOfUse: { given: false, at: null }, approveMarketing: { given: false, at: null } },
      fields: { company: 'Acme Ltd', employees: 250, newsletter: true },
      locale: 'en',
    });
  });

  it('stores when each consent was given', async () => {
    const before = Date.now();
    const registered = await post(stack.url, '/login-flow/register', registration({ approveTermsOfUse: 'on', approveMarketing: 'on' }));

    const { consents } = (await me(registered.body.access_token)).body;

    expect(consents.approveTermsOfUse.given).toBe(true);
    expect(consents.approveMarketing.given).toBe(true);
    for (const consent of [consents.approveTermsOfUse, consents.approveMarketing]) {
      expect(Date.parse(consent.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(consent.at)).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });

  it('refuses an extra field of the wrong type or too long, under its own name, together with the other field errors', async () => {
    const response = await post(stack.url, '/login-flow/register', registration({ company: 'x'.repeat(21), employees: 'many', newsletter: 3, lastName: '' }));

    expect(response.status).toBe(403);
    expect(Object.keys(response.body.fieldErrors).sort()).toEqual(['company', 'employees', 'lastName', 'newsletter']);
    expect(response.body.fieldErrors.company).toMatch(/at most 20/);
  });

  it('leaves out extra fields that were not given, null or empty', async () => {
    const registered = await post(stack.url, '/login-flow/register', registration({ company: '', employees: null }));

    expect((await me(registered.body.access_token)).body.fields).toEqual({});
  });

  it('answers 401 without a token, with an expired one, and once the account is deleted', async () => {
    const registered = await post(stack.url, '/login-flow/register', registration());
    const token = registered.body.access_token as string;
    const userId = (await me(token)).body.id as string;

    const missing = await call(stack.url, 'GET', '/login-flow/me');
    const expired = await me(await expiredAccessToken(stack, userId));
    await call(stack.url, 'POST', '/login-flow/delete-account', { headers: bearer(token) });
    const deleted = await me(token);

    expect([missing.status, expired.status, deleted.status]).toEqual([401, 401, 401]);
  });
});
