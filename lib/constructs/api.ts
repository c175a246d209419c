import { type CfnElement, CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  CfnAccount,
  Deployment,
  EndpointType,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../../lambdas/routes';
import { AreaMethods, apiPaths, CORS_EXPOSE_HEADERS, errorBodyTemplate, REST_API_ID } from './api-methods';
import { groupRoutesByArea, routeArea } from './route-areas';
import type { RouteFunctions } from './route-functions';

export interface ApiProps {
  readonly routes: readonly Route[];
  readonly functions: RouteFunctions;
  /** The API Gateway stage name (the configuration's stage). */
  readonly stage: string;
  readonly allowedOrigins: readonly string[];
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Method throttling by `METHOD path` (routeKey); every key must name one of `routes`. */
  readonly routeThrottling?: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>;
  readonly logRetention: RetentionDays;
  readonly retainLogs: boolean;
  readonly tracing: boolean;
  /**
   * Create the account's API Gateway CloudWatch role (AWS::ApiGateway::Account); one per account and
   * region, so every other stage (or another app that already set it) passes false.
   */
  readonly cloudWatchRole?: boolean;
  /** Where an area's resources and methods are built (its nested stack); a construct of this one per area when left out. */
  readonly scopeFor?: (area: string) => Construct;
}

/** What a gateway failure says: the same words the functions use for an internal error (lambdas/http/error-response.ts). */
const OUR_SIDE_FAILED = 'Something went wrong on our side. Please try again; if it keeps happening, contact support with the correlation id.';

/** Too many requests, whichever gateway limit (throttle or quota) said so. */
const TOO_MANY_REQUESTS = 'Too many requests right now. Please wait a moment and try again.';

/**
 * Answers API Gateway gives by itself (no function involved), in the same
 * JSON shape the functions use. `status` is fixed per type so the body and
 * the status code always agree.
 */
export const GATEWAY_RESPONSES: readonly { type: ResponseType; status: number; error: string; formError: string }[] = [
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, error: 'not_found', formError: 'There is no endpoint at this path.' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: 404, error: 'not_found', formError: 'There is no endpoint at this path.' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, error: 'payload_too_large', formError: 'The request body is too large.' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, error: 'unsupported_media_type', formError: 'This content type is not supported; send JSON.' },
  { type: ResponseType.BAD_REQUEST_BODY, status: 400, error: 'invalid_request', formError: 'The request body is not valid.' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, error: 'invalid_request', formError: 'The request parameters are not valid.' },
  { type: ResponseType.THROTTLED, status: 429, error: 'too_many_requests', formError: TOO_MANY_REQUESTS },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, error: 'too_many_requests', formError: TOO_MANY_REQUESTS },
  { type: ResponseType.ACCESS_DENIED, status: 403, error: 'forbidden', formError: 'This request is not allowed.' },
  { type: ResponseType.WAF_FILTERED, status: 403, error: 'forbidden', formError: 'This request was blocked.' },
  { type: ResponseType.INTEGRATION_FAILURE, status: 502, error: 'bad_gateway', formError: OUR_SIDE_FAILED },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, error: 'timeout', formError: 'The request took too long. Please try again.' },
  { type: ResponseType.DEFAULT_4XX, status: 400, error: 'invalid_request', formError: 'The request could not be processed.' },
  { type: ResponseType.DEFAULT_5XX, status: 500, error: 'internal_error', formError: OUR_SIDE_FAILED },
];

/**
 * One JSON line per request. Only the path is logged, never the query
 * string: `ctx` on delete-account carries an access token.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatencyMs: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafStatus: '$context.waf.status',
});

/**
 * The REST API: one resource and method per route with a Lambda proxy
 * integration, CORS preflight per route resource, a 405 for every other
 * method on a route's path, and JSON error answers for everything the
 * gateway rejects by itself (unknown path 404, body too large 413,
 * throttled 429, ...).
 *
 * The parent stack holds what does not grow with routes: the RestApi, its
 * gateway responses, access logs, the account's CloudWatch role, and the
 * Deployment and Stage. The resources and methods of each area are built in
 * the area's nested stack (`scopeFor`, AreaMethods); a first path segment
 * belongs to one area only (routeArea), so no resource is shared between
 * stacks. The Deployment depends on every area's methods, and its logical id
 * hashes what they are built from (apiPaths and the functions' ids), so a
 * route change publishes a new deployment to the stage.
 *
 * Regional endpoint: logins are answered from one region anyway, and a
 * custom domain or CloudFront distribution in front stays the owner's choice.
 */
export class Api extends Construct {
  public readonly api: RestApi;
  public readonly accessLogs: LogGroup;
  /** The account's API Gateway CloudWatch role, when this API creates it (`cloudWatchRole`). */
  public readonly cloudWatchRole?: Role;
  /** Each area's resources and methods, by area (routeArea). */
  public readonly areas: ReadonlyMap<string, AreaMethods>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    if (!props.allowedOrigins.length) throw new Error('Api: allowedOrigins must name at least one origin (or "*").');
    if (props.throttling.burstLimit < props.throttling.rateLimit) throw new Error('Api: throttling.burstLimit must be at least throttling.rateLimit.');
    const methodOptions = methodThrottling(props.routes, props.routeThrottling ?? {});

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, REST_API_ID, {
      restApiName: `loginbridge-${props.stage}`,
      description: 'LoginBridge: Login Flow API, device sign-in, SSO hand-offs',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Built below under the id the role had before REST_API_ID changed, so an update keeps the role.
      cloudWatchRole: false,
      // Deployed below, once every area's methods exist.
      deploy: false,
    });
    const cloudWatch = props.cloudWatchRole === false ? undefined : accountCloudWatchRole(this, this.api);
    this.cloudWatchRole = cloudWatch?.role;
    this.addGatewayResponses(props.allowedOrigins);

    const paths = apiPaths(props.routes, props.allowedOrigins);
    const areas = new Map<string, AreaMethods>();
    for (const area of groupRoutesByArea(props.routes).keys()) {
      areas.set(
        area,
        new AreaMethods(props.scopeFor?.(area) ?? new Construct(this, area), 'Api', {
          restApiId: this.api.restApiId,
          rootResourceId: this.api.restApiRootResourceId,
          stageName: props.stage,
          paths: paths.filter((path) => routeArea(path) === area),
          functionFor: (route) => props.functions.forRoute(route),
        }),
      );
    }
    this.areas = areas;

    // The ids the RestApi construct gives its own deployment and stage. Under REST_API_ID their logical ids are new
    // too: the stage of the new API is a new resource, never an update that would move the old API's stage.
    const deployment = new Deployment(this.api, 'Deployment', { description: 'Automatically created by the RestApi construct', api: this.api });
    deployment.addToLogicalId({
      paths,
      functions: props.routes.map((route) => {
        const fn = props.functions.forRoute(route);
        return Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      }),
    });
    for (const method of [...areas.values()].flatMap((area) => area.methods)) {
      deployment.node.addDependency(method);
      // The RestApi validates that it has methods; these are its methods, built in the area stacks.
      this.api.methods.push(method);
    }
    this.api.deploymentStage = new Stage(this.api, `DeploymentStage.${props.stage}`, {
      deployment,
      stageName: props.stage,
      throttlingRateLimit: props.throttling.rateLimit,
      throttlingBurstLimit: props.throttling.burstLimit,
      accessLogDestination: new LogGroupLogDestination(this.accessLogs),
      accessLogFormat: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      // Errors only, and never request or response bodies: they hold passwords and tokens.
      loggingLevel: MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
      tracingEnabled: props.tracing,
      methodOptions,
    });
    if (cloudWatch) this.api.deploymentStage.node.addDependency(cloudWatch.account);
    new CfnOutput(this.api, 'Endpoint', { value: this.api.urlForPath() });

    this.acknowledgeFindings();
  }

  private addGatewayResponses(allowedOrigins: readonly string[]): void {
    const headers: Record<string, string> = {
      'Cache-Control': "'no-store'",
      'X-Content-Type-Options': "'nosniff'",
      'Access-Control-Expose-Headers': `'${CORS_EXPOSE_HEADERS.join(', ')}'`,
      // A gateway error carries only a generic message and the request id, so with a list of origins the
      // caller's origin is reflected (a gateway response cannot test it against the list); the functions
      // enforce the list for every real answer.
      ...(allowedOrigins.includes('*')
        ? { 'Access-Control-Allow-Origin': "'*'" }
        : { 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" }),
    };
    for (const response of GATEWAY_RESPONSES) {
      this.api.addGatewayResponse(`Gateway${response.type.responseType}`, {
        type: response.type,
        statusCode: String(response.status),
        responseHeaders: headers,
        templates: { 'application/json': errorBodyTemplate(response.status, response.error, response.formError) },
      });
    }
  }

  private acknowledgeFindings(): void {
    // APIG4 and COG4 (no authorizer) are about the methods: acknowledged where they are built, in AreaMethods.
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Each function validates its input with zod and answers in the documented error shape (field by field); an API Gateway validator would reject first, in another shape.',
    });
  }
}

/**
 * The account's API Gateway CloudWatch role (execution logs need it), as the
 * RestApi construct builds it with `cloudWatchRole: true`, but under the
 * construct path it had when the RestApi's id was `RestApi`: the role and the
 * AWS::ApiGateway::Account keep their logical ids across the REST_API_ID
 * change, so an update touches neither. Kept on stack deletion, as other APIs
 * of the account may use it.
 */
function accountCloudWatchRole(scope: Construct, api: RestApi): { role: Role; account: CfnAccount } {
  const home = new Construct(scope, 'RestApi');
  const role = new Role(home, 'CloudWatchRole', {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new CfnAccount(home, 'Account', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  account.node.addDependency(api.node.defaultChild as CfnElement);
  Validations.of(home).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "The account-wide API Gateway CloudWatch role (required for execution logs) must use AWS's policy: it is shared by every REST API of the account and region, so scoping it to this API would break the others.",
  });
  return { role, account };
}

/**
 * The stage's per-method settings for the throttled routes. A method setting
 * replaces the stage-wide `*\/*` one for that method, so it repeats the
 * logging and metrics choices of the stage (errors only, no data trace,
 * metrics on) and only changes the limits.
 */
export function methodThrottling(
  routes: readonly Route[],
  limits: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>,
): Record<string, MethodDeploymentOptions> {
  const options: Record<string, MethodDeploymentOptions> = {};
  for (const [key, limit] of Object.entries(limits)) {
    const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === key);
    if (!route) throw new Error(`Api: routeThrottling names ${key}, which is not a route.`);
    if (!Number.isInteger(limit.rateLimit) || !Number.isInteger(limit.burstLimit) || limit.rateLimit < 1 || limit.burstLimit < limit.rateLimit) {
      throw new Error(`Api: routeThrottling for ${key} needs whole numbers with 1 <= rateLimit <= burstLimit.`);
    }
    options[`${route.path}/${route.method}`] = {
      throttlingRateLimit: limit.rateLimit,
      throttlingBurstLimit: limit.burstLimit,
      loggingLevel: MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
    };
  }
  return options;
}
