import { deviceGrantStore } from '../../../lambdas/runtime';
import { burst, postFrom } from '../../support/bursts';
import { post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { clearOfWindowEdge } from '../../support/windows';

describe('TV-code and reset-email limits under bursts of parallel requests', () => {
  let stack: TestStack;
  let lookups: jest.SpyInstance;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ACTIVATE_MAX_FAILURES: '10', ACTIVATE_WINDOW_SECONDS: '600', RESET_EMAILS_PER_HOUR: '3' } });
    lookups = jest.spyOn(deviceGrantStore(), 'get');
  });
  afterAll(async () => {
    lookups.mockRestore();
    await stack.stop();
  });
  beforeEach(async () => {
    lookups.mockClear();
    // The reset limit counts by the hour and the TV code window is 600 s: an hour's end is also a 600 s window's end.
    await clearOfWindowEdge(600);
    await clearOfWindowEdge(3600);
  });

  it('looks up at most ten of 80 wrong TV codes sent at once from one address; the rest get 429 without a lookup', async () => {
    const responses = await burst(80, (index) =>
      postFrom('127.0.7.1', `${stack.url}/activate/lookup`, { user_code: `BCDF${String(index).padStart(4, 'G').replace(/\d/g, 'H')}` }),
    );

    const looked = responses.filter((response) => response.body.error === 'unknown_code');
    const refused = responses.filter((response) => response.body.error === 'too_many_attempts');
    expect(looked).toHaveLength(10);
    expect(refused).toHaveLength(70);
    expect(lookups).toHaveBeenCalledTimes(10);
    for (const refusal of refused) {
      expect(refusal.status).toBe(429);
      expect(Number(refusal.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts approvals with a wrong code at /activate/decision against the same address window', async () => {
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);

    const responses = await burst(30, () =>
      postFrom('127.0.7.2', `${stack.url}/activate/decision`, { user_code: 'BCDFGHJK', decision: 'approve', email: body.email, password: STRONG_PASSWORD }),
    );

    expect(responses.filter((response) => response.body.error === 'unknown_code')).toHaveLength(10);
    expect(responses.filter((response) => response.body.error === 'too_many_attempts')).toHaveLength(20);
  });

  it('sends at most three reset emails for one address when 20 requests arrive at once, and answers 200 to all', async () => {
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);

    const responses = await burst(20, (index) => postFrom(`127.0.8.${index + 1}`, `${stack.url}/login-flow/reset-password`, { email: body.email }));

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(stack.outbox().filter((mail) => mail.to === body.email && mail.subject === 'Reset your password')).toHaveLength(3);
  });
});
