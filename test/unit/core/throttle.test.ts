import { DynamoThrottleStore } from '../../../lambdas/adapters/dynamo/throttle-store';
import { TooManyAttemptsError } from '../../../lambdas/core/errors';
import { SignInThrottle, throttleKeys } from '../../../lambdas/core/throttle';
import { freshTable } from '../../support/dynamo';

/** The counter logic against DynamoDB Local, with the clock passed in: every `now` below is a fake instant. */
describe('SignInThrottle and ThrottleStore.take', () => {
  let store: DynamoThrottleStore;
  let sequence = 0;
  const T0 = 1_800_000_000;
  beforeAll(async () => {
    const { db, tableName } = await freshTable();
    store = new DynamoThrottleStore(db, tableName, () => T0);
  });
  const throttle = (maxFailures = 100) =>
    new SignInThrottle(store, { account: { freeFailures: 5, baseDelaySeconds: 1, maxDelaySeconds: 900 }, ip: { maxFailures, windowSeconds: 600 } });
  const email = () => `user${(sequence += 1)}-${Date.now()}@example.com`;
  const ip = () => `192.0.2.${(sequence += 1) % 250}`;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => (error instanceof TooManyAttemptsError ? error.retryAfterSeconds : Promise.reject(error)),
    );

  it('takes five failing attempts for an account, then holds it 1 s, 2 s and 4 s after each further failure', async () => {
    const limits = throttle();
    const account = email();
    const fail = async (now: number) => limits.failed(await limits.take(account, ip(), now), now);
    for (let attempt = 1; attempt <= 5; attempt += 1) await fail(T0);

    expect(await refusal(limits.take(account, ip(), T0))).toBe(1);
    expect(await fail(T0 + 1)).toBe(2);
    expect(await refusal(limits.take(account, ip(), T0 + 2))).toBe(1);
    expect(await fail(T0 + 3)).toBe(4);
    expect(await refusal(limits.take(account, ip(), T0 + 6))).toBe(1);
    expect(await fail(T0 + 7)).toBe(8);
  });

  it('takes both counters in one DynamoDB transaction, and leaves the counts to be read after a failure', async () => {
    const limits = throttle();
    const account = email();
    const address = ip();

    const attempt = await limits.take(account, address, T0);
    const counters = await store.read([throttleKeys.loginAccount(account), limits.keysFor(account, address, T0).ip]);

    expect(attempt.accountCount).toBeUndefined();
    expect([...counters.values()].map((counter) => counter.count)).toEqual([1, 1]);
  });

  it('restarts a counter past its expiry that DynamoDB has not swept yet', async () => {
    const limits = throttle();
    const account = email();
    for (let attempt = 1; attempt <= 6; attempt += 1) await limits.take(account, ip(), T0 + attempt * 2).catch(() => undefined);
    const dayLater = T0 + 2 * 24 * 60 * 60;

    const fresh = await limits.take(account, ip(), dayLater);

    expect(fresh.accountCount).toBe(1);
  });

  it('takes exactly five of 25 attempts made at the same instant', async () => {
    const limits = throttle();
    const account = email();

    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () =>
        limits.take(account, ip(), T0).then(
          () => 'taken',
          () => 'refused',
        ),
      ),
    );

    expect(outcomes.filter((outcome) => outcome === 'taken')).toHaveLength(5);
  });

  it('ends the streak on success and gives the address its unit back', async () => {
    const limits = throttle(2);
    const account = email();
    const address = ip();
    const first = await limits.take(account, address, T0);
    await limits.succeeded(first);
    await limits.take(account, address, T0);
    const counters = await store.read([throttleKeys.loginAccount(account), limits.keysFor(account, address, T0).ip]);

    expect(counters.get(throttleKeys.loginAccount(account))?.count).toBe(1);
    expect(counters.get(limits.keysFor(account, address, T0).ip)?.count).toBe(1);
  });

  it('refuses an address past its window limit until the next window, without counting the account', async () => {
    const limits = throttle(3);
    const address = ip();
    for (let attempt = 0; attempt < 3; attempt += 1) await limits.take(email(), address, T0);
    const victim = email();

    expect(await refusal(limits.take(victim, address, T0 + 10))).toBe(600 - ((T0 + 10) % 600));
    expect((await store.read([throttleKeys.loginAccount(victim)])).size).toBe(0);
    const nextWindow = await limits.take(victim, address, T0 + 600);
    expect((await store.read([nextWindow.keys.ip])).get(nextWindow.keys.ip)?.count).toBe(1);
  });

  it('gives a refused account attempt its address unit back', async () => {
    const limits = throttle(100);
    const account = email();
    const address = ip();
    for (let attempt = 0; attempt < 5; attempt += 1) await limits.take(account, address, T0);
    await refusal(limits.take(account, address, T0));

    expect((await store.read([limits.keysFor(account, address, T0).ip])).get(limits.keysFor(account, address, T0).ip)?.count).toBe(5);
  });

  it('counts a stale counter, past its expiry but not yet swept, from one again', async () => {
    const key = `unit#stale#${(sequence += 1)}`;
    expect((await store.take(key, { limit: 1, now: T0 - 100, expiresAt: T0 - 50 })).taken).toBe(true);

    const outcome = await store.take(key, { limit: 1, now: T0, expiresAt: T0 + 50 });

    expect(outcome).toMatchObject({ taken: true, counter: { count: 1 } });
  });

  it('never gives a counter back below zero', async () => {
    const key = `unit#give#${(sequence += 1)}`;
    await store.take(key, { limit: 3, now: T0, expiresAt: T0 + 60 });
    await store.giveBack(key);
    await store.giveBack(key);

    expect((await store.read([key])).get(key)?.count).toBe(0);
  });
});
