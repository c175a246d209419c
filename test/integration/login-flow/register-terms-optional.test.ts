import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

// A file of its own: handler settings are read once per instance, as in Lambda.
describe('POST /login-flow/register when terms are optional', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { TERMS_REQUIRED: 'false' } });
  });
  afterAll(() => stack.stop());

  it('registers without approveTermsOfUse', async () => {
    const response = await post(stack.url, '/login-flow/register', registration({ approveTermsOfUse: null }));

    expect(response.status).toBe(200);
  });
});
