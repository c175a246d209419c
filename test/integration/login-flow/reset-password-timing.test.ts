import { post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('POST /login-flow/reset-password timing', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { RESET_RESPONSE_FLOOR_MS: '400', RESET_EMAILS_PER_HOUR: '100' } });
  });
  afterAll(() => stack.stop());

  it('takes the same time for a known and an unknown email', async () => {
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    const time = async (email: string) => {
      const started = performance.now();
      await post(stack.url, '/login-flow/reset-password', { email });
      return performance.now() - started;
    };

    const known: number[] = [];
    const unknown: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      known.push(await time(String(user.email)));
      unknown.push(await time(uniqueEmail('ghost')));
    }

    expect(Math.abs(median(known) - median(unknown)) / median(unknown)).toBeLessThan(0.1);
    expect(median(unknown)).toBeGreaterThanOrEqual(400);
  });
});
