import { withFactorSignIn } from '../../support/factors';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { as, signUp } from './helpers';

describe('the local stack without Auth0 credentials', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('runs a Management API simulator for each tenant, with an example API, so the portal works out of the box', async () => {
    // Prepare
    // Production credentials need a recent second factor (docs/security.md).
    const user = await withFactorSignIn(stack.url, await signUp(stack));
    // Act
    const created = await as(stack, user).post('/portal/credentials', { name: 'Local', environment: 'production' });
    // Assess
    expect(stack.partners.map((partner) => partner.name)).toEqual(expect.arrayContaining(['auth0-sandbox', 'auth0-production']));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      token_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/),
      audiences: ['https://api.example.com'],
    });
  });
});
