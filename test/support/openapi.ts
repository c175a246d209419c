import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from '../../lambdas/http/openapi/document';
import { compilePath, ROUTES } from '../../lambdas/routes';

/**
 * Checks an answer against the OpenAPI document: the status must be
 * documented for the route, and a JSON body must match its schema. Every
 * integration test's `call()` runs this, so the description cannot drift
 * from what the handlers really answer.
 */
let ajv: Ajv2020 | undefined;
let document: ReturnType<typeof openApiDocument> | undefined;
const compiled = new Map<string, ReturnType<Ajv2020['compile']> | null>();

function setup() {
  if (!ajv) {
    document = openApiDocument();
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...(document as object), $id: 'openapi' } as object);
  }
  return { ajv: ajv!, document: document! };
}

const pointer = (segments: string[]) => segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function checkAgainstOpenApi(method: string, url: string, status: number, contentType: string | null, text: string): void {
  const path = new URL(url).pathname;
  const route = ROUTES.find((candidate) => candidate.method === method.toUpperCase() && compilePath(candidate.path)(path));
  if (!route || (status === 404 && !ROUTES.some((candidate) => compilePath(candidate.path)(path)))) return;
  const { ajv: validator, document: doc } = setup();
  const operation = (doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)[route.path]?.[
    route.method.toLowerCase()
  ];
  if (!operation) throw new Error(`OpenAPI: ${route.method} ${route.path} is not described`);
  const response = operation.responses[String(status)];
  if (!response)
    throw new Error(
      `OpenAPI: ${route.method} ${route.path} answered ${status}, which the description does not list (${Object.keys(operation.responses).join(', ')})`,
    );
  const mediaType = Object.keys(response.content ?? {}).find((type) => contentType?.startsWith(type));
  if (!response.content || !mediaType || !/json/.test(mediaType)) return;
  const key = `${route.method} ${route.path} ${status} ${mediaType}`;
  if (!compiled.has(key)) {
    const ref = `openapi#/${pointer(['paths', route.path, route.method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema'])}`;
    compiled.set(key, validator.compile({ $ref: ref }));
  }
  const validate = compiled.get(key)!;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`OpenAPI: ${key} promised JSON but the body is not JSON`);
  }
  if (!validate(body)) throw new Error(`OpenAPI: ${key} body does not match the description: ${validator.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
}
