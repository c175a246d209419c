import { request as httpRequest } from 'node:http';

export interface BurstResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, any>;
}

/**
 * A JSON POST from a chosen loopback address: another client IP as API
 * Gateway would report it, so each burst test has an address of its own.
 */
export function postFrom(localAddress: string, url: string, json: unknown, headers: Record<string, string> = {}): Promise<BurstResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let body: Record<string, any> = {};
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = { unparsed: text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

/** `count` requests started at once. */
export function burst<T>(count: number, send: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => send(index)));
}

/** How many answers had each status, e.g. { 401: 5, 403: 35 }. */
export function statusCounts(responses: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
