import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

// A file of its own: handler settings are read once per instance, as in Lambda.
describe('POST /login-flow/register on a platform whose screen shows the terms checkbox (TERMS_REQUIRED=true)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { TERMS_REQUIRED: 'true' } });
  });
  afterAll(() => stack.stop());

  it('refuses approveTermsOfUse: null with 403 and the field marked', async () => {
    const response = await post(stack.url, '/login-flow/register', registration({ approveTermsOfUse: null }));

    expect(response.status).toBe(403);
    expect(response.body.fieldErrors).toEqual({ approveTermsOfUse: expect.any(String) });
  });

  it('registers when the box is ticked', async () => {
    const response = await post(stack.url, '/login-flow/register', registration({ approveTermsOfUse: 'on' }));

    expect(response.status).toBe(200);
  });
});
