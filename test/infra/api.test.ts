import type { CfnElement, NestedStack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lambdas/routes';
import { ACCESS_LOG_FORMAT, GATEWAY_RESPONSES } from '../../lib/constructs/api';
import { routeArea } from '../../lib/constructs/route-areas';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, type Resources, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

/** The full path of every API Gateway resource, by logical id, rebuilt from PathPart and ParentId. */
function resourcePaths(resources: Resources, restApiId: string): Map<string, string> {
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const resource = resources[id];
    const parent = resource.Properties?.ParentId as Record<string, unknown>;
    const parentPath = 'Fn::GetAtt' in parent && (parent['Fn::GetAtt'] as string[])[0] === restApiId ? '' : pathOf((parent as { Ref: string }).Ref);
    const path = `${parentPath}/${resource.Properties?.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const [id, resource] of Object.entries(resources)) if (resource.Type === 'AWS::ApiGateway::Resource') pathOf(id);
  return paths;
}

interface MethodView {
  id: string;
  method: string;
  path: string;
  properties: Record<string, any>;
  /** The construct path of the stack whose own template holds the method. */
  stack: string;
}

/** Each resource's stack (construct path), by logical id. */
function homes(synth: Synthesized): Map<string, string> {
  return new Map([...synth.stackTemplates].flatMap(([stack, template]) => Object.keys(resourcesOf(template)).map((id) => [id, stack] as const)));
}

/** The nested stack of the area a path belongs to. */
const areaStackPath = (synth: Synthesized, path: string) => (synth.stack.areaStacks.get(routeArea({ path })) as NestedStack).node.path;

function methods(synth: Synthesized): MethodView[] {
  const resources = resourcesOf(synth.template);
  const restApiId = logicalId(synth.stack.api.api);
  const paths = resourcePaths(resources, restApiId);
  const stacks = homes(synth);
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Method')
    .map(([id, resource]) => {
      const parent = resource.Properties?.ResourceId as Record<string, unknown>;
      const path = 'Ref' in parent ? (paths.get(parent.Ref as string) as string) : '/';
      return {
        id,
        method: resource.Properties?.HttpMethod as string,
        path,
        properties: resource.Properties as Record<string, any>,
        stack: stacks.get(id) as string,
      };
    });
}

describe('REST API', () => {
  let synth: Synthesized;
  let all: MethodView[];
  beforeAll(() => {
    synth = synthesize();
    all = methods(synth);
  });

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))('sends %s to its own function through a Lambda proxy integration', (key, route) => {
    // Prepare
    const fn = synth.stack.routeFunctions.forRoute(route);
    const fnId = logicalId(fn);

    // Act
    const method = all.filter((candidate) => candidate.method === route.method && candidate.path === route.path);
    const resources = resourcesOf(synth.template);

    // Assess
    expect(method).toHaveLength(1);
    // Built in its area's nested stack, with the function, so the parent does not grow with routes.
    expect(method[0].stack).toBe(areaStackPath(synth, route.path));
    expect(method[0].properties.AuthorizationType).toBe('NONE');
    expect(method[0].properties.Integration.Type).toBe('AWS_PROXY');
    expect(method[0].properties.Integration.IntegrationHttpMethod).toBe('POST');
    expect(render(method[0].properties.Integration.Uri)).toContain(`${fnId}.Arn/invocations`);
    expect(resources[fnId].Properties?.Description).toContain(key);
    // API Gateway may invoke it for exactly this method and path.
    const permissions = Object.entries(resources).filter(
      ([, resource]) => resource.Type === 'AWS::Lambda::Permission' && render(resource.Properties?.FunctionName) === `${fnId}.Arn`,
    );
    const sourcePath = route.path.replace(/\{\w+\}/g, '*');
    // The stage by its name: the Stage resource is deployed after the area stacks, so they cannot reference it.
    expect(permissions.map(([, permission]) => render(permission.Properties?.SourceArn))).toEqual([
      `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${logicalId(synth.stack.api.api)}/${synth.stack.config.stage}/${route.method}${sourcePath}`,
    ]);
    expect(homes(synth).get(permissions[0][0])).toBe(method[0].stack);
  });

  it('has a Lambda integration for the route rows and nothing else', () => {
    // Act
    const proxied = all.filter((method) => method.properties.Integration?.Type === 'AWS_PROXY').map((method) => `${method.method} ${method.path}`);

    // Assess
    expect(proxied.sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(new Set(ROUTES.map((route) => synth.stack.routeFunctions.forRoute(route))).size).toBe(ROUTES.length);
  });

  it.each([...new Set(ROUTES.map((route) => route.path))].map((path) => [path]))(
    'answers other methods on %s with a JSON 405 naming the allowed ones',
    (path) => {
      // Prepare
      const allowed = ROUTES.filter((route) => route.path === path).map((route) => route.method);

      // Act
      const any = all.find((method) => method.path === path && method.method === 'ANY');

      // Assess
      expect(any?.stack).toBe(areaStackPath(synth, path));
      expect(any?.properties.Integration.Type).toBe('MOCK');
      const response = any?.properties.Integration.IntegrationResponses[0];
      expect(response.StatusCode).toBe('405');
      expect(response.ResponseParameters['method.response.header.Allow']).toBe(`'${allowed.join(', ')}'`);
      const body = response.ResponseTemplates['application/json'] as string;
      const json = JSON.parse(body.slice(body.indexOf('{"status"')));
      expect(json).toEqual({
        status: 405,
        error: 'method_not_allowed',
        formError: `This endpoint accepts ${allowed.join(', ')}.`,
        fieldErrors: {},
        correlationId: '$context.requestId',
      });
      expect(any?.properties.MethodResponses).toEqual([expect.objectContaining({ StatusCode: '405' })]);
    },
  );

  it.each([...new Set(ROUTES.map((route) => route.path))].map((path) => [path]))('answers the CORS preflight on %s', (path) => {
    // Act
    const options = all.find((method) => method.path === path && method.method === 'OPTIONS');

    // Assess
    expect(options?.stack).toBe(areaStackPath(synth, path));
    const headers = options?.properties.Integration.IntegrationResponses[0].ResponseParameters as Record<string, string>;
    expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe("'Content-Type,Authorization,Idempotency-Key'");
    for (const route of ROUTES.filter((candidate) => candidate.path === path))
      expect(headers['method.response.header.Access-Control-Allow-Methods']).toContain(route.method);
  });

  it('has no methods on paths that are not routes, so the gateway answers them 404', () => {
    // Act
    const paths = new Set(all.map((method) => method.path));

    // Assess
    expect([...paths].sort()).toEqual([...new Set(ROUTES.map((route) => route.path))].sort());
  });

  it.each(GATEWAY_RESPONSES.map((response) => [response.type.responseType, response] as const))(
    'answers %s in the JSON error shape with CORS headers',
    (type, response) => {
      // Assess
      synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: String(response.status),
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Cache-Control': "'no-store'",
        }),
        ResponseTemplates: {
          'application/json': JSON.stringify({
            status: response.status,
            error: response.error,
            formError: response.formError,
            fieldErrors: {},
            correlationId: '$context.requestId',
          }),
        },
      });
    },
  );

  it('answers an unknown path 404 not_found and an oversized body 413', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: {
        'application/json':
          '{"status":404,"error":"not_found","formError":"There is no endpoint at this path.","fieldErrors":{},"correlationId":"$context.requestId"}',
      },
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'REQUEST_TOO_LARGE', StatusCode: '413' });
  });

  it('throttles the stage, logs every request as JSON and logs errors without bodies', () => {
    // Prepare
    const { throttling, stage } = synth.stack.config;

    // Assess
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: stage,
      // The log group's ARN without the trailing ":*" (feature flag @aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
      AccessLogSetting: {
        DestinationArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':log-group:',
              { Ref: logicalId(synth.stack.api.accessLogs) },
            ],
          ],
        },
        Format: ACCESS_LOG_FORMAT,
      },
      MethodSettings: Match.arrayWith([
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: throttling.rateLimit,
          ThrottlingBurstLimit: throttling.burstLimit,
        },
      ]),
      TracingEnabled: false,
    });
    expect(() => JSON.parse(ACCESS_LOG_FORMAT)).not.toThrow();
    expect(ACCESS_LOG_FORMAT).not.toMatch(/querystring|\$input|body/i);
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: synth.stack.config.logRetentionDays });
    synth.template.resourceCountIs('AWS::ApiGateway::Account', 1);
    synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it('outputs the API URL and the JWKS URL', () => {
    // Act
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    const base = `https://${logicalId(synth.stack.api.api)}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${logicalId(synth.stack.api.api.deploymentStage)}/`;
    expect(render(outputs.ApiUrl.Value)).toBe(base);
    expect(render(outputs.JwksUrl.Value)).toBe(`${base}.well-known/jwks.json`);
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
  });
});

describe('REST API with a list of allowed origins', () => {
  const origins = ['https://app.example.com', 'https://tv.example.com'];
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: { allowedOrigins: origins.join(','), throttling: '{"rateLimit":20,"burstLimit":40}' } });
  });

  it('echoes only listed origins from the 405 mock and the preflight', () => {
    // Act
    const templates = methods(synth)
      .filter((method) => method.method === 'ANY' || method.method === 'OPTIONS')
      .map((method) => JSON.stringify(method.properties.Integration.IntegrationResponses[0]));

    // Assess
    for (const template of templates) for (const origin of origins) expect(template).toContain(origin);
    expect(templates.join('')).not.toContain("'*'");
  });

  it('reflects the caller origin on gateway errors, with Vary: Origin', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });

  it('publishes a new deployment when the routes or the CORS and 405 answers change, after every area stack', () => {
    // Prepare
    const deploymentOf = (of: Synthesized) =>
      Object.entries(resourcesOf(of.stackTemplates.get(of.stack.node.path) as Template)).filter(
        ([, resource]) => resource.Type === 'AWS::ApiGateway::Deployment',
      );
    const defaults = synthesize();

    // Act
    const [[withOrigins, deployment]] = deploymentOf(synth);
    const [[withDefaults]] = deploymentOf(defaults);
    const [[withFewerRoutes]] = deploymentOf(synthesize({ routes: ROUTES.slice(0, -1) }));
    // The same settings in another order: a synth of its own (synthesize caches by its options as given), the same id.
    const [[again]] = deploymentOf(synthesize({ context: { throttling: '{"rateLimit":20,"burstLimit":40}', allowedOrigins: origins.join(',') } }));

    // Assess
    expect(new Set([withOrigins, withDefaults, withFewerRoutes]).size).toBe(3);
    expect(again).toBe(withOrigins);
    const areaStacks = [...synth.stack.areaStacks.values()].map((nested) => synth.stack.getLogicalId(nested.nestedStackResource as CfnElement));
    expect([...(deployment.DependsOn ?? [])].sort()).toEqual(areaStacks.sort());
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', { DeploymentId: { Ref: withOrigins } });
  });

  it('applies the configured throttling', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })]),
    });
  });
});
