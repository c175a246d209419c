import { checkAgainstOpenApi } from './openapi';

/**
 * A thin fetch wrapper for integration tests: JSON in, status + headers +
 * parsed body out. Every answer is checked against the OpenAPI description.
 */
export interface TestResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = Record<string, any>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string>; skipOpenApiCheck?: boolean } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  if (!options.skipOpenApiCheck) checkAgainstOpenApi(method, `${baseUrl}${path}`, response.status, response.headers.get('content-type'), text);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export const post = <T = Record<string, any>>(baseUrl: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  call<T>(baseUrl, 'POST', path, { json, headers });

let sequence = 0;
/** A unique, valid email per call. */
export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${sequence}@example.com`;
}

export const STRONG_PASSWORD = 'correct horse battery staple';

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: uniqueEmail(),
    password: STRONG_PASSWORD,
    approveTermsOfUse: 'on',
    approveMarketing: null,
    ...overrides,
  };
}
