import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type CallCounter, CONTROL_PREFIX, type FaultPlan, handleControl, sendHtml, simulatorPage } from '../common';

/** The decoded values of a route's `{name}` path segments, e.g. `{ id: 'abc' }` for `/clients/{id}`. */
export type PathParams = Readonly<Record<string, string>>;

/** A request handler of a simulator; `url` is the request's parsed URL, `params` its path parameters. */
export type SimulatorHandler = (request: IncomingMessage, response: ServerResponse, url: URL, params: PathParams) => unknown;

/** One row of a simulator's route table. */
export interface SimulatorRoute {
  /** Only this method matches (absent: any; the handler then answers other methods itself). */
  readonly method?: string;
  /**
   * The exact path, or with `prefix` every path that starts with it. A segment
   * written `{name}` matches any one non-empty segment and reaches the handler
   * as `params.name` (decoded).
   */
  readonly path: string;
  readonly prefix?: boolean;
  readonly handle: SimulatorHandler;
}

export interface PartnerServerOptions {
  /** The partner's name on the landing page. */
  readonly partner: string;
  /** The landing page's text at `GET /`, read per request (absent: `/` is an unknown path like any other). */
  readonly landing?: string | (() => string);
  readonly routes: readonly SimulatorRoute[];
  /** Control endpoints of this simulator only, under CONTROL_PREFIX, matched before the shared ones. */
  readonly control?: readonly SimulatorRoute[];
  readonly plan: FaultPlan;
  readonly counter: CallCounter;
  /** What `POST /__simulator/reset` forgets. */
  reset(): void;
  /** The key a request is counted under (default: its path). */
  countAs?(path: string): string;
  /**
   * Runs before the route table for every partner request (not the landing
   * page, not the control endpoints): tenant-wide answers such as a rate
   * limit or an injected failure. True when it answered the request.
   */
  intercept?(request: IncomingMessage, response: ServerResponse, path: string): boolean | Promise<boolean>;
  /** The partner's error answer for an unknown path, and for a failure of the simulator itself. */
  notFound(response: ServerResponse): void;
  failed(response: ServerResponse): void;
  /** While true, every connection is dropped: the partner is down. */
  isDown?(): boolean;
}

const PARAMETER_SEGMENT = /^\{(\w+)\}$/;

/** The path parameters when `path` matches the route's pattern (exact, or as a prefix); undefined when it does not. */
export function matchPath(pattern: string, path: string, prefix = false): PathParams | undefined {
  if (!pattern.includes('{')) return (prefix ? path.startsWith(pattern) : path === pattern) ? {} : undefined;
  const wanted = pattern.split('/');
  const given = path.split('/');
  if (prefix ? given.length < wanted.length : given.length !== wanted.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const name = PARAMETER_SEGMENT.exec(segment)?.[1];
    const value = given[index];
    if (name === undefined) {
      const last = prefix && index === wanted.length - 1;
      if (last ? !value.startsWith(segment) : value !== segment) return undefined;
    } else if (!value) return undefined;
    else params[name] = safeDecode(value);
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function findRoute(routes: readonly SimulatorRoute[], method: string | undefined, path: string) {
  for (const route of routes) {
    if (route.method !== undefined && route.method !== method) continue;
    const params = matchPath(route.path, path, route.prefix);
    if (params) return { route, params };
  }
  return undefined;
}

function landingRoute(options: PartnerServerOptions): SimulatorRoute[] {
  const { landing, partner } = options;
  if (!landing) return [];
  const text = () => (typeof landing === 'function' ? landing() : landing);
  return [
    { method: 'GET', path: '/', handle: (_request, response) => sendHtml(response, 200, simulatorPage(partner, `${partner} simulator`, `<p>${text()}</p>`)) },
  ];
}

/**
 * The HTTP server every simulator runs: the control endpoints (faults, call
 * counts, reset), a call counter, the landing page, the optional intercept,
 * dispatch on the route table (with path parameters), and the partner's own
 * answers for unknown paths and its own failures.
 */
export function partnerServer(options: PartnerServerOptions): Server {
  const landing = landingRoute(options);
  const serve = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const path = url.pathname;
    if (path.startsWith(CONTROL_PREFIX)) {
      const own = findRoute(options.control ?? [], request.method, path);
      if (own) await own.route.handle(request, response, url, own.params);
      else await handleControl(request, response, path, options.plan, options.counter, options.reset);
      return;
    }
    options.counter.record(options.countAs?.(path) ?? path);
    const page = findRoute(landing, request.method, path);
    if (page) {
      await page.route.handle(request, response, url, page.params);
      return;
    }
    if (await options.intercept?.(request, response, path)) return;
    const found = findRoute(options.routes, request.method, path);
    if (found) await found.route.handle(request, response, url, found.params);
    else options.notFound(response);
  };
  return createServer(async (request, response) => {
    if (options.isDown?.()) {
      request.socket.destroy();
      return;
    }
    try {
      await serve(request, response, new URL(request.url ?? '/', 'http://simulator'));
    } catch {
      if (!response.headersSent) options.failed(response);
    }
  });
}
