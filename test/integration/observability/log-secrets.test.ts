import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { latestVerifyToken } from '../../support/verification';
import { captureLogs } from '../sso/helpers';

/**
 * Plants passwords, tokens and Authorization headers in requests across the
 * API, including failures that are logged (back-off, 401, 503), and fails if
 * any of them reaches the logs. SSO partner answers are covered by
 * test/integration/sso/logging.test.ts.
 */
describe('logs across the API', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false', LOGIN_BACKOFF_FREE_FAILURES: '1' } });
  });
  afterAll(() => stack.stop());

  it('never contain a password, refresh token, access token, reset or verification link or Authorization header', async () => {
    // Prepare
    const user = registration({ password: 'planted-password-Zq81 long enough' });
    const stop = captureLogs();
    let logs = '';
    let verifyToken = 'no-verify-token';
    const planted: string[] = [String(user.password), 'planted-wrong-password-Xv02', 'Bearer planted-bearer-token-Kw77', 'planted-bearer-token-Kw77'];
    try {
      // Act
      const tokens = (await post(stack.url, '/login-flow/register', user)).body;
      planted.push(tokens.access_token, tokens.refresh_token);
      await post(stack.url, '/login-flow/login', { email: user.email, password: 'planted-wrong-password-Xv02' });
      await post(stack.url, '/login-flow/login', { email: user.email, password: 'planted-wrong-password-Xv02' });
      const refreshed = (await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token })).body;
      planted.push(refreshed.refresh_token, refreshed.access_token);
      await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token }); // reuse: family revoked
      await post(stack.url, '/login-flow/reset-password', { email: user.email });
      // The verification link: opened, confirmed twice (the second is refused), and a new one asked for.
      verifyToken = latestVerifyToken(stack.outboxDir, String(user.email));
      await call(stack.url, 'GET', `/verify-email?token=${encodeURIComponent(verifyToken)}`);
      await post(stack.url, '/verify-email/confirm', { token: verifyToken });
      await post(stack.url, '/verify-email/confirm', { token: verifyToken });
      await post(stack.url, '/verify-email/resend', { email: user.email });
      await call(stack.url, 'POST', '/login-flow/delete-account', { headers: { authorization: 'Bearer planted-bearer-token-Kw77' } });
      await call(stack.url, 'POST', '/oauth/token', {
        body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshed.refresh_token)}&client_id=applicaster-tv`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic cGxhbnRlZDpzZWNyZXQ=' },
      });
      await call(stack.url, 'GET', '/portal/team', { headers: { authorization: 'Bearer planted-bearer-token-Kw77' } });
    } finally {
      logs = stop();
    }
    const resetLink = stack.outbox().find((mail) => mail.to === user.email && mail.subject === 'Reset your password')?.links[0] ?? 'no-link';
    planted.push(
      resetLink,
      new URL(resetLink).searchParams.get('token') ?? 'no-token',
      'cGxhbnRlZDpzZWNyZXQ=',
      verifyToken,
      verifyToken.split('.')[1] ?? 'no-secret',
    );

    // Assess: the run did log (metrics, failures), and nothing planted is in it.
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of planted) expect(logs).not.toContain(secret);
  });
});
