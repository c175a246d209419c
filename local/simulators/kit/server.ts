import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type CallCounter, CONTROL_PREFIX, type FaultPlan, handleControl, sendHtml, simulatorPage } from '../common';

/** A request handler of a simulator; `url` is the request's parsed URL. */
export type SimulatorHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => unknown;

/** One row of a simulator's route table. */
export interface SimulatorRoute {
  /** Only this method matches (absent: any; the handler then answers other methods itself). */
  readonly method?: string;
  /** The exact path, or with `prefix` every path that starts with it. */
  readonly path: string;
  readonly prefix?: boolean;
  readonly handle: SimulatorHandler;
}

export interface PartnerServerOptions {
  /** The partner's name on the landing page. */
  readonly partner: string;
  /** The landing page's text at `GET /` (absent: `/` is an unknown path like any other). */
  readonly landing?: string;
  readonly routes: readonly SimulatorRoute[];
  /** Control endpoints of this simulator only, under CONTROL_PREFIX, matched before the shared ones. */
  readonly control?: readonly SimulatorRoute[];
  readonly plan: FaultPlan;
  readonly counter: CallCounter;
  /** What `POST /__simulator/reset` forgets. */
  reset(): void;
  /** The key a request is counted under (default: its path). */
  countAs?(path: string): string;
  /** The partner's error answer for an unknown path, and for a failure of the simulator itself. */
  notFound(response: ServerResponse): void;
  failed(response: ServerResponse): void;
  /** While true, every connection is dropped: the partner is down. */
  isDown?(): boolean;
}

const matches = (route: SimulatorRoute, method: string | undefined, path: string) =>
  (route.method === undefined || route.method === method) && (route.prefix ? path.startsWith(route.path) : path === route.path);

/**
 * The HTTP server every simulator runs: the control endpoints (faults, call
 * counts, reset), a call counter, the landing page, dispatch on the route
 * table, and the partner's own answers for unknown paths and its own failures.
 */
export function partnerServer(options: PartnerServerOptions): Server {
  const landing: SimulatorRoute[] = options.landing
    ? [
        {
          method: 'GET',
          path: '/',
          handle: (_request, response) => sendHtml(response, 200, simulatorPage(options.partner, `${options.partner} simulator`, `<p>${options.landing}</p>`)),
        },
      ]
    : [];
  const routes = [...options.routes, ...landing];
  return createServer(async (request, response) => {
    if (options.isDown?.()) {
      request.socket.destroy();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname;
    try {
      if (path.startsWith(CONTROL_PREFIX)) {
        const own = options.control?.find((route) => matches(route, request.method, path));
        if (own) await own.handle(request, response, url);
        else await handleControl(request, response, path, options.plan, options.counter, options.reset);
        return;
      }
      options.counter.record(options.countAs?.(path) ?? path);
      const route = routes.find((candidate) => matches(candidate, request.method, path));
      if (route) await route.handle(request, response, url);
      else options.notFound(response);
    } catch {
      if (!response.headersSent) options.failed(response);
    }
  });
}
