import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const GRACE_SECONDS = 2;

describe('POST /login-flow/refresh: the grace for lost answers ends with its window', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REFRESH_GRACE_SECONDS: String(GRACE_SECONDS) } });
  });
  afterAll(() => stack.stop());

  const refresh = (token: string) => post(stack.url, '/login-flow/refresh', { refresh_token: token });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('revokes the family when the previous token comes back after the window', async () => {
    // Prepare
    const first = (await post(stack.url, '/login-flow/register', registration())).body;
    const answered = (await refresh(first.refresh_token)).body;
    await pause(GRACE_SECONDS * 1000 + 1200);

    // Act
    const late = await refresh(first.refresh_token);
    const current = await refresh(answered.refresh_token);

    // Assess
    expect(late.status).toBe(403);
    expect(late.body.error).toBe('invalid_grant');
    expect(current.status).toBe(403);
  });

  it('still repeats the successor inside the window', async () => {
    // Prepare
    const first = (await post(stack.url, '/login-flow/register', registration())).body;
    const answered = (await refresh(first.refresh_token)).body;

    // Act
    const retried = await refresh(first.refresh_token);

    // Assess
    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).toBe(answered.refresh_token);
  });
});
