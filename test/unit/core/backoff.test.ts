import { backoffDelaySeconds, DEFAULT_ACCOUNT_BACKOFF } from '../../../lambdas/core/backoff';

describe('backoffDelaySeconds', () => {
  it('lets the first five failures through and then doubles the wait from 1 s', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((failures) => backoffDelaySeconds(failures, DEFAULT_ACCOUNT_BACKOFF));

    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8]);
  });

  it('never waits longer than 15 minutes, however many failures there were', () => {
    expect(backoffDelaySeconds(15, DEFAULT_ACCOUNT_BACKOFF)).toBe(900);
    expect(backoffDelaySeconds(10_000, DEFAULT_ACCOUNT_BACKOFF)).toBe(900);
  });
});
