import { type AcronisSimulator, startAcronisSimulator } from '../../../local/simulators/acronis';
import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { post, type TestResponse } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, captureLogs, signUp } from './helpers';

describe('SSO hand-off logs', () => {
  let astrato: AstratoSimulator;
  let acronis: AcronisSimulator;
  let stack: TestStack;

  beforeAll(async () => {
    [astrato, acronis] = await Promise.all([startAstratoSimulator(), startAcronisSimulator()]);
    stack = await startTestStack({
      env: {
        LOG_LEVEL: 'INFO',
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        ACRONIS_BASE_URL: acronis.url,
        ACRONIS_CLIENT_ID: acronis.clientId,
        ACRONIS_CLIENT_SECRET: acronis.clientSecret,
        PARTNER_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all([astrato.stop(), acronis.stop()]);
  });

  it('carry the correlation id of every hand-off and failure, and never a password, token, ticket, OTT or secret', async () => {
    // Prepare
    const stop = captureLogs();
    const responses: TestResponse<Record<string, any>>[] = [];
    let secrets: string[] = [];
    let logs = '';
    try {
      const user = await signUp(stack);
      // Act
      responses.push(await post(stack.url, '/sso/astrato', {}, bearer(user.accessToken)));
      responses.push(await post(stack.url, '/sso/astrato/login', { email: user.email, password: user.password }));
      responses.push(await post(stack.url, '/sso/acronis', {}, bearer(user.accessToken)));
      astrato.fail({ kind: 'unauthorized', times: 2 });
      responses.push(await post(stack.url, '/sso/astrato', {}, bearer(user.accessToken)));
      acronis.fail({ kind: 'slow', delayMs: 6000 });
      responses.push(await post(stack.url, '/sso/acronis', {}, bearer(user.accessToken)));
      const ott = new URLSearchParams(new URL(responses[2].body.url).hash.slice(1)).get('ott') as string;
      secrets = [
        user.password,
        user.accessToken,
        responses[0].body.ticket,
        responses[1].body.ticket,
        ott,
        encodeURIComponent(ott),
        astrato.clientSecret,
        acronis.clientSecret,
        Buffer.from(`${acronis.clientId}:${acronis.clientSecret}`).toString('base64'),
        ...astrato.issuedTokens(),
        ...acronis.issuedTokens(),
      ];
    } finally {
      logs = stop();
    }
    // Assess
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 502, 504]);
    for (const response of responses) expect(logs).toContain(String(response.headers.get('x-correlation-id')));
    expect(logs).toContain('astrato ticket issued');
    expect(logs).toContain('acronis login link issued');
    expect(logs).toContain('partner call timed out');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
