/**
 * The one source of every function's time limits. The CDK stack sets each
 * function's timeout from FUNCTION_TIMEOUT_SECONDS, and a partner operation
 * (token, calls, retries and their waits) must end PARTNER_RESPONSE_MARGIN_MS
 * before it, so a slow partner ends in our documented 503/504 (and a
 * half-made Auth0 client is removed) instead of API Gateway's bare 502.
 */
export const FUNCTION_TIMEOUT_SECONDS = 10;

/** Kept back from the timeout for what follows a partner operation: the compensating clean-up, the answer, the logs. */
export const PARTNER_RESPONSE_MARGIN_MS = 2_500;

/** The longest partner budget any function may use. */
export const MAX_PARTNER_BUDGET_MS = FUNCTION_TIMEOUT_SECONDS * 1000 - PARTNER_RESPONSE_MARGIN_MS;

/** A configured budget (PARTNER_BUDGET_MS) may shorten the budget, never stretch it past the function's timeout. */
export function partnerBudgetMs(configured: number): number {
  return Math.min(configured, MAX_PARTNER_BUDGET_MS);
}
