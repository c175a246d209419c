import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../../lambdas/routes';
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
}

/** Request headers browsers may send cross-origin (the local server allows the same). */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key'];
/** Response headers a browser app may read. */
export const CORS_EXPOSE_HEADERS = ['Retry-After', 'X-Correlation-Id', 'WWW-Authenticate'];
export const CORS_MAX_AGE = Duration.minutes(10);

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
  { type: ResponseType.THROTTLED, status: 429, error: 'too_many_requests', formError: 'Too many requests right now. Please wait a moment and try again.' },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, error: 'too_many_requests', formError: 'Too many requests right now. Please wait a moment and try again.' },
  { type: ResponseType.ACCESS_DENIED, status: 403, error: 'forbidden', formError: 'This request is not allowed.' },
  { type: ResponseType.WAF_FILTERED, status: 403, error: 'forbidden', formError: 'This request was blocked.' },
  {
    type: ResponseType.INTEGRATION_FAILURE,
    status: 502,
    error: 'bad_gateway',
    formError: 'Something went wrong on our side. Please try again; if it keeps happening, contact support with the correlation id.',
  },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, error: 'timeout', formError: 'The request took too long. Please try again.' },
  { type: ResponseType.DEFAULT_4XX, status: 400, error: 'invalid_request', formError: 'The request could not be processed.' },
  {
    type: ResponseType.DEFAULT_5XX,
    status: 500,
    error: 'internal_error',
    formError: 'Something went wrong on our side. Please try again; if it keeps happening, contact support with the correlation id.',
  },
];

/** The error body every answer of the API uses; `$context.requestId` is the correlation id the functions report too. */
export function errorBodyTemplate(status: number, error: string, formError: string): string {
  return `{"status":${status},"error":${JSON.stringify(error)},"formError":${JSON.stringify(formError)},"fieldErrors":{},"correlationId":"$context.requestId"}`;
}

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

/** Content types the 405 mock answers (API Gateway picks a mapping template by Content-Type). */
const MOCK_CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/xml',
  'text/xml',
  'application/octet-stream',
];

/**
 * The REST API: one resource and method per route with a Lambda proxy
 * integration, CORS preflight per route resource, a 405 for every other
 * method on a route's path, and JSON error answers for everything the
 * gateway rejects by itself (unknown path 404, body too large 413,
 * throttled 429, ...).
 *
 * Regional endpoint: logins are answered from one region anyway, and a
 * custom domain or CloudFront distribution in front stays the owner's choice.
 */
export class Api extends Construct {
  public readonly api: RestApi;
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    if (!props.allowedOrigins.length) throw new Error('Api: allowedOrigins must name at least one origin (or "*").');
    if (props.throttling.burstLimit < props.throttling.rateLimit) throw new Error('Api: throttling.burstLimit must be at least throttling.rateLimit.');
    const methodOptions = methodThrottling(props.routes, props.routeThrottling ?? {});

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'RestApi', {
      restApiName: `loginbridge-${props.stage}`,
      description: 'LoginBridge: Login Flow API, device sign-in, SSO hand-offs',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Execution logs need the account's API Gateway CloudWatch role; kept on stack deletion, as other APIs of the account may use it.
      cloudWatchRole: props.cloudWatchRole ?? true,
      ...(props.cloudWatchRole === false ? {} : { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
      deployOptions: {
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
      },
    });

    this.addGatewayResponses(props.allowedOrigins);
    const byPath = new Map<string, Route[]>();
    for (const route of props.routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
    for (const [path, routes] of byPath) {
      const resource = this.api.root.resourceForPath(path);
      for (const route of routes) {
        resource.addMethod(route.method, new LambdaIntegration(props.functions.forRoute(route), { proxy: true, allowTestInvoke: false }), {
          authorizationType: AuthorizationType.NONE,
          operationName: route.summary,
        });
      }
      const methods = [...new Set(routes.map((route) => route.method))];
      resource.addCorsPreflight({
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [...methods, 'OPTIONS'],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: CORS_MAX_AGE,
      });
      this.addMethodNotAllowed(resource, methods, props.allowedOrigins);
    }

    this.acknowledgeFindings(props.cloudWatchRole ?? true);
  }

  /**
   * `ANY` on a route's resource answers 405 with an `Allow` header; API
   * Gateway prefers the explicit methods (and OPTIONS) over ANY, so only the
   * other methods land here.
   */
  private addMethodNotAllowed(resource: IResource, methods: readonly string[], allowedOrigins: readonly string[]): void {
    const allow = methods.join(', ');
    const body = errorBodyTemplate(405, 'method_not_allowed', `This endpoint accepts ${allow}.`);
    resource.addMethod(
      'ANY',
      new MockIntegration({
        // A mock needs a mapping template to produce its status; unknown content types get the gateway's 415.
        passthroughBehavior: PassthroughBehavior.NEVER,
        requestTemplates: Object.fromEntries(MOCK_CONTENT_TYPES.map((type) => [type, '{"statusCode": 405}'])),
        integrationResponses: [
          {
            statusCode: '405',
            responseParameters: {
              'method.response.header.Allow': `'${allow}'`,
              'method.response.header.Cache-Control': "'no-store'",
              'method.response.header.X-Content-Type-Options': "'nosniff'",
            },
            responseTemplates: { 'application/json': `${corsOverrideTemplate(allowedOrigins)}${body}` },
          },
        ],
      }),
      {
        authorizationType: AuthorizationType.NONE,
        methodResponses: [
          {
            statusCode: '405',
            responseParameters: {
              'method.response.header.Allow': true,
              'method.response.header.Cache-Control': true,
              'method.response.header.X-Content-Type-Options': true,
            },
          },
        ],
      },
    );
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

  private acknowledgeFindings(cloudWatchRole: boolean): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Each function validates its input with zod and answers in the documented error shape (field by field); an API Gateway validator would reject first, in another shape.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Sign-up, sign-in, refresh, password reset and the JWKS are public by design; the endpoints that need a user verify its JWT access token (signature, exp, iss, aud) in the function. OPTIONS and the 405 mocks touch nothing.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'LoginBridge is the identity provider itself: its own ES256 access tokens are verified in the functions, so there is no Cognito user pool to authorise with.',
      },
    );
    if (!cloudWatchRole) return;
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "The account-wide API Gateway CloudWatch role (required for execution logs) must use AWS's policy: it is shared by every REST API of the account and region, so scoping it to this API would break the others.",
    });
  }
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

/**
 * VTL for a mock's response template that sets the CORS origin header like
 * the functions do: `*`, or the caller's origin when it is in the list.
 */
export function corsOverrideTemplate(allowedOrigins: readonly string[]): string {
  const common = `#set($context.responseOverride.header.X-Correlation-Id = $context.requestId)#set($context.responseOverride.header.Access-Control-Expose-Headers = "${CORS_EXPOSE_HEADERS.join(', ')}")`;
  if (allowedOrigins.includes('*')) return `${common}#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")`;
  const test = allowedOrigins.map((origin) => `$origin == "${origin}"`).join(' || ');
  return `${common}#set($origin = $input.params().header.get("Origin"))#if(!$origin)#set($origin = $input.params().header.get("origin"))#end#set($context.responseOverride.header.Vary = "Origin")#if(${test})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`;
}
