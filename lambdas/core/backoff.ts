/**
 * Brute-force back-off. After `freeFailures` consecutive failures each further
 * failure doubles the wait, from `baseDelaySeconds` up to `maxDelaySeconds`.
 * The wait is always bounded, so an attacker can delay a user but never lock
 * the account for good; a success resets the count.
 */
export interface BackoffPolicy {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export const DEFAULT_ACCOUNT_BACKOFF: BackoffPolicy = { freeFailures: 5, baseDelaySeconds: 1, maxDelaySeconds: 15 * 60 };

/** Seconds the next attempt must wait after `failures` consecutive failures. */
export function backoffDelaySeconds(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const exponent = failures - policy.freeFailures;
  // 2^exponent overflows nothing before the cap applies; clamp the exponent anyway.
  const delay = policy.baseDelaySeconds * 2 ** Math.min(exponent, 30);
  return Math.min(delay, policy.maxDelaySeconds);
}

/** A fixed window: at most `maxFailures` per `windowSeconds` from one client IP. */
export interface WindowPolicy {
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_IP_WINDOW: WindowPolicy = { maxFailures: 100, windowSeconds: 15 * 60 };
