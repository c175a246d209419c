import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { clearOfWindowEdge } from '../../support/windows';

describe('POST /login-flow/login from one client IP', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_IP_MAX_FAILURES: '4', LOGIN_IP_WINDOW_SECONDS: '600' } });
  });
  beforeEach(() => clearOfWindowEdge(600));
  afterAll(() => stack.stop());

  it('stops an IP that fails across many accounts, even for a correct password', async () => {
    const body = registration();
    await post(stack.url, '/login-flow/register', body);
    for (let index = 0; index < 4; index += 1) await post(stack.url, '/login-flow/login', { email: uniqueEmail('spray'), password: 'Spring2024!' });

    const response = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD });

    expect(response.status).toBe(403);
    expect(response.body.error).toBe('too_many_attempts');
  });
});
