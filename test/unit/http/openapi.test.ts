import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from '../../../lambdas/http/openapi/document';
import { ROUTES } from '../../../lambdas/routes';
import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { checkAgainstOpenApi } from '../../support/openapi';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every operation of the document with where it sits. */
function operations(document: Json): { path: string; method: string; operation: Json }[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Json })),
  );
}

/** Every `$ref` anywhere in the document, with the JSON pointer of where it was found. */
function refs(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => refs(item, `${at}/${index}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [{ ref: child, at }] : refs(child, `${at}/${key}`)));
}

function resolve(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node && typeof node === 'object' ? (node as Json)[segment] : undefined), document);
}

describe('The OpenAPI document', () => {
  const document = openApiDocument('https://api.example.test') as Json;

  it('is OpenAPI 3.1 with a title, a version and the server it was made for', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(document.servers).toEqual([{ url: 'https://api.example.test' }]);
  });

  it('describes every route of the route table with its method and path, and nothing else', () => {
    const described = operations(document).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    const routes = ROUTES.map((route) => `${route.method} ${route.path}`);

    expect(described.sort()).toEqual([...routes].sort());
  });

  it('gives every operation a unique operationId, a summary, tags and responses with descriptions', () => {
    const ids = new Set<string>();
    for (const { path, method, operation } of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, id: typeof operation.operationId }).toEqual({ where, id: 'string' });
      expect(ids.has(operation.operationId)).toBe(false);
      ids.add(operation.operationId);
      expect({ where, summary: typeof operation.summary, tags: Array.isArray(operation.tags) && operation.tags.length > 0 }).toEqual({
        where,
        summary: 'string',
        tags: true,
      });
      const statuses = Object.keys(operation.responses ?? {});
      // The web sign-in's start and callback succeed with a redirect (302 to the provider, 303 back to the page).
      expect({ where, hasSuccess: statuses.some((status) => /^(2\d\d|30[23])$/.test(status)) }).toEqual({ where, hasSuccess: true });
      for (const status of statuses) {
        expect({ where, status, valid: /^[1-5]\d\d$/.test(status), description: typeof operation.responses[status].description }).toEqual({
          where,
          status,
          valid: true,
          description: 'string',
        });
      }
    }
  });

  it('declares every path parameter of a route, and nothing but its path parameters, as required path parameters', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const inPath = (operation.parameters ?? []).filter((parameter: Json) => parameter.in === 'path');
      const expected = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

      expect({ route: route.path, names: inPath.map((parameter: Json) => parameter.name).sort() }).toEqual({ route: route.path, names: expected });
      for (const parameter of inPath) expect(parameter.required).toBe(true);
    }
  });

  it('resolves every $ref, and every security requirement names a declared scheme', () => {
    const found = refs(document);
    expect(found.length).toBeGreaterThan(0);
    for (const { ref, at } of found) expect({ ref, at, resolved: resolve(document, ref) !== undefined }).toEqual({ ref, at, resolved: true });

    const schemes = Object.keys(document.components?.securitySchemes ?? {});
    for (const { operation } of operations(document)) {
      for (const requirement of operation.security ?? []) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    }
  });

  it('has request and response schemas that compile as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...document, $id: 'document' });
    let compiled = 0;
    for (const { path, method, operation } of operations(document)) {
      const bodies = [
        ...Object.keys(operation.requestBody?.content ?? {}).map((type) => ['requestBody', 'content', type, 'schema']),
        ...Object.entries(operation.responses as Json).flatMap(([status, response]) =>
          Object.keys((response as Json).content ?? {}).map((type) => ['responses', status, 'content', type, 'schema']),
        ),
      ];
      for (const segments of bodies) {
        const pointer = ['paths', path, method, ...segments].map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        expect(() => ajv.compile({ $ref: `document#/${pointer}` })).not.toThrow();
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(ROUTES.length);
  });

  it('names the Idempotency-Key header on the portal operations that honour it', () => {
    for (const path of ['/portal/credentials', '/portal/credentials/{clientId}/rotate', '/portal/team/invitations', '/portal/admin/invitations']) {
      const names = (document.paths[path].post.parameters ?? [])
        .filter((parameter: Json) => parameter.in === 'header')
        .map((parameter: Json) => parameter.name);
      expect({ path, names }).toEqual({ path, names: ['Idempotency-Key'] });
    }
  });

  it('offers the OAuth endpoints form-encoded and as JSON', () => {
    for (const path of ['/oauth/device_authorization', '/oauth/token', '/oauth/revoke']) {
      expect(Object.keys(document.paths[path].post.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    }
  });
});

describe('checkAgainstOpenApi (what every integration test runs on every answer)', () => {
  const url = 'http://127.0.0.1:1/login-flow/login';
  const tokens = JSON.stringify({ status: 200, access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 });

  it('accepts a documented status with a body that matches its schema', () => {
    expect(() => checkAgainstOpenApi('POST', url, 200, 'application/json; charset=utf-8', tokens)).not.toThrow();
  });

  it('rejects a status the description does not list', () => {
    expect(() => checkAgainstOpenApi('POST', url, 418, 'application/json', tokens)).toThrow(/does not list/);
  });

  it('rejects a body that does not match the schema', () => {
    expect(() => checkAgainstOpenApi('POST', url, 200, 'application/json', JSON.stringify({ status: 200, access_token: 'a' }))).toThrow(/does not match/);
  });

  it('rejects a field a strict portal schema does not describe (a secret in a listing, say)', () => {
    const listing = {
      credentials: [{ client_id: 'c', name: 'n', environment: 'sandbox', audiences: [], created_at: null, created_by: null, client_secret: 's' }],
      environments: { sandbox: { available: true, audiences: [] }, production: { available: false, audiences: [] } },
    };

    expect(() => checkAgainstOpenApi('GET', 'http://127.0.0.1:1/portal/credentials', 200, 'application/json', JSON.stringify(listing))).toThrow(
      /does not match/,
    );
  });
});

describe('GET /openapi.json', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ publicBaseUrl: 'https://api.example.test' });
  });
  afterAll(() => stack.stop());

  it('serves exactly the generated document, for the configured public URL', async () => {
    const response = await call(stack.url, 'GET', '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument('https://api.example.test'))));
  });
});

describe('lambdas/http/openapi/openapi.generated.json', () => {
  it('is the current document (run `npm run openapi` after changing a schema or a route)', () => {
    const copy = JSON.parse(readFileSync(join(__dirname, '../../../lambdas/http/openapi/openapi.generated.json'), 'utf8'));

    expect(copy).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe('npm run openapi', () => {
  it('runs scripts/write-openapi.ts', () => {
    const scripts = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).scripts as Record<string, string>;

    expect(scripts.openapi).toBe('tsx scripts/write-openapi.ts');
  });

  it('writes the generated document to the file it is given', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'loginbridge-openapi-')), 'openapi.json');

    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/write-openapi.ts', out], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, PUBLIC_BASE_URL: 'https://api.example.test' },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain(`${Object.keys(openApiDocument().paths ?? {}).length} paths`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(JSON.stringify(openApiDocument('https://api.example.test'))));
  });
});
