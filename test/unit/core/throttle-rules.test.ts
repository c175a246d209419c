import { TooManyAttemptsError } from '../../../lambdas/core/errors';
import { SignInThrottle, throttleKeys } from '../../../lambdas/core/throttle';
import { FakeClock } from '../../support/fakes/clock';
import { InMemoryThrottleStore } from '../../support/fakes/throttle-store';

/** The throttle's rules with an in-memory store and a fake clock (throttle.test.ts runs the same class against DynamoDB Local). */
describe('SignInThrottle rules', () => {
  const setup = (ip = { maxFailures: 100, windowSeconds: 600 }) => {
    const store = new InMemoryThrottleStore();
    const clock = new FakeClock(1_800_000_000_000);
    const throttle = new SignInThrottle(store, { account: { freeFailures: 3, baseDelaySeconds: 2, maxDelaySeconds: 16 }, ip });
    return { store, clock, throttle };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => (error instanceof TooManyAttemptsError ? error.retryAfterSeconds : Promise.reject(error)),
    );

  it('lets the free failures through, then holds the account for the base delay', async () => {
    // Prepare
    const { clock, throttle, store } = setup();
    for (let attempt = 0; attempt < 3; attempt += 1) await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Act
    const refused = await refusal(throttle.take('ada@example.com', '192.0.2.1', clock.seconds));
    clock.advanceSeconds(2);
    await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Assess
    expect(refused).toBe(2);
    expect(store.counters.get(throttleKeys.loginAccount('ada@example.com'))?.count).toBe(4);
  });

  it('runs the hold from the failure, not from the take, when the password check took a while', async () => {
    // Prepare
    const { clock, throttle, store } = setup();
    for (let attempt = 0; attempt < 3; attempt += 1) await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    const attempt = await throttle.take('ada@example.com', '192.0.2.1', clock.seconds + 5);
    clock.advanceSeconds(9);
    // Act
    const wait = await throttle.failed(attempt, clock.seconds);
    // Assess
    expect(wait).toBe(4);
    expect(store.counters.get(throttleKeys.loginAccount('ada@example.com'))?.heldUntil).toBe(clock.seconds + 4);
    expect(await refusal(throttle.take('ada@example.com', '192.0.2.1', clock.seconds + 3))).toBe(1);
  });

  it('doubles the hold with each further failure up to the cap', async () => {
    // Prepare
    const { throttle } = setup();
    const attempt = (accountCount: number) => ({ accountCount, addressCount: 1, now: 0 });
    // Act
    const waits = [2, 3, 4, 5, 6, 7, 20].map((count) => throttle.waitAfterFailure(attempt(count)));
    // Assess
    expect(waits).toEqual([0, 2, 4, 8, 16, 16, 16]);
  });

  it('ends the streak on success and gives the address its unit back', async () => {
    // Prepare
    const { clock, throttle, store } = setup();
    await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    const attempt = await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Act
    await throttle.succeeded(attempt);
    // Assess
    expect(store.counters.has(attempt.keys.account)).toBe(false);
    expect(store.counters.get(attempt.keys.ip)?.count).toBe(1);
  });

  it('refuses an address past its window limit until the window ends, without counting the account', async () => {
    // Prepare
    const { clock, throttle, store } = setup({ maxFailures: 2, windowSeconds: 600 });
    const windowStart = Math.floor(clock.seconds / 600) * 600;
    clock.advanceSeconds(windowStart + 100 - clock.seconds);
    await throttle.take('one@example.com', '192.0.2.9', clock.seconds);
    await throttle.take('two@example.com', '192.0.2.9', clock.seconds);
    // Act
    const refused = await refusal(throttle.take('three@example.com', '192.0.2.9', clock.seconds));
    clock.advanceSeconds(500);
    const nextWindow = await throttle.take('three@example.com', '192.0.2.9', clock.seconds);
    // Assess
    expect(refused).toBe(500);
    expect(store.counters.get(nextWindow.keys.ip)?.count).toBe(1);
    expect(store.counters.get(throttleKeys.loginAccount('three@example.com'))?.count).toBe(1);
  });

  it('gives the address unit back when the account refuses the attempt', async () => {
    // Prepare
    const { clock, throttle, store } = setup();
    for (let attempt = 0; attempt < 3; attempt += 1) await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    const ipKey = throttle.keysFor('ada@example.com', '192.0.2.1', clock.seconds).ip;
    // Act
    await refusal(throttle.take('ada@example.com', '192.0.2.1', clock.seconds));
    // Assess
    expect(store.counters.get(ipKey)?.count).toBe(3);
  });

  it('counts the addresses of one IPv6 /64 together', async () => {
    // Prepare
    const { clock, throttle } = setup();
    // Act
    const first = throttle.keysFor('ada@example.com', '2001:db8:1:2::1', clock.seconds);
    const second = throttle.keysFor('ada@example.com', '2001:db8:1:2:ffff::9', clock.seconds);
    const elsewhere = throttle.keysFor('ada@example.com', '2001:db8:1:3::1', clock.seconds);
    // Assess
    expect(second.ip).toBe(first.ip);
    expect(elsewhere.ip).not.toBe(first.ip);
  });

  it('reports the longer of the account wait and the address wait after a failure', async () => {
    // Prepare
    const { throttle } = setup({ maxFailures: 5, windowSeconds: 600 });
    // Act
    const addressBound = throttle.waitAfterFailure({ accountCount: 4, addressCount: 5, now: 1_800_000_100 });
    const accountBound = throttle.waitAfterFailure({ accountCount: 6, addressCount: 1, now: 1_800_000_100 });
    // Assess
    expect(addressBound).toBe(Math.ceil(1_800_000_100 / 600) * 600 - 1_800_000_100);
    expect(accountBound).toBe(16);
  });
  it('takes both counters one by one when a counter has expired and must restart', async () => {
    // Prepare
    const { clock, throttle, store } = setup();
    const keys = throttle.keysFor('ada@example.com', '192.0.2.1', clock.seconds);
    store.counters.set(keys.account, { count: 40, lastAt: clock.seconds - 90_000, expiresAt: clock.seconds - 1, heldUntil: clock.seconds + 500 });
    // Act
    const attempt = await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Assess
    expect(attempt.accountCount).toBe(1);
    expect(attempt.addressCount).toBe(1);
  });

  it('counts nothing on either counter when one of them refuses the one-request take', async () => {
    // Prepare
    const { clock, throttle, store } = setup({ maxFailures: 1, windowSeconds: 600 });
    await throttle.take('one@example.com', '192.0.2.9', clock.seconds);
    // Act
    const refused = await refusal(throttle.take('two@example.com', '192.0.2.9', clock.seconds));
    // Assess
    expect(refused).toBeGreaterThan(0);
    expect(store.counters.has(throttleKeys.loginAccount('two@example.com'))).toBe(false);
  });

  it('reads the counts after a failure when the take could not report them', async () => {
    // Prepare
    const { clock, throttle } = setup();
    for (let attempt = 0; attempt < 3; attempt += 1) await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    clock.advanceSeconds(2);
    const fourth = await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Act
    const wait = await throttle.failed(fourth, clock.seconds);
    // Assess
    expect(fourth.accountCount).toBeUndefined();
    expect(wait).toBe(4);
  });

  it('describes a success as the end of the account streak and one address unit back, within the window', async () => {
    // Prepare
    const { clock, throttle } = setup({ maxFailures: 100, windowSeconds: 600 });
    const attempt = await throttle.take('ada@example.com', '192.0.2.1', clock.seconds);
    // Act
    const release = throttle.releaseOf(attempt);
    // Assess
    expect(release).toEqual({
      clear: [throttleKeys.loginAccount('ada@example.com')],
      giveBack: [{ key: attempt.keys.ip, expiresAt: (Math.floor(clock.seconds / 600) + 1) * 600 }],
    });
  });
});
