import { CfnOutput, NestedStack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ROUTES, type Route } from '../lambdas/routes';
import { ALARMED_PARTNERS, type LoginBridgeSettings, parseConfig, type StackConfig } from './config';
import { Api } from './constructs/api';
import { CustomDomain } from './constructs/custom-domain';
import { DataTable } from './constructs/data-table';
import { Edge } from './constructs/edge';
import { FactorKey } from './constructs/factor-key';
import { HmacKey } from './constructs/hmac-key';
import { metricsNamespace, Observability } from './constructs/observability';
import { PartnerSecrets, partnerSecretName } from './constructs/partner-secrets';
import { groupRoutesByArea, routeArea, STACK_RESOURCE_BUDGET } from './constructs/route-areas';
import { RouteFunctions, routeConstructIds, routeKey } from './constructs/route-functions';
import { SigningKey } from './constructs/signing-key';
import { enforceResourceBudget } from './constructs/stack-budget';
import { TeamCleanup } from './constructs/team-cleanup';

/**
 * What a host app passes to `new LoginBridge(scope, id, props)`: the same
 * settings as the `loginbridge` context block of cdk.json (lib/config.ts),
 * typed, validated with the same zod schema when the construct is built.
 */
export interface LoginBridgeProps extends LoginBridgeSettings {
  /** The route table; ROUTES unless a test passes its own. */
  readonly routes?: readonly Route[];
}

/**
 * LoginBridge on AWS, as one construct a host app puts in its own stack or
 * `Stage`: the data table, the signing key with its rotation, the partner
 * secrets, one function per route (in nested stacks by area) with exactly
 * its route's grants, the REST API with its edge (WAF), alarms, dashboard and
 * outputs, and the custom domain when one is given. Every piece is a
 * construct of its own under `lib/constructs/`; this class only wires them
 * together.
 *
 * It changes nothing outside itself: no aspects, tags or cdk-nag checks on
 * the app (whoever owns the app adds those; bin/app.ts does), no context
 * read. A bad setting throws a StackConfigurationError naming the key.
 */
export class LoginBridge extends Construct {
  public readonly config: StackConfig;
  public readonly data: DataTable;
  public readonly signingKey: SigningKey;
  public readonly refreshTokenKey: HmacKey;
  public readonly invitationKey: HmacKey;
  public readonly factorKey: FactorKey;
  public readonly partnerSecrets: PartnerSecrets;
  public readonly routeFunctions: RouteFunctions;
  /** One nested stack per area (routeArea): its routes' functions, roles, log groups, per-function alarms, and API resources and methods with their invoke permissions. */
  public readonly areaStacks: ReadonlyMap<string, NestedStack>;
  public readonly api: Api;
  public readonly edge: Edge;
  public readonly observability: Observability;
  public readonly teamCleanup: TeamCleanup;
  /** The API Gateway domain name, base path mapping and Route 53 alias; only with `customDomain`. */
  public readonly customDomain?: CustomDomain;

  constructor(scope: Construct, id: string, props: LoginBridgeProps) {
    super(scope, id);
    const { routes: givenRoutes, ...settings } = props;
    const config = parseConfig(settings);
    this.config = config;
    const routes = givenRoutes ?? ROUTES;
    const logs = { logRetention: config.logRetentionDays, tracing: config.tracing };

    this.data = new DataTable(this, 'Data', { production: config.production });
    this.signingKey = new SigningKey(this, 'SigningKey', { rotationDays: config.signingKeyRotationDays, production: config.production, ...logs });
    // The HMAC keys rotate on the signing key's schedule; each keeps its previous key for a whole period.
    const hmacRotation = { rotationDays: config.signingKeyRotationDays, production: config.production, ...logs };
    this.refreshTokenKey = new HmacKey(this, 'RefreshTokenKey', {
      purpose: 'refresh-token key (successor refresh tokens are derived from it)',
      rotationHandler: 'ops/rotate-refresh-key',
      ...hmacRotation,
    });
    this.invitationKey = new HmacKey(this, 'InvitationKey', {
      purpose: 'invitation key (signs invitation links)',
      rotationHandler: 'ops/rotate-invitation-key',
      ...hmacRotation,
    });
    this.factorKey = new FactorKey(this, 'FactorKey', { production: config.production });
    this.partnerSecrets = new PartnerSecrets(this, 'PartnerSecrets', { stage: config.stage, sources: config.partnerSecrets, production: config.production });
    const targets = {
      table: this.data.table,
      indexNames: this.data.indexNames,
      signingKey: this.signingKey.secret,
      verifyKeys: this.signingKey.publicKeys,
      refreshKey: this.refreshTokenKey.secret,
      invitationKey: this.invitationKey.secret,
      factorKey: this.factorKey.secret,
      partnerSecrets: this.partnerSecrets.secrets,
      mail: { senderEmail: config.senderEmail, configurationSet: config.sesConfigurationSet },
    };
    // CloudFormation caps a stack at 500 resources and a route costs ~15: every per-route resource lives in its area's nested stack.
    const areaStacks = new Map<string, NestedStack>();
    const functionScopes = new Map<string, Construct>();
    for (const area of groupRoutesByArea(routes).keys()) {
      const nested = new NestedStack(this, `${area}Routes`, { description: `LoginBridge (${config.stage}): the ${area} routes' functions and API methods` });
      areaStacks.set(area, nested);
      functionScopes.set(area, new Construct(nested, 'Functions'));
    }
    this.areaStacks = areaStacks;
    this.routeFunctions = new RouteFunctions(this, 'Functions', {
      routes,
      scopeFor: (route) => functionScopes.get(routeArea(route)) as Construct,
      targets,
      // Business metrics per stage (Powertools reads the namespace from this variable): see lib/constructs/observability.ts.
      environment: { ...config.handlerEnvironment, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(config.stage) },
      retainLogs: config.production,
      ...logs,
    });
    this.api = new Api(this, 'Api', {
      routes,
      functions: this.routeFunctions,
      stage: config.stage,
      allowedOrigins: config.allowedOrigins,
      throttling: config.throttling,
      // Only the routes this stack has (a test may build it with fewer); config keys are checked against ROUTES.
      routeThrottling: Object.fromEntries(Object.entries(config.routeThrottling).filter(([key]) => routes.some((route) => routeKey(route) === key))),
      retainLogs: config.production,
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      // Each area's API resources and methods live with its functions, so the parent does not grow with routes.
      scopeFor: (area) => areaStacks.get(area) as NestedStack,
      ...logs,
    });
    this.edge = new Edge(this, 'Edge', {
      stage: this.api.api.deploymentStage,
      stageName: config.stage,
      webAclArn: config.wafWebAclArn,
      waf: config.waf,
      allowedOrigins: config.allowedOrigins,
      logRetention: config.logRetentionDays,
      retainLogs: config.production,
    });
    this.teamCleanup = new TeamCleanup(this, 'TeamCleanup', {
      targets,
      environment: config.handlerEnvironment,
      metricsNamespace: metricsNamespace(config.stage),
      alarmPrefix: `LoginBridge-${config.stage}`,
      retainLogs: config.production,
      ...logs,
    });
    const ids = routeConstructIds(routes);
    this.observability = new Observability(this, 'Observability', {
      stageName: config.stage,
      api: this.api.api,
      functions: [
        ...routes.map((route) => ({
          label: routeKey(route),
          id: ids.get(route) as string,
          fn: this.routeFunctions.forRoute(route),
          partners: route.access.reportsFailuresOf ?? route.access.secrets,
        })),
        { label: 'signing-key rotation', id: 'SigningKeyRotation', fn: this.signingKey.rotation.fn },
        { label: 'refresh-key rotation', id: 'RefreshKeyRotation', fn: this.refreshTokenKey.rotation.fn },
        { label: 'invitation-key rotation', id: 'InvitationKeyRotation', fn: this.invitationKey.rotation.fn },
        { label: 'team clean-up', id: 'TeamCleanup', fn: this.teamCleanup.handler.fn, partners: ['auth0-sandbox', 'auth0-production'] },
      ],
      table: this.data.table,
      partners: ALARMED_PARTNERS,
      thresholds: config.alarms,
      alarmEmail: config.alarmEmail,
      webAclMetricName: this.edge.metricName,
      production: config.production,
      extraAlarms: { TeamCleanupsPending: this.teamCleanup.pendingAlarm },
    });

    enforceResourceBudget(this, STACK_RESOURCE_BUDGET);
    this.customDomain = config.customDomain ? new CustomDomain(this, 'CustomDomain', { api: this.api.api, ...config.customDomain }) : undefined;

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.api.url,
      description: 'Base URL of the API stage (publicBaseUrl points here or at a custom domain mapped to it)',
    });
    new CfnOutput(this, 'JwksUrl', { value: `${this.api.api.url}.well-known/jwks.json`, description: 'Public keys that verify access tokens' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'SigningKeySecretArn', { value: this.signingKey.secret.secretArn });
    new CfnOutput(this, 'RefreshKeySecretArn', { value: this.refreshTokenKey.secret.secretArn });
    new CfnOutput(this, 'InvitationKeySecretArn', { value: this.invitationKey.secret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'Alarms are published here; subscribe more endpoints with aws sns subscribe',
    });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName, description: 'CloudWatch dashboard of the stage' });
    if (this.edge.webAclArn) new CfnOutput(this, 'WebAclArn', { value: this.edge.webAclArn, description: 'The WAF web ACL in front of the API stage' });
    for (const partner of this.partnerSecrets.created) {
      new CfnOutput(this, `${partner.replace(/-(\w)/g, (_match, letter: string) => letter.toUpperCase())}SecretName`, {
        value: partnerSecretName(config.stage, partner),
        description: `Fill with aws secretsmanager put-secret-value (see docs/infrastructure.md, "Filling the partner secrets")`,
      });
    }
  }
}
