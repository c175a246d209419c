import { call, post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { bearer, signUp } from './helpers';

describe('local partners', () => {
  let stack: TestStack;
  beforeAll(async () => {
    for (const name of ['ASTRATO_CLIENT_ID', 'ASTRATO_CLIENT_SECRET', 'ASTRATO_SECRET_ARN', 'ACRONIS_CLIENT_ID', 'ACRONIS_CLIENT_SECRET', 'ACRONIS_SECRET_ARN'])
      delete process.env[name];
    stack = await startTestStack({ env: { PARTNER_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => stack.stop());

  const partner = (name: string) => stack.partners.find((candidate) => candidate.name === name);

  it('starts the Astrato and Acronis simulators when the environment has no credentials, and both hand-offs work', async () => {
    // Prepare
    const user = await signUp(stack);
    // Act
    const astrato = await post(stack.url, '/sso/astrato', {}, bearer(user.accessToken));
    const acronis = await post(stack.url, '/sso/acronis', {}, bearer(user.accessToken));
    // Assess
    expect(partner('astrato')?.describe).toMatch(/^Astrato: +simulator on http:\/\/127\.0\.0\.1:\d+/);
    expect(partner('acronis')?.describe).toMatch(/^Acronis: +simulator on http:\/\/127\.0\.0\.1:\d+/);
    expect(astrato.body.base_url).toBe(partner('astrato')?.env.ASTRATO_BASE_URL);
    expect(acronis.body.url.startsWith(`${partner('acronis')?.env.ACRONIS_BASE_URL}/api/2/idp/external-login#ott=`)).toBe(true);
    const landing = await fetch(astrato.body.redirect_url);
    expect(await landing.text()).toContain("This is LoginBridge's local stand-in for Astrato, not the real service.");
  });

  it('lets a person steer a simulator over its control endpoint: inject a fault, read the counters', async () => {
    const user = await signUp(stack);
    const base = partner('astrato')?.env.ASTRATO_BASE_URL as string;
    await call(base, 'POST', '/__simulator/faults', { json: { kind: 'rate-limit', retryAfterSeconds: 60 } });

    const busy = await post(stack.url, '/sso/astrato', {}, bearer(user.accessToken));
    const counts = await call(base, 'GET', '/__simulator/calls');

    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('60');
    expect(counts.body['/oem/setup']).toBeGreaterThanOrEqual(2);
  });

  it('does not start a simulator for a partner that has credentials', async () => {
    const { LOCAL_PARTNERS } = await import('../../../local/partners');

    const astrato = LOCAL_PARTNERS.find((candidate) => candidate.name === 'astrato');

    expect(astrato?.configured({ ASTRATO_CLIENT_ID: 'id', ASTRATO_CLIENT_SECRET: 'secret' })).toBe(true);
    expect(astrato?.configured({ ASTRATO_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:astrato' })).toBe(true);
    expect(astrato?.configured({ ASTRATO_BASE_URL: 'http://127.0.0.1:1' })).toBe(false);
  });
});
