import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders } from '../lambdas/http/pipeline';
import { compilePath, ROUTES, type Route } from '../lambdas/routes';
import { enforceTableAccess, withTableAccess } from './table-access';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway's own payload limit; the handlers enforce the much smaller API limit themselves. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const STAGE = 'local';

interface CompiledRoute {
  route: Route;
  match: (path: string) => Record<string, string> | undefined;
}

/** Query parameters as API Gateway REST hands them over: percent-decoded, `+` left as it is, last value wins. */
export function parseQuery(search: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    };
    const name = decode(at === -1 ? pair : pair.slice(0, at));
    const value = decode(at === -1 ? '' : pair.slice(at + 1));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The REST API (v1) proxy event API Gateway would send for this request. */
export function toGatewayEvent(request: IncomingMessage, body: Buffer, route: Route, pathParameters: Record<string, string>, url: URL): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index];
    const value = request.rawHeaders[index + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = parseQuery(url.search);
  const hasQuery = Object.keys(query.single).length > 0;
  const textual = body.length === 0 || isUtf8(body);
  const requestId = randomUUID();
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !textual,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: request.method ?? 'GET',
      identity: {
        sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: request.headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
      path: `/${STAGE}${url.pathname}`,
      stage: STAGE,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
    },
  };
}

function lambdaContext(route: Route, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `loginbridge-local-${route.handler.replace(/\//g, '-')}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.handler}`,
    memoryLimitInMB: String(route.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function sendJson(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string>): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

export interface LocalServerOptions {
  routes?: readonly Route[];
  /** Where handler modules live; the default is the repo's lambdas/handlers. */
  handlersDir?: string;
  /** Loads a handler module; replaceable so the benchmark can load the built bundles instead. */
  loadHandler?: (route: Route) => Promise<Handler>;
}

/**
 * The local API Gateway: matches the request against the route table, builds
 * the same proxy event the deployed API sends, and calls the same handler.
 * Unknown paths are 404 and known paths with another method 405, in the
 * documented error shape, as the deployed gateway answers them.
 */
export function createLocalServer(options: LocalServerOptions = {}): Server {
  const routes: CompiledRoute[] = (options.routes ?? ROUTES).map((route) => ({ route, match: compilePath(route.path) }));
  const handlersDir = options.handlersDir ?? join(__dirname, '..', 'lambdas', 'handlers');
  const loaded = new Map<string, Promise<Handler>>();
  // Handlers run from source get IAM's table checks; built bundles (the benchmark) carry their own SDK copy.
  if (!options.loadHandler) enforceTableAccess();
  const load =
    options.loadHandler ??
    (async (route: Route) => {
      const module = (await import(join(handlersDir, `${route.handler}.ts`))) as { handler: Handler };
      return module.handler;
    });

  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const correlationId = randomUUID();
    const cors = corsHeaders(request.headers.origin);
    try {
      const candidates = routes.map((entry) => ({ entry, params: entry.match(url.pathname) })).filter((candidate) => candidate.params);
      if (!candidates.length) {
        sendJson(
          response,
          404,
          { status: 404, error: 'not_found', formError: 'There is no endpoint at this path.', fieldErrors: {}, correlationId },
          { ...cors, 'X-Correlation-Id': correlationId },
        );
        return;
      }
      const allowed = [...new Set(candidates.map((candidate) => candidate.entry.route.method))];
      if (request.method === 'OPTIONS') {
        response.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': [...allowed, 'OPTIONS'].join(', '),
          'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key',
          'Access-Control-Max-Age': '600',
        });
        response.end();
        return;
      }
      const chosen = candidates.find((candidate) => candidate.entry.route.method === request.method);
      if (!chosen) {
        sendJson(
          response,
          405,
          { status: 405, error: 'method_not_allowed', formError: `This endpoint accepts ${allowed.join(', ')}.`, fieldErrors: {}, correlationId },
          { ...cors, Allow: allowed.join(', '), 'X-Correlation-Id': correlationId },
        );
        return;
      }
      const body = await readBody(request);
      if (body === 'too-large') {
        sendJson(response, 413, { status: 413, error: 'payload_too_large', formError: 'The request body is too large.', fieldErrors: {}, correlationId }, cors);
        return;
      }
      const { route } = chosen.entry;
      let handler = loaded.get(route.handler);
      if (!handler) {
        handler = load(route);
        loaded.set(route.handler, handler);
      }
      const event = toGatewayEvent(request, body, route, chosen.params ?? {}, url);
      const invoke = await handler;
      const result = await withTableAccess(route.handler, route.access.table, () => invoke(event, lambdaContext(route, event.requestContext.requestId)));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      response.writeHead(result.statusCode, headers);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // What API Gateway does when a function crashes: a 502 without internals.
      console.error(JSON.stringify({ level: 'ERROR', message: 'handler crashed', correlationId, error: error instanceof Error ? error.name : typeof error }));
      if (!response.headersSent) {
        sendJson(
          response,
          502,
          { status: 502, error: 'bad_gateway', formError: 'The server could not complete the request.', fieldErrors: {}, correlationId },
          cors,
        );
      } else response.end();
    }
  });
}
