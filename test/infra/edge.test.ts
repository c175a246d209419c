import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ROUTES } from '../../lambdas/routes';
import { DEFAULT_ROUTE_THROTTLING, DEFAULT_WAF, parseConfig } from '../../lib/config';
import { methodThrottling } from '../../lib/constructs/api';
import {
  ATP_LOGIN_PATH,
  BODY_PATTERN_LABELS,
  COMMON_RULE_SET_COUNTED,
  Edge,
  MANAGED_RULE_GROUPS,
  MAX_REGEXES_PER_SET,
  PASSWORD_PATHS,
  pathRegex,
  RATE_LIMITED_BODY,
  SIGN_IN_PATHS,
} from '../../lib/constructs/edge';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

type Rule = Record<string, any>;

const webAclOf = (synth: Synthesized) => resourcesOf(synth.template)[logicalId(synth.stack.edge.webAcl!)].Properties as Record<string, any>;
const ruleNamed = (synth: Synthesized, name: string): Rule => (webAclOf(synth).Rules as Rule[]).find((rule) => rule.Name === name) as Rule;
const regexesOf = (synth: Synthesized, arn: unknown): RegExp[] => {
  const id = render(arn).replace(/\.Arn$/, '');
  return (resourcesOf(synth.template)[id].Properties?.RegularExpressionList as string[]).map((source) => new RegExp(source));
};
const matchesAny = (regexes: RegExp[], path: string) => regexes.some((regex) => regex.test(path));

describe('WAF web ACL in front of the API stage', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('is a REGIONAL web ACL that allows by default and publishes metrics and sampled requests for itself and every rule', () => {
    // Act
    const acl = webAclOf(synth);

    // Assess
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(acl.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'loginbridge-dev' });
    for (const rule of acl.Rules as Rule[])
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: `loginbridge-dev-${rule.Name}` });
    expect(acl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } });
  });

  it('runs the IP reputation list, the sign-in rate rule, known bad inputs and the core rule set, in that order', () => {
    // Act
    const rules = (webAclOf(synth).Rules as Rule[]).sort((a, b) => a.Priority - b.Priority);

    // Assess
    expect(rules.map((rule) => rule.Name)).toEqual([
      'AmazonIpReputationList',
      'SignInRateLimit',
      'KnownBadInputs',
      'CommonRuleSet',
      'BodyPatternsOutsidePasswords',
    ]);
    const groups = rules.filter((rule) => rule.Statement.ManagedRuleGroupStatement).map((rule) => rule.Statement.ManagedRuleGroupStatement);
    expect(groups.map((group) => group.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    for (const group of groups) expect(group.VendorName).toBe('AWS');
    for (const rule of rules.filter((candidate) => candidate.Statement.ManagedRuleGroupStatement)) expect(rule.OverrideAction).toEqual({ None: {} });
  });

  it('counts the 8 KB body rule (the API takes 16 KiB and answers 413 itself) and the body XSS/LFI rules of the core rule set', () => {
    // Act
    const overrides = ruleNamed(synth, 'CommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides as Rule[];

    // Assess
    expect(overrides).toEqual(COMMON_RULE_SET_COUNTED.map((name) => ({ Name: name, ActionToUse: { Count: {} } })));
    expect(COMMON_RULE_SET_COUNTED).toContain('SizeRestrictions_BODY');
  });

  it('blocks body XSS/LFI patterns again everywhere except on the paths that carry a password', () => {
    // Prepare
    const rule = ruleNamed(synth, 'BodyPatternsOutsidePasswords');
    const [labels, notPasswords] = rule.Statement.AndStatement.Statements as Rule[];

    // Act
    const exempt = regexesOf(synth, notPasswords.NotStatement.Statement.RegexPatternSetReferenceStatement.Arn);

    // Assess
    expect(rule.Action).toEqual({ Block: {} });
    expect(labels.OrStatement.Statements).toEqual(BODY_PATTERN_LABELS.map((key) => ({ LabelMatchStatement: { Scope: 'LABEL', Key: key } })));
    expect(rule.Priority).toBeGreaterThan(ruleNamed(synth, 'CommonRuleSet').Priority);
    for (const path of [
      '/dev/login-flow/login',
      '/login-flow/register',
      '/prod/login-flow/reset-password/confirm',
      '/dev/sso/astrato/login',
      '/dev/sso/acronis/login',
    ])
      expect(matchesAny(exempt, path)).toBe(true);
    for (const path of ['/dev/portal/credentials', '/dev/oauth/token', '/dev/activate/decision', '/dev/login-flow/refresh'])
      expect(matchesAny(exempt, path)).toBe(false);
  });

  it('limits each client IP on the sign-in paths to the configured rate, answering 429 in the API error shape', () => {
    // Prepare
    const rule = ruleNamed(synth, 'SignInRateLimit');
    const statement = rule.Statement.RateBasedStatement;

    // Act
    const regexes = regexesOf(synth, statement.ScopeDownStatement.RegexPatternSetReferenceStatement.Arn);

    // Assess
    expect(statement).toEqual(
      expect.objectContaining({ Limit: DEFAULT_WAF.signInRateLimit, EvaluationWindowSec: DEFAULT_WAF.rateWindowSeconds, AggregateKeyType: 'IP' }),
    );
    expect(statement.ScopeDownStatement.RegexPatternSetReferenceStatement.FieldToMatch).toEqual({ UriPath: {} });
    expect(rule.Action.Block.CustomResponse).toEqual({
      ResponseCode: 429,
      CustomResponseBodyKey: 'rate-limited',
      ResponseHeaders: [
        { Name: 'Retry-After', Value: String(DEFAULT_WAF.rateWindowSeconds) },
        { Name: 'Cache-Control', Value: 'no-store' },
        { Name: 'Access-Control-Allow-Origin', Value: '*' },
      ],
    });
    expect(webAclOf(synth).CustomResponseBodies['rate-limited']).toEqual({ ContentType: 'APPLICATION_JSON', Content: RATE_LIMITED_BODY });
    expect(JSON.parse(RATE_LIMITED_BODY)).toEqual(
      expect.objectContaining({ status: 429, error: 'too_many_requests', fieldErrors: {}, correlationId: expect.any(String) }),
    );
    for (const path of [
      '/dev/login-flow/login',
      '/login-flow/login/',
      '/prod/login-flow/register',
      '/v1/auth/oauth/token',
      '/dev/oauth/device_authorization',
      '/dev/activate/lookup',
      '/dev/activate/decision',
      '/dev/sso/astrato/login',
      '/dev/sso/acronis/login',
      '/dev/login-flow/reset-password',
      '/dev/login-flow/reset-password/confirm',
      '/dev/login-flow/login/apple',
      '/dev/login-flow/web-session',
      '/dev/login-flow/change-password',
      '/dev/login-flow/change-email',
    ]) {
      expect([path, matchesAny(regexes, path)]).toEqual([path, true]);
    }
    for (const path of [
      '/dev/.well-known/jwks.json',
      '/dev/openapi.json',
      '/dev/login-flow/logins',
      '/dev/login-flow/login/x/y',
      '/dev/sso/astrato/logins',
      '/dev/portal/team',
      '/dev/xlogin-flow/login',
      '/dev/activate',
      '/dev/login',
    ]) {
      expect([path, matchesAny(regexes, path)]).toEqual([path, false]);
    }
  });

  it('covers real routes only, and every route that verifies a password', () => {
    // Prepare
    const routeRegexes = SIGN_IN_PATHS.map((path) => new RegExp(`^${pathRegex(path)}`));
    // Routes that run argon2 without a password in the body: TV approval by a signed-in session, and the provider sign-ins that
    // hash a random password for a new account.
    const hashingWithoutPassword = ['/activate/decision', '/login-flow/login/{provider}', '/login-flow/web-session', '/oauth/token'];
    const passwordRoutes = ROUTES.filter((route) => route.memoryMb && !hashingWithoutPassword.includes(route.path));

    // Assess
    for (const regex of routeRegexes) expect(ROUTES.some((route) => regex.test(route.path))).toBe(true);
    for (const route of ROUTES.filter((candidate) => candidate.memoryMb))
      expect([route.path, routeRegexes.some((regex) => regex.test(route.path))]).toEqual([route.path, true]);
    for (const route of passwordRoutes) expect(PASSWORD_PATHS).toContain(route.path);
    for (const path of PASSWORD_PATHS) expect(ROUTES.some((route) => route.path === path && route.method === 'POST')).toBe(true);
    // AWS WAF refuses a regex pattern set of more than 10 regexes.
    expect(SIGN_IN_PATHS.length).toBeLessThanOrEqual(MAX_REGEXES_PER_SET);
    expect(PASSWORD_PATHS.length).toBeLessThanOrEqual(MAX_REGEXES_PER_SET);
  });

  it('is associated with the API stage', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [logicalId(synth.stack.edge.webAcl!), 'Arn'] },
      ResourceArn: Match.anyValue(),
    });
    const association = resourcesOf(synth.template)[logicalId(synth.stack.edge.association!)].Properties as Record<string, unknown>;
    expect(render(association.ResourceArn)).toBe(
      `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/${logicalId(synth.stack.api.api)}/stages/${logicalId(synth.stack.api.api.deploymentStage)}`,
    );
  });

  it('logs blocked and counted requests to an aws-waf-logs- group, with the Authorization header and query string redacted', () => {
    // Act
    const logging = resourcesOf(synth.template)[logicalId(synth.stack.edge.node.findChild('Logging') as never)].Properties as Record<string, any>;

    // Assess
    expect(render(logging.ResourceArn)).toBe(`${logicalId(synth.stack.edge.webAcl!)}.Arn`);
    expect(render(logging.LogDestinationConfigs)).toBe('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:aws-waf-logs-loginbridge-dev');
    expect(logging.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }]);
    expect(logging.LoggingFilter.DefaultBehavior).toBe('DROP');
    expect(logging.LoggingFilter.Filters[0].Conditions).toEqual(
      expect.arrayContaining([{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }]),
    );
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-loginbridge-dev',
      RetentionInDays: synth.stack.config.logRetentionDays,
    });
  });

  it('has no account takeover prevention unless switched on (it costs money)', () => {
    // Assess
    expect(ruleNamed(synth, 'AccountTakeoverPrevention')).toBeUndefined();
  });
});

describe('WAF web ACL configured', () => {
  it('takes the sign-in rate and window from configuration and leaves CORS out of the 429 for an origin list', () => {
    // Act
    const synth = synthesize({ context: { 'waf.signInRateLimit': '40', 'waf.rateWindowSeconds': '60', allowedOrigins: 'https://app.example.com' } });

    // Assess
    const rule = ruleNamed(synth, 'SignInRateLimit');
    expect(rule.Statement.RateBasedStatement).toEqual(expect.objectContaining({ Limit: 40, EvaluationWindowSec: 60 }));
    expect(rule.Action.Block.CustomResponse.ResponseHeaders).toEqual([
      { Name: 'Retry-After', Value: '60' },
      { Name: 'Cache-Control', Value: 'no-store' },
    ]);
  });

  it('adds account takeover prevention on POST /login-flow/login, reading the JSON email and password', () => {
    // Act
    const synth = synthesize({ context: { waf: '{"accountTakeoverPrevention":true}' } });

    // Assess
    const rule = ruleNamed(synth, 'AccountTakeoverPrevention');
    const group = rule.Statement.ManagedRuleGroupStatement;
    expect(group.Name).toBe('AWSManagedRulesATPRuleSet');
    expect(rule.OverrideAction).toEqual({ None: {} });
    expect(rule.Priority).toBeGreaterThan(ruleNamed(synth, 'SignInRateLimit').Priority);
    expect(group.ManagedRuleGroupConfigs).toEqual([
      {
        AWSManagedRulesATPRuleSet: {
          LoginPath: pathRegex(ATP_LOGIN_PATH),
          EnableRegexInPath: true,
          RequestInspection: { PayloadType: 'JSON', UsernameField: { Identifier: '/email' }, PasswordField: { Identifier: '/password' } },
        },
      },
    ]);
    const [method, path] = group.ScopeDownStatement.AndStatement.Statements as Rule[];
    expect(method.ByteMatchStatement).toEqual(expect.objectContaining({ FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', SearchString: 'POST' }));
    expect(new RegExp(path.RegexMatchStatement.RegexString).test('/prod/login-flow/login')).toBe(true);
    expect(new RegExp(path.RegexMatchStatement.RegexString).test('/prod/sso/astrato/login')).toBe(false);
  });

  it('associates an existing web ACL given by wafWebAclArn and builds none of its own', () => {
    // Prepare
    const arn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/0123abcd';

    // Act
    const synth = synthesize({ context: { wafWebAclArn: arn } });

    // Assess
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    synth.template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  it('builds nothing with waf.enabled=false', () => {
    // Act
    const synth = synthesize({ context: { 'waf.enabled': 'false' } });

    // Assess
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    synth.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('refuses props that contradict each other', () => {
    // Prepare
    const config = parseConfig({ publicBaseUrl: 'https://login.example.com', senderEmail: 'no-reply@example.com' });
    const { stack } = synthesize();
    const props = { stage: stack.api.api.deploymentStage, stageName: 'x', allowedOrigins: ['*'], logRetention: RetentionDays.ONE_WEEK, retainLogs: false };
    const scope = new Stack(new App(), 'Other');

    // Act & Assess
    expect(
      () =>
        new Edge(scope, 'Atp', {
          ...props,
          webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b',
          waf: { ...config.waf, accountTakeoverPrevention: true },
        }),
    ).toThrow(/accountTakeoverPrevention/);
    expect(
      () => new Edge(scope, 'Off', { ...props, webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b', waf: { ...config.waf, enabled: false } }),
    ).toThrow(/contradict/);
  });
});

describe('API Gateway method throttling per route', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: { routeThrottling: '{"POST /login-flow/login":{"rateLimit":7,"burstLimit":9}}' } });
  });

  const settingFor = (method: string, path: string) =>
    ((resourcesOf(synth.template)[logicalId(synth.stack.api.api.deploymentStage)].Properties?.MethodSettings as Rule[]) ?? []).find(
      (setting) => setting.HttpMethod === method && setting.ResourcePath === `/${path.replace(/\//g, '~1')}`,
    );

  it.each(Object.entries(DEFAULT_ROUTE_THROTTLING).filter(([key]) => key !== 'POST /login-flow/login'))('throttles %s on its own method', (key, limit) => {
    // Prepare
    const [method, path] = key.split(' ');

    // Act
    const setting = settingFor(method, path);

    // Assess
    expect(setting).toEqual({
      HttpMethod: method,
      ResourcePath: `/${path.replace(/\//g, '~1')}`,
      ThrottlingRateLimit: limit.rateLimit,
      ThrottlingBurstLimit: limit.burstLimit,
      // A method setting replaces the stage-wide one: it repeats the logging choices.
      LoggingLevel: 'ERROR',
      DataTraceEnabled: false,
      MetricsEnabled: true,
    });
  });

  it('takes a route from configuration over the default', () => {
    // Assess
    expect(settingFor('POST', '/login-flow/login')).toEqual(expect.objectContaining({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 }));
  });

  it('keeps every sign-in route tighter than the stage default, the JWKS and the OpenAPI document', () => {
    // Prepare
    const signIn = Object.entries(DEFAULT_ROUTE_THROTTLING).filter(([key]) => key.startsWith('POST '));
    const { throttling } = synth.stack.config;

    // Assess
    for (const [key, limit] of signIn) {
      expect([key, limit.rateLimit < throttling.rateLimit]).toEqual([key, true]);
      expect(limit.rateLimit).toBeLessThan(DEFAULT_ROUTE_THROTTLING['GET /.well-known/jwks.json'].rateLimit);
      expect(limit.rateLimit).toBeLessThan(DEFAULT_ROUTE_THROTTLING['GET /openapi.json'].rateLimit);
    }
    for (const key of Object.keys(DEFAULT_ROUTE_THROTTLING)) expect(ROUTES.map(routeKey)).toContain(key);
  });

  it('refuses a route that does not exist or a burst below the rate', () => {
    // Act & Assess
    expect(() => methodThrottling(ROUTES, { 'POST /nowhere': { rateLimit: 1, burstLimit: 1 } })).toThrow(/not a route/);
    expect(() => methodThrottling(ROUTES, { 'POST /login-flow/login': { rateLimit: 10, burstLimit: 1 } })).toThrow(/rateLimit <= burstLimit/);
    expect(() =>
      parseConfig({
        publicBaseUrl: 'https://login.example.com',
        senderEmail: 'a@example.com',
        routeThrottling: { 'POST /nowhere': { rateLimit: 1, burstLimit: 1 } },
      }),
    ).toThrow(/routeThrottling\.POST \/nowhere: not a route/);
  });
});
