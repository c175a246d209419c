import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { settingsSchema } from '../../lambdas/config';
import { buildLoginBridge } from '../../lib/app';
import { DERIVED_HANDLER_SETTINGS, loadConfig, loadStage, parseConfig, StackConfigurationError } from '../../lib/config';
import { asFlags, CDK_JSON_CONTEXT } from './support/synth';

const VALID = { publicBaseUrl: 'https://login.example.com', senderEmail: 'no-reply@example.com' };

/** An app as the CLI builds it: cdk.json context plus `-c loginbridge.key=value` flags (which arrive as strings). */
const appWith = (flags: Record<string, unknown>) => new App({ context: { ...CDK_JSON_CONTEXT, ...asFlags(flags), 'aws:cdk:bundling-stacks': [] } });

describe('Stack configuration', () => {
  it('fills every default from a minimal configuration', () => {
    // Act
    const config = parseConfig(VALID);

    // Assess
    expect(config).toEqual(
      expect.objectContaining({
        stage: 'dev',
        allowedOrigins: ['*'],
        accessTokenTtlSeconds: 900,
        refreshAbsoluteTtlDays: 30,
        refreshIdleTtlDays: 7,
        termsRequired: false,
        signingKeyRotationDays: 30,
        throttling: { rateLimit: 100, burstLimit: 200 },
        logRetentionDays: 90,
        tracing: false,
        production: false,
        partnerSecrets: { astrato: 'create', acronis: 'create', 'auth0-sandbox': 'create', 'auth0-production': 'create', apple: 'create', google: 'create' },
        handlerSettings: {},
      }),
    );
  });

  it('reads the cdk.json block and lets -c flags override it, strings included', () => {
    // Prepare
    const app = appWith({
      stage: 'prod',
      publicBaseUrl: 'https://login.streamco.tv',
      senderEmail: 'no-reply@streamco.tv',
      accessTokenTtlSeconds: '600',
      termsRequired: 'true',
      allowedOrigins: 'https://a.example.com, https://b.example.com',
      'throttling.rateLimit': '25',
    });

    // Act
    const config = loadConfig(app);

    // Assess
    expect(config.stage).toBe('prod');
    expect(config.production).toBe(true);
    expect(config.accessTokenTtlSeconds).toBe(600);
    expect(config.termsRequired).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(config.throttling).toEqual({ rateLimit: 25, burstLimit: 200 });
    expect(config.senderEmail).toBe('no-reply@streamco.tv');
    expect(config.tokenAudience).toBe((CDK_JSON_CONTEXT.loginbridge as Record<string, unknown>).tokenAudience ?? 'loginbridge');
  });

  it('turns the configuration into the handlers environment, in the units the handlers read', () => {
    // Act
    const config = parseConfig({
      ...VALID,
      refreshAbsoluteTtlDays: 10,
      refreshIdleTtlDays: 2,
      tokenIssuer: 'https://issuer.example.com',
      handlerSettings: { LOGIN_IP_MAX_FAILURES: 50 },
    });

    // Assess
    expect(config.handlerEnvironment).toEqual({
      PUBLIC_BASE_URL: 'https://login.example.com',
      TOKEN_AUDIENCE: 'loginbridge',
      TOKEN_ISSUER: 'https://issuer.example.com',
      ACCESS_TOKEN_TTL_SECONDS: '900',
      REFRESH_ABSOLUTE_TTL_SECONDS: String(10 * 86400),
      REFRESH_IDLE_TTL_SECONDS: String(2 * 86400),
      TERMS_REQUIRED: 'false',
      ALLOWED_ORIGINS: '*',
      LOGIN_IP_MAX_FAILURES: '50',
    });
    expect(settingsSchema.safeParse(config.handlerEnvironment).success).toBe(true);
  });

  it('passes the brand to the functions as BRAND_JSON, from an object or a -c JSON string, and refuses a bad one before deploying', () => {
    // Arrange
    const branding = { productName: 'Acme ID', logoUrl: 'https://cdn.acme.example/logo.svg', primaryColor: '#0b5394', termsUrl: 'https://acme.example/terms' };

    // Act
    const typed = parseConfig({ ...VALID, branding });
    const flag = loadConfig(appWith({ branding: JSON.stringify(branding) }));

    // Assess
    expect(settingsSchema.parse(typed.handlerEnvironment).BRAND_JSON).toMatchObject(branding);
    expect(settingsSchema.parse(flag.handlerEnvironment).BRAND_JSON).toMatchObject(branding);
    expect(parseConfig(VALID).handlerEnvironment.BRAND_JSON).toBeUndefined();
    expect(() => parseConfig({ ...VALID, branding: { primaryColor: '#ffff00' } })).toThrow(/branding.*contrast/);
    expect(() => parseConfig({ ...VALID, branding: { logoUrl: 'http://cdn.acme.example/logo.svg' } })).toThrow(/branding.*https/);
    expect(() => parseConfig({ ...VALID, branding: { colour: '#000000' } })).toThrow(/branding/);
  });

  it("sets the login page's framing origins (Astrato, the customer portal) from a typed key, as a list or a -c string", () => {
    // Act
    const typed = parseConfig({ ...VALID, loginPageFrameAncestors: ["'self'", 'https://app.astrato.io', 'https://portal.example.com'] });
    const flag = loadConfig(appWith({ loginPageFrameAncestors: "'self', https://app.astrato.io" }));

    // Assess
    expect(typed.handlerEnvironment.LOGIN_PAGE_FRAME_ANCESTORS).toBe("'self' https://app.astrato.io https://portal.example.com");
    expect(settingsSchema.parse(typed.handlerEnvironment).LOGIN_PAGE_FRAME_ANCESTORS).toEqual([
      "'self'",
      'https://app.astrato.io',
      'https://portal.example.com',
    ]);
    expect(flag.handlerEnvironment.LOGIN_PAGE_FRAME_ANCESTORS).toBe("'self' https://app.astrato.io");
    expect(parseConfig(VALID).handlerEnvironment.LOGIN_PAGE_FRAME_ANCESTORS).toBeUndefined();
    expect(() => parseConfig({ ...VALID, loginPageFrameAncestors: ["https://x.example; script-src 'unsafe-inline'"] })).toThrow(/loginPageFrameAncestors/);
    expect(() => parseConfig({ ...VALID, handlerSettings: { LOGIN_PAGE_FRAME_ANCESTORS: 'https://x.example' } })).toThrow(
      /set "loginPageFrameAncestors" instead/,
    );
  });

  it('derives only settings the handlers know', () => {
    // Assess
    for (const name of Object.keys(DERIVED_HANDLER_SETTINGS)) expect(Object.keys(settingsSchema.shape)).toContain(name);
  });

  it.each([
    ['accessTokenTtlSeconds', { accessTokenTtlSeconds: 10 }],
    ['accessTokenTtlSeconds', { accessTokenTtlSeconds: 'soon' }],
    ['publicBaseUrl', { publicBaseUrl: 'http://login.example.com' }],
    ['publicBaseUrl', { publicBaseUrl: 'not a url' }],
    ['senderEmail', { senderEmail: 'nobody' }],
    ['stage', { stage: 'Prod!' }],
    ['allowedOrigins.0', { allowedOrigins: ['https://app.example.com/path'] }],
    ['allowedOrigins', { allowedOrigins: ['*', 'https://app.example.com'] }],
    ['refreshIdleTtlDays', { refreshAbsoluteTtlDays: 7, refreshIdleTtlDays: 30 }],
    ['termsRequired', { termsRequired: 'maybe' }],
    ['signingKeyRotationDays', { signingKeyRotationDays: 0 }],
    ['logRetentionDays', { logRetentionDays: 42 }],
    ['throttling.burstLimit', { throttling: { rateLimit: 100, burstLimit: 10 } }],
    ['partnerSecrets.astrato.import', { partnerSecrets: { astrato: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared_astrato' } }],
    ['partnerSecrets.okta', { partnerSecrets: { okta: 'create' } }],
    ['wafWebAclArn', { wafWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1' }],
    ['waf.rateWindowSeconds', { waf: { rateWindowSeconds: 30 } }],
    ['waf.signInRateLimit', { waf: { signInRateLimit: 5 } }],
    ['waf.accountTakeoverPrevention', { wafWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1', waf: { accountTakeoverPrevention: true } }],
    ['waf.enabled', { wafWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1', waf: { enabled: false } }],
    ['routeThrottling.POST /nowhere', { routeThrottling: { 'POST /nowhere': { rateLimit: 1, burstLimit: 1 } } }],
    ['routeThrottling.POST /login-flow/login.burstLimit', { routeThrottling: { 'POST /login-flow/login': { rateLimit: 10, burstLimit: 5 } } }],
    ['alarmEmail', { alarmEmail: 'not-an-email' }],
    ['alarms.signInDelayed', { alarms: { signInDelayed: 0 } }],
    ['alarms.api5xxRatePercent', { alarms: { api5xxRatePercent: 150 } }],
    ['handlerSettings.ARGON2_MEMORY_KIB', { handlerSettings: { ARGON2_MEMORY_KIB: 1024 } }],
    ['handlerSettings.ARGON2_TIME_COST', { handlerSettings: { ARGON2_TIME_COST: 'two' } }],
    ['handlerSettings.NOT_A_SETTING', { handlerSettings: { NOT_A_SETTING: 1 } }],
    ['handlerSettings.PUBLIC_BASE_URL', { handlerSettings: { PUBLIC_BASE_URL: 'https://elsewhere.example.com' } }],
    ['unknownKey', { unknownKey: true }],
  ])('rejects a bad %s with a message naming it', (key, bad) => {
    // Act
    const attempt = () => parseConfig({ ...VALID, ...bad });

    // Assess
    expect(attempt).toThrow(StackConfigurationError);
    expect(attempt).toThrow(new RegExp(`- ${key.replace(/\./g, '\\.')}: `));
  });

  it('reports every bad key at once', () => {
    // Act
    const attempt = () => parseConfig({ ...VALID, accessTokenTtlSeconds: 1, stage: 'X' });

    // Assess
    expect(attempt).toThrow(/accessTokenTtlSeconds[\s\S]*stage|stage[\s\S]*accessTokenTtlSeconds/);
  });

  it('stops building the app on a bad -c flag before any resource exists', () => {
    // Prepare
    const app = appWith({ refreshIdleTtlDays: '400' });

    // Act
    const attempt = () => buildLoginBridge(app);

    // Assess
    expect(attempt).toThrow(/refreshIdleTtlDays/);
    expect(app.node.children).toHaveLength(0);
  });

  it('makes the CDK app (what cdk synth runs) exit 1 with the key in the message', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'loginbridge-synth-'));

    // Act
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'bin/app.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON_CONTEXT, 'loginbridge.accessTokenTtlSeconds': '5' }) },
      encoding: 'utf8',
    });
    rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('accessTokenTtlSeconds: Too small');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('Stages and the loginbridge context key', () => {
  const PROD = {
    account: '111111111111',
    region: 'eu-west-1',
    publicBaseUrl: 'https://login.streamco.tv',
    senderEmail: 'no-reply@streamco.tv',
    waf: { signInRateLimit: 500 },
  };
  const withStages = (flags: Record<string, unknown>) =>
    new App({
      context: {
        ...CDK_JSON_CONTEXT,
        loginbridge: { ...(CDK_JSON_CONTEXT.loginbridge as object), stages: { prod: PROD, staging: { account: '222222222222', region: 'eu-west-1' } } },
        ...flags,
        'aws:cdk:bundling-stacks': [],
      },
    });

  it("takes a stage's account, region and settings from its entry, over the shared block, under -c flags", () => {
    // Act
    const stage = loadStage(withStages({ 'loginbridge.stage': 'prod', 'loginbridge.waf.rateWindowSeconds': '60' }));

    // Assess
    expect(stage).toEqual(expect.objectContaining({ stage: 'prod', account: '111111111111', region: 'eu-west-1' }));
    expect(stage.config.publicBaseUrl).toBe('https://login.streamco.tv');
    expect(stage.config.production).toBe(true);
    expect(stage.config.waf).toEqual(expect.objectContaining({ signInRateLimit: 500, rateWindowSeconds: 60, enabled: true }));
    expect(loadStage(withStages({ 'loginbridge.stage': 'staging' })).account).toBe('222222222222');
  });

  it.each([
    ['publicBaseUrl', { publicBaseUrl: 'https://login.example.com' }],
    ['senderEmail', { senderEmail: 'no-reply@example.com' }],
    ['tokenIssuer', { tokenIssuer: 'https://issuer.example.org' }],
  ])('refuses the cdk.json placeholder %s in a production stage, naming where to set it', (key, placeholder) => {
    // Act
    const attempt = () => parseConfig({ stage: 'prod', publicBaseUrl: 'https://login.streamco.tv', senderEmail: 'no-reply@streamco.tv', ...placeholder });

    // Assess
    expect(attempt).toThrow(
      new RegExp(`- ${key}: ".*example\\.(com|org)" is the placeholder cdk\\.json ships; a production stage \\(prod\\) needs the real value`),
    );
    expect(() => parseConfig({ ...VALID, ...placeholder, stage: 'dev' })).not.toThrow();
  });

  it('refuses an empty sender address', () => {
    // Assess
    expect(() => parseConfig({ ...VALID, senderEmail: '' })).toThrow(/- senderEmail: /);
  });

  it('refuses -c stage=prod alone: the placeholders of cdk.json never reach a production deploy', () => {
    // Assess
    expect(() => loadStage(appWith({ stage: 'prod' }))).toThrow(/publicBaseUrl: "https:\/\/login\.example\.com" is the placeholder/);
  });

  it('refuses a misspelled key under loginbridge with the list of known keys', () => {
    // Act
    const attempt = () => loadStage(appWith({ publicBaseURL: 'https://login.streamco.tv' }));

    // Assess
    expect(attempt).toThrow(/loginbridge\.publicBaseURL: not a configuration key; known keys: stage, publicBaseUrl, /);
  });

  it('refuses a setting given outside the loginbridge key, with the spelling that works', () => {
    // Act
    const attempt = () => loadStage(new App({ context: { ...CDK_JSON_CONTEXT, stage: 'prod' } }));

    // Assess
    expect(attempt).toThrow('- stage: LoginBridge settings live under "loginbridge"; pass -c loginbridge.stage=...');
  });

  it('refuses an unknown key in the cdk.json block with the list of known keys', () => {
    // Act
    const attempt = () =>
      loadStage(new App({ context: { ...CDK_JSON_CONTEXT, loginbridge: { ...(CDK_JSON_CONTEXT.loginbridge as object), alarmMail: 'a@b.co' } } }));

    // Assess
    expect(attempt).toThrow(/- alarmMail: not a configuration key; known keys: .*alarmEmail/);
  });

  it('refuses a stage the stages map does not list, naming the known ones', () => {
    // Act
    const attempt = () => loadStage(withStages({ 'loginbridge.stage': 'prd' }));

    // Assess
    expect(attempt).toThrow('- stage: "prd" is not in loginbridge.stages (known stages: dev, prod, staging)');
    expect(loadStage(withStages({})).stage).toBe('dev');
  });

  it('refuses a stage account that is not 12 digits', () => {
    // Assess
    expect(() => loadStage(withStages({ 'loginbridge.stage': 'prod', 'loginbridge.stages.prod.account': '1234' }))).toThrow(
      /stages\.prod\.account: a 12-digit AWS account id/,
    );
  });
});
