import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROUTES } from '../../routes';
import { ACCOUNT_OPERATIONS } from './account';
import { ADMIN_OPERATIONS } from './admin';
import { JSON_CONTENT, type OperationDescription } from './common';
import { FACTOR_OPERATIONS } from './factors';
import { LOGIN_FLOW_OPERATIONS } from './login-flow';
import { PORTAL_OPERATIONS } from './portal';
import { SSO_OPERATIONS } from './sso';
import { TV_AND_RESET_OPERATIONS } from './tv-and-reset';
import { VERIFIED_IDENTITY_OPERATIONS } from './verified-identity';

// Schemas named with `.meta({ id })` become components; the extension lets the generator read them.
extendZodWithOpenApi(z);

/** Every capability's operation descriptions, keyed by handler module (the route table's `handler`). */
export const OPERATIONS: Record<string, OperationDescription> = {
  ...LOGIN_FLOW_OPERATIONS,
  ...SSO_OPERATIONS,
  ...TV_AND_RESET_OPERATIONS,
  ...PORTAL_OPERATIONS,
  ...VERIFIED_IDENTITY_OPERATIONS,
  ...ADMIN_OPERATIONS,
  ...FACTOR_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
};

const toOpenApiPath = (path: string) => path; // API Gateway and OpenAPI both write parameters as {name}.

/** `{name: description}` -> OpenAPI header objects (every header we answer is a string). */
const responseHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }]));

/**
 * The OpenAPI 3.1 document, generated from the route table and the zod
 * schemas the handlers validate with (@asteasolutions/zod-to-openapi), so it
 * cannot drift from the code. Served at GET /openapi.json, written by
 * `npm run openapi`.
 */
export function openApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of ROUTES) {
    const operation = OPERATIONS[route.handler];
    if (!operation) throw new Error(`No API description for ${route.method} ${route.path} (handler ${route.handler})`);
    const config: RouteConfig = {
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: toOpenApiPath(route.path),
      operationId: route.handler.replace(/[/-](\w)/g, (_match, letter: string) => letter.toUpperCase()),
      summary: operation.summary ?? route.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: operation.tags,
      ...(operation.security ? { security: [{ bearer: [] }] } : {}),
      request: {
        ...(operation.body
          ? {
              body: {
                required: operation.bodyRequired ?? true,
                content: Object.fromEntries((operation.bodyContentTypes ?? [JSON_CONTENT]).map((type) => [type, { schema: operation.body! }])),
              },
            }
          : {}),
        ...(operation.query ? { query: operation.query } : {}),
        ...(operation.params ? { params: operation.params } : {}),
        ...(operation.headers ? { headers: operation.headers } : {}),
      },
      responses: Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers ? { headers: responseHeaders(response.headers) } : {}),
            ...(response.schema ? { content: { [response.contentType ?? JSON_CONTENT]: { schema: response.schema } } } : {}),
          },
        ]),
      ),
    };
    registry.registerPath(config);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'LoginBridge API',
      version: '1.0.0',
      description: "Applicaster's Login Flow, OAuth 2.0 device flow, SSO hand-offs and the developer portal.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
  });
}
