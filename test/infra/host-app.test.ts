import { App, Stack, type StackProps, Stage, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ROUTES } from '../../lambdas/routes';
import { LoginBridge, type LoginBridgeProps } from '../../lib';
import { CDK_JSON_CONTEXT } from './support/synth';

/** Only the feature flags of cdk.json: a host app has its own context, not ours. */
const FEATURE_FLAGS = Object.fromEntries(Object.entries(CDK_JSON_CONTEXT).filter(([key]) => key.startsWith('@aws-cdk')));

const hostApp = () => new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });

const SETTINGS: LoginBridgeProps = { publicBaseUrl: 'https://id.streamco.tv', senderEmail: 'no-reply@streamco.tv', stage: 'live' };

/** A platform team's stack: its own resources and names, LoginBridge as one construct among them. */
class PlatformStack extends Stack {
  public readonly login: LoginBridge;

  constructor(scope: Construct, id: string, settings: LoginBridgeProps, props?: StackProps) {
    super(scope, id, props);
    this.login = new LoginBridge(this, 'Login', settings);
  }
}

/** A host's `Stage` (what CDK Pipelines deploys), with another construct id for LoginBridge. */
class IdentityStage extends Stage {
  public readonly stack: Stack;
  public readonly login: LoginBridge;

  constructor(scope: Construct, id: string) {
    super(scope, id, { env: { account: '222222222222', region: 'eu-central-1' } });
    this.stack = new Stack(this, 'Identity');
    this.login = new LoginBridge(this.stack, 'SignIn', { ...SETTINGS, stage: 'eu' });
  }
}

const nagFindings = (scope: Construct) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));

/** Every template of a stack and its nested stacks. */
const templatesOf = (stack: Stack, login: LoginBridge) => [
  Template.fromStack(stack),
  ...[...login.areaStacks.values()].map((nested) => Template.fromStack(nested)),
];

const countOf = (templates: Template[], type: string) => templates.reduce((sum, template) => sum + Object.keys(template.findResources(type)).length, 0);

describe('LoginBridge in a host app', () => {
  let app: App;
  let host: PlatformStack;
  let stage: IdentityStage;
  beforeAll(() => {
    app = hostApp();
    host = new PlatformStack(app, 'Platform', SETTINGS);
    stage = new IdentityStage(app, 'Europe');
  });

  it.each([
    ['a host stack', () => ({ stack: host as Stack, login: host.login })],
    ['a Stage with another construct id', () => ({ stack: stage.stack, login: stage.login })],
  ])('builds the same resources inside %s: the table, one function per route, the API with every route', (_name, pick) => {
    // Prepare
    const { stack, login } = pick();

    // Act
    const templates = templatesOf(stack, login);

    // Assess
    expect(countOf(templates, 'AWS::DynamoDB::Table')).toBe(1);
    expect(countOf(templates, 'AWS::ApiGateway::RestApi')).toBe(1);
    expect(countOf(templates, 'AWS::Lambda::Function')).toBeGreaterThanOrEqual(ROUTES.length);
    for (const route of ROUTES) expect(login.routeFunctions.forRoute(route)).toBeDefined();
    expect(countOf(templates, 'AWS::CloudWatch::Dashboard')).toBe(1);
  });

  it("gives a route's function its route's table actions and no wildcard, also inside a Stage", () => {
    // Prepare
    const route = ROUTES.find((candidate) => candidate.path === '/login-flow/login' && candidate.method === 'POST');
    const fn = stage.login.routeFunctions.forRoute(route!);
    const template = Template.fromStack(Stack.of(fn));

    // Act
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(Stack.of(fn).getLogicalId(fn.role!.node.defaultChild as never)),
    );
    const actions = policies.flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) => statement.Action),
    );

    // Assess
    for (const action of route!.access.table ?? []) expect(actions).toContain(`dynamodb:${action}`);
    expect(actions).not.toContain('dynamodb:*');
    expect(actions.filter((action: string) => action.endsWith(':*'))).toEqual([]);
  });

  it('names the stack, the region and the outputs after the host, not after this repository', () => {
    // Assess
    expect(stage.stack.region).toBe('eu-central-1');
    expect(stage.stack.stackName).toBe('Europe-Identity');
    const outputs = Object.keys(Template.fromStack(host).findOutputs('*'));
    expect(outputs.some((name) => name.startsWith('LoginApiUrl'))).toBe(true);
  });

  it('changes nothing outside itself: no tags, no cdk-nag plugin on the host app', () => {
    // Assess
    const tags = Object.values(Template.fromStack(host).findResources('AWS::DynamoDB::Table'))[0].Properties.Tags ?? [];
    expect(tags).toEqual([]);
    expect(app.node.metadata).toEqual([]);
  });

  it.each([
    ['a host stack', () => host as Construct],
    ['a Stage', () => stage as Construct],
  ])('stays clean under cdk-nag in %s, with the host adding the checks and its own tags', (_name, pick) => {
    // Prepare
    const scope = pick();
    Tags.of(scope).add('team', 'platform');

    // Act
    const open = nagFindings(scope);

    // Assess
    expect(open).toEqual([]);
  });
});

describe('Two stages in one account and region', () => {
  it('create the API Gateway CloudWatch role once when the second stage opts out', () => {
    // Prepare
    const app = hostApp();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const first = new PlatformStack(app, 'LoginStaging', { ...SETTINGS, stage: 'staging' }, { env });
    const second = new PlatformStack(app, 'LoginQa', { ...SETTINGS, stage: 'qa', apiGatewayCloudWatchRole: false }, { env });

    // Act
    const templates = [Template.fromStack(first), Template.fromStack(second)];

    // Assess
    expect(countOf(templates, 'AWS::ApiGateway::Account')).toBe(1);
    expect(countOf([templates[1]], 'AWS::ApiGateway::Account')).toBe(0);
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('Custom domain', () => {
  const CERTIFICATE = 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  let withZone: Template;
  let withZoneStack: PlatformStack;
  let withoutZone: Template;
  beforeAll(() => {
    const app = hostApp();
    withZoneStack = new PlatformStack(app, 'Zoned', {
      senderEmail: 'no-reply@streamco.tv',
      stage: 'prod',
      customDomain: { domainName: 'login.streamco.tv', certificateArn: CERTIFICATE, hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    });
    const unzoned = new PlatformStack(app, 'Unzoned', {
      senderEmail: 'no-reply@streamco.tv',
      customDomain: { domainName: 'login.streamco.tv', certificateArn: CERTIFICATE },
    });
    withZone = Template.fromStack(withZoneStack);
    withoutZone = Template.fromStack(unzoned);
  });

  it('builds the regional domain name with TLS 1.2 and maps the stage at its root', () => {
    // Assess
    withZone.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'login.streamco.tv',
      RegionalCertificateArn: CERTIFICATE,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    withZone.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: Match.stringLikeRegexp('CustomDomainDomainName') },
      RestApiId: { Ref: Match.stringLikeRegexp('RestApi') },
      Stage: { Ref: Match.stringLikeRegexp('DeploymentStageprod') },
    });
  });

  it('adds A and AAAA alias records in the hosted zone when one is given, none without', () => {
    // Assess
    for (const type of ['A', 'AAAA']) {
      withZone.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'login.streamco.tv.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('CustomDomainDomainName'), 'RegionalDomainName'] } }),
      });
    }
    withoutZone.resourceCountIs('AWS::Route53::RecordSet', 0);
    withoutZone.resourceCountIs('AWS::ApiGateway::DomainName', 1);
  });

  it('derives the public base URL (links in mails, the token issuer) from the domain', () => {
    // Assess
    expect(withZoneStack.login.config.publicBaseUrl).toBe('https://login.streamco.tv');
    expect(withZoneStack.login.config.handlerEnvironment.PUBLIC_BASE_URL).toBe('https://login.streamco.tv');
    const loginFn = withZoneStack.login.routeFunctions.forRoute(ROUTES.find((route) => route.path === '/login-flow/login')!);
    Template.fromStack(Stack.of(loginFn)).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://login.streamco.tv' }) },
    });
  });

  it('refuses a public base URL that names another host than the domain', () => {
    // Act
    const attempt = () =>
      new PlatformStack(hostApp(), 'Mismatch', {
        publicBaseUrl: 'https://auth.streamco.tv',
        senderEmail: 'no-reply@streamco.tv',
        customDomain: { domainName: 'login.streamco.tv', certificateArn: CERTIFICATE },
      });

    // Assess
    expect(attempt).toThrow(/publicBaseUrl: names auth\.streamco\.tv, but customDomain\.domainName is login\.streamco\.tv/);
  });
});
