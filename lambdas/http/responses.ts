/** A handler's answer before the pipeline adds the common headers. */
export interface HttpResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** For HTML pages and other non-JSON bodies. */
  rawBody?: string;
}

export const ok = (body: unknown, headers: Record<string, string> = {}): HttpResult => ({ statusCode: 200, body, headers });
export const created = (body: unknown, headers: Record<string, string> = {}): HttpResult => ({ statusCode: 201, body, headers });
export const noContent = (): HttpResult => ({ statusCode: 204 });
export const html = (page: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode: 200,
  rawBody: page,
  headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
});
