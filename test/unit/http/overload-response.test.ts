import { OverloadedError } from '../../../lambdas/core/errors';
import { errorResponse } from '../../../lambdas/http/error-response';

describe('Designed shedding as an answer', () => {
  it.each([['login-flow'], ['oauth']] as const)('answers an overload with 503 temporarily_unavailable and its Retry-After (%s style)', (style) => {
    // Act
    const outcome = errorResponse(new OverloadedError(3), style, 'corr-1');

    // Assess
    expect(outcome.statusCode).toBe(503);
    expect(outcome.headers['Retry-After']).toBe('3');
    expect(outcome.body.error).toBe('temporarily_unavailable');
  });
});
