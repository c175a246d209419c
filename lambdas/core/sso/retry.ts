/**
 * When to try a partner call again. Only answers that say "not now" are
 * retried (429, and 502/503/504 from the partner's own gateway); every wait
 * is bounded, so a hand-off always ends well inside API Gateway's 29 s.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First back-off when the partner gives no Retry-After; doubles per retry. */
  baseDelayMs: number;
  /** The longest single wait we accept, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 3000 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryAfterSeconds: number };

/**
 * Parses Retry-After: delta seconds or an HTTP date. Returns milliseconds, or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Decides after a "not now" answer. `retriesSoFar` counts retries already
 * made; `remainingMs` is what is left of the caller's overall deadline.
 * Waits the partner asked for are honoured, never shortened: if one is longer
 * than the bound we stop at once and pass the wait on to our caller.
 */
export function retryDecision(
  policy: RetryPolicy,
  retriesSoFar: number,
  retryAfterMs: number | undefined,
  remainingMs: number,
  jitter = Math.random(),
): RetryDecision {
  const backoff = Math.min(policy.baseDelayMs * 2 ** retriesSoFar, policy.maxDelayMs);
  // Full jitter on our own back-off spreads instances apart; a partner's Retry-After is taken as given.
  const delayMs = retryAfterMs ?? Math.round(backoff / 2 + (backoff / 2) * jitter);
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAfterMs ?? backoff) / 1000));
  if (retriesSoFar >= policy.maxRetries) return { retry: false, retryAfterSeconds };
  if (delayMs > policy.maxDelayMs) return { retry: false, retryAfterSeconds };
  // Leave room for the retried request itself: at least as long again as the wait, and 250 ms.
  if (delayMs + Math.max(250, delayMs) > remainingMs) return { retry: false, retryAfterSeconds };
  return { retry: true, delayMs };
}
