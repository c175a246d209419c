/**
 * A partner's request budget per fixed window (a tenant's plan limit):
 * `admit` counts one request and says whether it is within the budget.
 */
export class RateWindow {
  private windowStart = Date.now();
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  admit(): boolean {
    if (Date.now() - this.windowStart >= this.windowMs) {
      this.windowStart = Date.now();
      this.used = 0;
    }
    this.used += 1;
    return this.used <= this.limit;
  }

  /** Requests left in the current window (never below 0). */
  remaining(): number {
    return Math.max(0, this.limit - this.used);
  }
}

/**
 * The rate-limit headers Auth0 (and others) send on every answer:
 * `x-ratelimit-reset` is the UNIX time, in seconds, when the budget refills.
 */
export const rateLimitHeaders = (limit: number, remaining: number, resetInSeconds = 1): Record<string, string> => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(Math.max(0, remaining)),
  'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
});
