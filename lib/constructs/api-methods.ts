import { Duration, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type IResource,
  LambdaIntegration,
  type Method,
  MockIntegration,
  PassthroughBehavior,
  RestApi,
  type Stage,
  Stage as StageConstruct,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Route } from '../../lambdas/routes';

/**
 * The RestApi's construct id. It was `RestApi` while the API's resources and
 * methods lived in the parent stack; a stage deployed then holds them there,
 * and API Gateway refuses a second resource with the same path, so building
 * the area stacks' resources on that API fails (CloudFormation creates the
 * new ones before it deletes the old). A new id gives a new logical id to the
 * RestApi and to everything under it (deployment, stage, gateway responses):
 * the first deploy after the move creates a new API with its resources in the
 * area stacks and a stage of the same name, the WAF association and invoke
 * permissions for it, points the custom domain's mapping at it, and deletes
 * the old API in the clean-up phase. The area stacks import the API under the
 * same id. docs/infrastructure.md, "Upgrading a stage deployed before the areas".
 */
export const REST_API_ID = 'RestApiByArea';

/** Request headers browsers may send cross-origin (the local server allows the same). */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key'];
/** Response headers a browser app may read. */
export const CORS_EXPOSE_HEADERS = ['Retry-After', 'X-Correlation-Id', 'WWW-Authenticate'];
export const CORS_MAX_AGE = Duration.minutes(10);

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

/** Headers the 405 mock answers with, as method response parameters. */
const NOT_ALLOWED_HEADERS = ['Allow', 'Cache-Control', 'X-Content-Type-Options'];

/** The error body every answer of the API uses; `$context.requestId` is the correlation id the functions report too. */
export function errorBodyTemplate(status: number, error: string, formError: string): string {
  return `{"status":${status},"error":${JSON.stringify(error)},"formError":${JSON.stringify(formError)},"fieldErrors":{},"correlationId":"$context.requestId"}`;
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

/**
 * What the API answers on one path, as plain data: its routes' methods, the
 * CORS preflight and the 405 mock for every other method. The area stacks
 * build their methods from it, and the parent's Deployment hashes it into
 * its logical id, so any change here publishes a new deployment.
 */
export interface ApiPath {
  readonly path: string;
  readonly routes: readonly Route[];
  readonly preflight: {
    readonly allowOrigins: string[];
    readonly allowMethods: string[];
    readonly allowHeaders: string[];
    readonly exposeHeaders: string[];
    readonly maxAgeSeconds: number;
  };
  readonly notAllowed: {
    /** The `Allow` header: the path's methods. */
    readonly allow: string;
    readonly requestTemplates: Record<string, string>;
    readonly responseParameters: Record<string, string>;
    readonly responseTemplate: string;
  };
}

/** The API's paths in route-table order, each with everything its methods are built from. */
export function apiPaths(routes: readonly Route[], allowedOrigins: readonly string[]): ApiPath[] {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return [...byPath].map(([path, members]) => {
    const methods = [...new Set(members.map((route) => route.method))];
    const allow = methods.join(', ');
    return {
      path,
      routes: members,
      preflight: {
        allowOrigins: [...allowedOrigins],
        allowMethods: [...methods, 'OPTIONS'],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAgeSeconds: CORS_MAX_AGE.toSeconds(),
      },
      notAllowed: {
        allow,
        // A mock needs a mapping template to produce its status; unknown content types get the gateway's 415.
        requestTemplates: Object.fromEntries(MOCK_CONTENT_TYPES.map((type) => [type, '{"statusCode": 405}'])),
        responseParameters: {
          'method.response.header.Allow': `'${allow}'`,
          'method.response.header.Cache-Control': "'no-store'",
          'method.response.header.X-Content-Type-Options': "'nosniff'",
        },
        responseTemplate: `${corsOverrideTemplate(allowedOrigins)}${errorBodyTemplate(405, 'method_not_allowed', `This endpoint accepts ${allow}.`)}`,
      },
    };
  });
}

/** Why the methods have no API Gateway authorizer (cdk-nag AwsSolutions-APIG4 and COG4), wherever the methods are built. */
const METHOD_AUTHORIZATION_ACKNOWLEDGMENTS = [
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
];

export interface AreaMethodsProps {
  /** The parent's REST API, by reference (it is imported here). */
  readonly restApiId: string;
  readonly rootResourceId: string;
  /** The stage's name: the Lambda permissions allow invocation from this stage's methods only. */
  readonly stageName: string;
  /** This area's paths; their first segments belong to this area alone (routeArea), so the resources are created here only. */
  readonly paths: readonly ApiPath[];
  readonly functionFor: (route: Route) => IFunction;
}

/**
 * One area's part of the REST API, built in the area's nested stack so the
 * parent stack does not grow with routes: the path resources, each route's
 * Lambda proxy method (with its invoke permission), the CORS preflight and
 * the 405 `ANY` mock per path. The parent's Deployment depends on `methods`.
 */
export class AreaMethods extends Construct {
  public readonly methods: readonly Method[];

  constructor(scope: Construct, id: string, props: AreaMethodsProps) {
    super(scope, id);
    // Under the parent's id for it (REST_API_ID), so the logical ids of the area's resources and methods name that API, not the pre-move one.
    const api = RestApi.fromRestApiAttributes(this, REST_API_ID, { restApiId: props.restApiId, rootResourceId: props.rootResourceId });
    // The Lambda integration scopes its permission to `api.deploymentStage`; the real stage lives in the parent and depends on
    // these methods, so a reference to it would be a cycle. Its name is known, and the source ARN needs nothing else.
    api.deploymentStage = StageConstruct.fromStageAttributes(this, 'Stage', { stageName: props.stageName, restApi: api }) as unknown as Stage;
    const methods: Method[] = [];
    for (const path of props.paths) {
      const resource = api.root.resourceForPath(path.path);
      for (const route of path.routes) {
        methods.push(
          resource.addMethod(route.method, new LambdaIntegration(props.functionFor(route), { proxy: true, allowTestInvoke: false }), {
            authorizationType: AuthorizationType.NONE,
            operationName: route.summary,
          }),
        );
      }
      const { maxAgeSeconds, ...preflight } = path.preflight;
      const options = resource.addCorsPreflight({ ...preflight, maxAge: Duration.seconds(maxAgeSeconds) });
      methods.push(options, addMethodNotAllowed(resource, path.notAllowed));
    }
    this.methods = methods;
    Validations.of(this).acknowledge(...METHOD_AUTHORIZATION_ACKNOWLEDGMENTS);
  }
}

/**
 * `ANY` on a route's resource answers 405 with an `Allow` header; API
 * Gateway prefers the explicit methods (and OPTIONS) over ANY, so only the
 * other methods land here.
 */
function addMethodNotAllowed(resource: IResource, notAllowed: ApiPath['notAllowed']): Method {
  return resource.addMethod(
    'ANY',
    new MockIntegration({
      passthroughBehavior: PassthroughBehavior.NEVER,
      requestTemplates: notAllowed.requestTemplates,
      integrationResponses: [
        { statusCode: '405', responseParameters: notAllowed.responseParameters, responseTemplates: { 'application/json': notAllowed.responseTemplate } },
      ],
    }),
    {
      authorizationType: AuthorizationType.NONE,
      methodResponses: [
        { statusCode: '405', responseParameters: Object.fromEntries(NOT_ALLOWED_HEADERS.map((header) => [`method.response.header.${header}`, true])) },
      ],
    },
  );
}
