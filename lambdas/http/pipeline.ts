import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { settings } from '../config';
import { errorMetric } from './error-metrics';
import { type ErrorStyle, errorResponse } from './error-response';
import { count, flushMetrics } from './metrics';
import { correlationIdOf, type HttpRequest, normalizeHeaders, toRequest } from './request';
import type { HttpResult } from './responses';

type Event = APIGatewayProxyEvent;
type Result = APIGatewayProxyResult;
/** The parsed request rides on the invocation's context object, which is new for every invocation. */
type ContextWithRequest = Context & { loginbridgeRequest?: HttpRequest };

export interface HandlerOptions {
  errorStyle?: ErrorStyle;
  /** Body limit; the default comes from MAX_BODY_BYTES (16 KiB). */
  maxBodyBytes?: number;
}

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** CORS from ALLOWED_ORIGINS: `*` (the default; no cookies are used) or a comma-separated list echoed back when matched. */
export function corsHeaders(origin: string | undefined, allowed = settings().ALLOWED_ORIGINS): Record<string, string> {
  const list = allowed
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  const common = { 'Access-Control-Expose-Headers': 'Retry-After, X-Correlation-Id, WWW-Authenticate' };
  if (list.includes('*')) return { 'Access-Control-Allow-Origin': '*', ...common };
  if (origin && list.includes(origin)) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...common };
  return { Vary: 'Origin' };
}

/** Parses the event into an HttpRequest (size limit, lenient JSON, forms). */
const requestParser = (maxBodyBytes: () => number): MiddlewareObj<Event, Result> => ({
  before: (request) => {
    (request.context as ContextWithRequest).loginbridgeRequest = toRequest(request.event, maxBodyBytes());
  },
});

/** Every answer, success or failure, gets the security and CORS headers and the correlation id. */
const responseHeaders = (): MiddlewareObj<Event, Result> => {
  const apply = (request: middy.Request<Event, Result>) => {
    if (!request.response) return;
    const headers = normalizeHeaders(request.event.headers);
    request.response.headers = {
      ...BASE_HEADERS,
      ...corsHeaders(headers.origin),
      'X-Correlation-Id': correlationIdOf(request.event),
      ...request.response.headers,
    };
  };
  return { after: apply, onError: apply };
};

/** Writes the invocation's metrics (EMF) however it ended. */
const metricsFlusher = (): MiddlewareObj<Event, Result> => ({ after: flushMetrics, onError: flushMetrics });

/** Domain errors to their documented answers; anything else to a generic 500 with no internals. */
const errorHandler = (style: ErrorStyle): MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const metric = errorMetric(request.error);
    if (metric) count(metric.name, metric.dimensions);
    const outcome = errorResponse(request.error, style, correlationIdOf(request.event));
    request.response = {
      statusCode: outcome.statusCode,
      headers: { 'Content-Type': 'application/json; charset=utf-8', ...outcome.headers },
      body: JSON.stringify(outcome.body),
    };
  },
});

export function toResult(result: HttpResult): Result {
  if (result.rawBody !== undefined) return { statusCode: result.statusCode, headers: { ...result.headers }, body: result.rawBody };
  if (result.body === undefined) return { statusCode: result.statusCode, headers: { ...result.headers }, body: '' };
  return {
    statusCode: result.statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/**
 * The one request pipeline of every endpoint: parse -> run -> shape, with the
 * error handler and common headers around it. Handlers stay plain functions.
 */
export function httpHandler(run: (request: HttpRequest) => Promise<HttpResult>, options: HandlerOptions = {}) {
  const style = options.errorStyle ?? 'api';
  return middy<Event, Result, Error, Context>()
    .use(metricsFlusher())
    .use(responseHeaders())
    .use(requestParser(() => options.maxBodyBytes ?? settings().MAX_BODY_BYTES))
    .use(errorHandler(style))
    .handler(async (_event, context) => {
      return toResult(await run((context as ContextWithRequest).loginbridgeRequest as HttpRequest));
    });
}
