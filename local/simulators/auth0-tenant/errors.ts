import type { ServerResponse } from 'node:http';
import { sendJson } from '../common';

/** An error the Management API answers with its documented shape `{statusCode, error, message, errorCode}`. */
export class Auth0Error extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

export const badBody = (message: string) => new Auth0Error(400, 'Bad Request', `Payload validation error: '${message}'.`, 'invalid_body');
export const badQuery = (message: string) => new Auth0Error(400, 'Bad Request', `Query validation error: '${message}'.`, 'invalid_query_string');
export const notFound = () => new Auth0Error(404, 'Not Found', 'Not Found');
export const simulatorFailure = () => new Auth0Error(500, 'Internal Server Error', 'Simulator error');
export const tooManyRequests = () => new Auth0Error(429, 'Too Many Requests', 'Global limit has been reached', 'too_many_requests');

/** Sends `body` as JSON, or an empty 204. */
export function sendAnswer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) response.writeHead(204, headers).end();
  else sendJson(response, status, body, headers);
}

export function sendAuth0Error(response: ServerResponse, error: Auth0Error, headers: Record<string, string> = {}): void {
  const body = { statusCode: error.status, error: error.error, message: error.message, ...(error.errorCode ? { errorCode: error.errorCode } : {}) };
  sendAnswer(response, error.status, body, headers);
}
