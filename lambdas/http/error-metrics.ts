import { FormRejectedError, InvalidRefreshTokenError, TooManyAttemptsError } from '../core/errors';
import type { MetricName } from './metrics';

/** The metric an error stands for, if any: failed and delayed sign-ins, refresh-token reuse, partner failures. */
export function errorMetric(error: unknown): { name: MetricName; dimensions?: Record<string, string> } | undefined {
  if (error instanceof TooManyAttemptsError) return { name: 'SignInDelayed' };
  if (error instanceof FormRejectedError && error.code === 'invalid_credentials') return { name: 'SignInFailed' };
  if (error instanceof InvalidRefreshTokenError && (error.reason === 'reused' || error.reason === 'raced')) return { name: 'RefreshReuseDetected' };
  const partner = (error as { partner?: unknown } | undefined)?.partner;
  if (typeof partner === 'string') return { name: 'PartnerCallFailed', dimensions: { partner } };
  return undefined;
}
