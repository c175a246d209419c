import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ValidationError } from '../core/errors';
import { PayloadTooLargeError } from './errors';

/** What a handler sees of a request: normalised headers, decoded body, caller facts. */
export interface HttpRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  pathParameters: Record<string, string>;
  /** The parsed body: a JSON value, a form as an object, or undefined when empty. */
  body: unknown;
  rawBody: string;
  clientIp: string;
  correlationId: string;
  origin?: string;
}

export function normalizeHeaders(headers: APIGatewayProxyEvent['headers'] | null | undefined): Record<string, string> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') normalized[name.toLowerCase()] = value;
  }
  return normalized;
}

/** Applicaster's TV plugin sends `Content-Type: x-www-form-urlencoded` (no `application/`): accept both. */
function isForm(contentType: string | undefined): boolean {
  return !!contentType && /(^|\/)x-www-form-urlencoded\b/i.test(contentType);
}

/**
 * Decodes the body. JSON is accepted whatever the Content-Type says (missing,
 * text/plain, ...) because real clients get it wrong; forms are parsed when the
 * Content-Type says form. Oversized bodies fail before any parsing.
 */
export function parseBody(event: APIGatewayProxyEvent, headers: Record<string, string>, maxBytes: number): { body: unknown; rawBody: string } {
  if (event.body === null || event.body === undefined || event.body === '') return { body: undefined, rawBody: '' };
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const rawBody = bytes.toString('utf8');
  const trimmed = rawBody.trim();
  if (trimmed === '') return { body: undefined, rawBody };
  // A JSON object sent with a form Content-Type is still JSON (curl -d does exactly that).
  if (isForm(headers['content-type']) && !/^[[{]/.test(trimmed)) return { body: Object.fromEntries(new URLSearchParams(rawBody)), rawBody };
  try {
    return { body: JSON.parse(rawBody), rawBody };
  } catch {
    throw new ValidationError('The request body is not valid JSON. Send a JSON object such as {"email": "...", "password": "..."}.');
  }
}

/**
 * The request as handlers see it. The body is parsed on first use: an
 * endpoint that takes no body (GET pages, JWKS, delete-account) never fails
 * on whatever a client sent along.
 */
export function toRequest(event: APIGatewayProxyEvent, maxBodyBytes: number): HttpRequest {
  const headers = normalizeHeaders(event.headers);
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (typeof value === 'string') query[name] = value;
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) if (typeof value === 'string') pathParameters[name] = value;
  let parsed: { body: unknown; rawBody: string } | undefined;
  const parse = () => (parsed ??= parseBody(event, headers, maxBodyBytes));
  return {
    method: event.httpMethod,
    path: event.path,
    headers,
    query,
    pathParameters,
    get body() {
      return parse().body;
    },
    get rawBody() {
      return parse().rawBody;
    },
    clientIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
    correlationId: correlationIdOf(event),
    ...(headers.origin ? { origin: headers.origin } : {}),
  };
}

export function correlationIdOf(event: Partial<APIGatewayProxyEvent>): string {
  return event.requestContext?.requestId ?? 'unknown';
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken(headers: Record<string, string>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}
