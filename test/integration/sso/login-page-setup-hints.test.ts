import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('GET /login on a local development stack (SHOW_SETUP_HINTS, set by npm start)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SHOW_SETUP_HINTS: 'true' } });
  });
  afterAll(() => stack.stop());

  it('names the OEM Management API for administrators, marked as shown on the local stack only', async () => {
    const response = await call(stack.url, 'GET', '/login');

    expect(response.text).toContain('For administrators (shown on the local stack only)');
    expect(response.text).toContain('Administration -&gt; System Settings -&gt; OEM Management API');
    expect(response.text).toContain('not from the Google OAuth credentials of Enterprise Authentication');
  });
});
