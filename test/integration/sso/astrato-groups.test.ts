import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, setAttributes, signUp } from './helpers';

// A stack of its own: no ASTRATO_DEFAULT_GROUP_IDS, as a platform that manages groups in Astrato itself.
describe('POST /sso/astrato without configured groups', () => {
  let astrato: AstratoSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    astrato = await startAstratoSimulator();
    stack = await startTestStack({
      env: { ASTRATO_BASE_URL: astrato.url, ASTRATO_CLIENT_ID: astrato.clientId, ASTRATO_CLIENT_SECRET: astrato.clientSecret, ASTRATO_DEFAULT_GROUP_IDS: '' },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await astrato.stop();
  });

  it('sends no groupIds, so an existing Astrato user keeps the groups an administrator gave them in Astrato', async () => {
    // Prepare
    const user = await signUp(stack);
    astrato.setUserGroups(user.email, ['sales', 'viewers']);
    // Act
    const response = await post(stack.url, '/sso/astrato', undefined, bearer(user.accessToken));
    // Assess
    expect(response.status).toBe(200);
    expect(astrato.setups().at(-1)).toEqual({ email: user.email });
    expect(astrato.userGroups(user.email)).toEqual(['sales', 'viewers']);
    const landing = await (await fetch(response.body.redirect_url)).text();
    expect(landing).toContain('sales, viewers');
  });

  it("sends the user's own groups when an operator set them, and Astrato applies exactly those", async () => {
    const user = await signUp(stack);
    astrato.setUserGroups(user.email, ['sales']);
    await setAttributes(stack, user.userId, { astratoGroupIds: ['finance'] });

    const response = await post(stack.url, '/sso/astrato', undefined, bearer(user.accessToken));

    expect(response.status).toBe(200);
    expect(astrato.setups().at(-1)).toEqual({ email: user.email, groupIds: ['finance'] });
    expect(astrato.userGroups(user.email)).toEqual(['finance']);
  });
});
