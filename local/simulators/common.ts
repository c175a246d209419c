/**
 * What the partner simulators share: fault injection, call counters, a
 * control endpoint, and small HTTP helpers. Simulators are plain node:http
 * servers; they serve `npm start` (when a partner has no credentials) and the
 * tests, and never pretend to be the real thing on their pages.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The ways a simulator can be told to fail:
 * - `reject-credentials`: the token endpoint refuses the client credentials (until cleared, unless `times` is set);
 * - `unauthorized`: a 401 as for an expired or revoked token;
 * - `rate-limit`: 429 with `Retry-After: retryAfterSeconds`;
 * - `server-error`: `status` (default 500) with the partner's error body;
 * - `slow`: waits `delayMs` before answering normally (past the caller's timeout);
 * - `malformed`: 200 with a body that is not the documented JSON (`body` to choose it).
 */
export type FaultKind = 'reject-credentials' | 'unauthorized' | 'rate-limit' | 'server-error' | 'slow' | 'malformed';

export interface Fault {
  kind: FaultKind;
  /** The path it applies to; each simulator picks a sensible default per kind. */
  path?: string;
  /** How many requests it affects; default 1 (`reject-credentials`: until cleared). */
  times?: number;
  retryAfterSeconds?: number;
  status?: number;
  delayMs?: number;
  body?: string;
}

interface ActiveFault extends Fault {
  path: string;
  remaining: number;
}

/** Faults waiting to be applied, in the order they were added. */
export class FaultPlan {
  private faults: ActiveFault[] = [];

  constructor(private readonly defaultPath: (kind: FaultKind) => string) {}

  add(fault: Fault): void {
    const times = fault.times ?? (fault.kind === 'reject-credentials' ? Number.POSITIVE_INFINITY : 1);
    this.faults.push({ ...fault, path: fault.path ?? this.defaultPath(fault.kind), remaining: times });
  }

  /** The next fault for this path (consumed), if any. */
  take(path: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.path === path && fault.remaining > 0);
    if (index === -1) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Whether a fault of this kind is active for the path (without consuming it). */
  has(path: string, kind: FaultKind): boolean {
    return this.faults.some((fault) => fault.path === path && fault.kind === kind && fault.remaining > 0);
  }

  clear(): void {
    this.faults = [];
  }
}

/** Requests per path. */
export class CallCounter {
  private counts = new Map<string, number>();
  record(path: string): void {
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
  }
  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }
  all(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
  reset(): void {
    this.counts.clear();
  }
}

export const CONTROL_PREFIX = '/__simulator';

export const randomId = (bytes = 24) => randomBytes(bytes).toString('base64url');

export function readBody(request: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

export function sendHtml(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(html);
}

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** A page that says plainly it is a simulator. */
export function simulatorPage(partner: string, title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} - ${escapeHtml(partner)} simulator</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.banner{background:#fff3cd;color:#5c4400;border:1px solid #e0c36c;border-radius:8px;padding:.75rem 1rem}</style></head>
<body>
<p class="banner" role="note"><strong>${escapeHtml(partner)} simulator.</strong> This is LoginBridge's local stand-in for ${escapeHtml(partner)}, not the real service.</p>
<h1>${escapeHtml(title)}</h1>
${body}
${script ? `<script>${script}</script>` : ''}
</body>
</html>`;
}

/** Applies the delay of a `slow` fault; false when the client gave up meanwhile. */
export async function waitOut(fault: Fault | undefined, response: ServerResponse): Promise<boolean> {
  if (fault?.kind !== 'slow') return true;
  await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 10_000));
  return !response.destroyed && !response.socket?.destroyed;
}

/** `POST /__simulator/faults` (a fault or a list), `DELETE /__simulator/faults`, `GET /__simulator/calls`, `POST /__simulator/reset`. */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  plan: FaultPlan,
  counter: CallCounter,
  reset: () => void,
): Promise<void> {
  if (path === `${CONTROL_PREFIX}/faults` && request.method === 'POST') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(request));
    } catch {
      sendJson(response, 400, { message: 'Send a fault as JSON, e.g. {"kind":"rate-limit","retryAfterSeconds":1}.' });
      return;
    }
    for (const fault of Array.isArray(parsed) ? parsed : [parsed]) plan.add(fault as Fault);
    response.writeHead(204).end();
    return;
  }
  if (path === `${CONTROL_PREFIX}/faults` && request.method === 'DELETE') {
    plan.clear();
    response.writeHead(204).end();
    return;
  }
  if (path === `${CONTROL_PREFIX}/calls` && request.method === 'GET') {
    sendJson(response, 200, counter.all());
    return;
  }
  if (path === `${CONTROL_PREFIX}/reset` && request.method === 'POST') {
    reset();
    response.writeHead(204).end();
    return;
  }
  sendJson(response, 404, { message: 'Unknown simulator control endpoint.' });
}

export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export function bearer(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}
