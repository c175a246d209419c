import { hasher } from '../../../lambdas/runtime';
import { type BurstResponse, burst, postFrom, statusCounts } from '../../support/bursts';
import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { clearOfWindowEdge } from '../../support/windows';

/** Parallel sign-in attempts: each limit is taken before argon2 runs, so a burst verifies at most what the limit allows. */
describe('Sign-in limits under bursts of parallel requests', () => {
  let stack: TestStack;
  let verifications: jest.SpyInstance;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_BACKOFF_FREE_FAILURES: '5', LOGIN_IP_MAX_FAILURES: '10', LOGIN_IP_WINDOW_SECONDS: '600' } });
    verifications = jest.spyOn(hasher(), 'verify');
  });
  afterAll(async () => {
    verifications.mockRestore();
    await stack.stop();
  });
  beforeEach(async () => {
    verifications.mockClear();
    await clearOfWindowEdge(600);
  });

  /** Sign-in answers that ran the password check (a wrong password is 403 invalid_credentials in the Login Flow contract). */
  const evaluated = (responses: BurstResponse[]) =>
    responses.filter((response) => response.status === 200 || response.body.error === 'invalid_credentials').length;
  const refused = (responses: BurstResponse[]) => responses.filter((response) => response.body.error === 'too_many_attempts');
  /**
   * Past the free failures the account may try again after 1 s, then 2 s, 4 s...:
   * a burst that lasts `seconds` on a loaded machine may legitimately see that many more checks.
   */
  const backoffSlack = (seconds: number) => Math.floor(Math.log2(seconds + 1)) + 1;
  const timed = async <T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> => {
    const started = Date.now();
    const result = await run();
    return { result, seconds: (Date.now() - started) / 1000 };
  };

  const register = async () => {
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
    return body.email as string;
  };

  it('checks at most five of 40 wrong passwords for one account sent at once, and refuses the rest with 403 and Retry-After', async () => {
    const email = await register();

    const { result: responses, seconds } = await timed(() =>
      burst(40, (index) => postFrom(`127.0.1.${(index % 4) + 1}`, `${stack.url}/login-flow/login`, { email, password: `wrong guess ${index}` })),
    );

    expect(verifications).toHaveBeenCalledTimes(evaluated(responses));
    expect(evaluated(responses)).toBeGreaterThanOrEqual(5);
    expect(evaluated(responses)).toBeLessThanOrEqual(5 + backoffSlack(seconds));
    expect(refused(responses)).toHaveLength(40 - evaluated(responses));
    for (const refusal of refused(responses)) {
      expect(refusal.status).toBe(403);
      expect(Number(refusal.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('lets the right password through a burst of 40 guesses only if it was among the five checked', async () => {
    const email = await register();

    const { result: responses, seconds } = await timed(() =>
      burst(40, (index) =>
        postFrom(`127.0.2.${(index % 4) + 1}`, `${stack.url}/login-flow/login`, { email, password: index === 39 ? STRONG_PASSWORD : `wrong guess ${index}` }),
      ),
    );

    expect(verifications).toHaveBeenCalledTimes(evaluated(responses));
    expect(evaluated(responses)).toBeLessThanOrEqual(5 + backoffSlack(seconds));
    expect(refused(responses)).toHaveLength(40 - evaluated(responses));
    expect(statusCounts(responses)[200] ?? 0).toBeLessThanOrEqual(1);
  });

  it('checks at most ten of 30 failed sign-ins from one address at once, whichever accounts they name', async () => {
    const responses = await burst(30, () => postFrom('127.0.3.1', `${stack.url}/login-flow/login`, { email: uniqueEmail('spray'), password: 'Spring2024!' }));

    expect(verifications).toHaveBeenCalledTimes(evaluated(responses));
    expect(evaluated(responses)).toBe(10);
    expect(refused(responses)).toHaveLength(20);
  });

  it('checks at most five of 40 wrong passwords at /sso/astrato/login, which shares the account back-off', async () => {
    const email = await register();

    const { result: responses, seconds } = await timed(() =>
      burst(40, (index) => postFrom(`127.0.5.${(index % 4) + 1}`, `${stack.url}/sso/astrato/login`, { email, password: `wrong guess ${index}` })),
    );

    expect(verifications).toHaveBeenCalledTimes(evaluated(responses));
    expect(evaluated(responses)).toBeLessThanOrEqual(5 + backoffSlack(seconds));
    expect(refused(responses)).toHaveLength(40 - evaluated(responses));
  });

  it('clears the account streak on success, so the next wrong password is checked again', async () => {
    const email = await register();
    for (let index = 0; index < 3; index += 1) {
      expect((await postFrom('127.0.6.1', `${stack.url}/login-flow/login`, { email, password: 'nope nope nope' })).body.error).toBe('invalid_credentials');
    }
    expect((await postFrom('127.0.6.1', `${stack.url}/login-flow/login`, { email, password: STRONG_PASSWORD })).status).toBe(200);

    const { result: responses, seconds } = await timed(() =>
      burst(8, () => postFrom('127.0.6.2', `${stack.url}/login-flow/login`, { email, password: 'nope nope nope' })),
    );

    expect(evaluated(responses)).toBeGreaterThanOrEqual(5);
    expect(evaluated(responses)).toBeLessThanOrEqual(5 + backoffSlack(seconds));
  });
});
