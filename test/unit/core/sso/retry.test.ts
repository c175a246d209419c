import { parseRetryAfter, type RetryPolicy, retryDecision } from '../../../../lambdas/core/sso/retry';

const policy: RetryPolicy = { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 3000 };

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('retryDecision', () => {
  it('waits exactly what Retry-After asks when it is within the bound', () => {
    expect(retryDecision(policy, 0, 1000, 10_000)).toEqual({ retry: true, delayMs: 1000 });
  });

  it('gives up at once when Retry-After exceeds the bound, passing the wait on', () => {
    expect(retryDecision(policy, 0, 120_000, 10_000)).toEqual({ retry: false, retryAfterSeconds: 120 });
  });

  it('backs off exponentially with jitter when there is no Retry-After', () => {
    expect(retryDecision(policy, 0, undefined, 10_000, 0)).toEqual({ retry: true, delayMs: 100 });
    expect(retryDecision(policy, 1, undefined, 10_000, 1)).toEqual({ retry: true, delayMs: 400 });
  });

  it('stops after the configured number of retries', () => {
    expect(retryDecision(policy, 2, 0, 10_000)).toMatchObject({ retry: false });
  });

  it('does not start a wait the remaining deadline cannot cover', () => {
    expect(retryDecision(policy, 0, 2000, 3000)).toEqual({ retry: false, retryAfterSeconds: 2 });
  });
});
