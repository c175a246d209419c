import { FormRejectedError, InvalidRefreshTokenError, TooManyAttemptsError } from '../../../lambdas/core/errors';
import { errorMetric } from '../../../lambdas/http/error-metrics';
import { count, flushMetrics } from '../../../lambdas/http/metrics';

describe('errorMetric', () => {
  it('names failed and delayed sign-ins, refresh reuse and partner failures', () => {
    expect(errorMetric(new TooManyAttemptsError(3))?.name).toBe('SignInDelayed');
    expect(errorMetric(new FormRejectedError('invalid_credentials', 'x'))?.name).toBe('SignInFailed');
    expect(errorMetric(new InvalidRefreshTokenError('reused'))?.name).toBe('RefreshReuseDetected');
    expect(errorMetric(new InvalidRefreshTokenError('raced'))?.name).toBe('RefreshReuseDetected');
    expect(errorMetric(Object.assign(new Error('down'), { partner: 'astrato' }))).toEqual({ name: 'PartnerCallFailed', dimensions: { partner: 'astrato' } });
  });

  it('ignores errors that are not business events', () => {
    expect(errorMetric(new InvalidRefreshTokenError('unknown'))).toBeUndefined();
    expect(errorMetric(new FormRejectedError('email_taken', 'x'))).toBeUndefined();
    expect(errorMetric(new Error('boom'))).toBeUndefined();
  });
});

describe('count', () => {
  it('writes CloudWatch EMF lines in the LoginBridge namespace', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      count('SignInSucceeded');
      flushMetrics();
    } finally {
      spy.mockRestore();
    }
    const emf = JSON.parse(lines.find((line) => line.includes('_aws')) ?? '{}');
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'LoginBridge', Metrics: [{ Name: 'SignInSucceeded', Unit: 'Count' }] });
    expect(emf.SignInSucceeded).toBe(1);
  });
});
