import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type Route, routeId } from '../../lambdas/routes';
import { HandlerFunction } from './handler-function';
import { type AccessTargets, applyRouteAccess } from './route-access';

export interface RouteFunctionsProps {
  readonly routes: readonly Route[];
  readonly targets: AccessTargets;
  /** Settings every function gets (PUBLIC_BASE_URL, TOKEN_AUDIENCE, ... and `handlerSettings`). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
  readonly retainLogs: boolean;
  /** Where a route's function is built (its area's nested stack); this construct when left out. */
  readonly scopeFor?: (route: Route) => Construct;
}

/** `METHOD path`: how a route is named in maps and messages. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/**
 * Construct ids per route: the handler name, plus the method when two rows
 * share a handler, plus the path's words when they share the method too.
 */
export function routeConstructIds(routes: readonly Route[]): Map<Route, string> {
  const perHandler = new Map<string, number>();
  const perHandlerMethod = new Map<string, number>();
  for (const route of routes) {
    perHandler.set(route.handler, (perHandler.get(route.handler) ?? 0) + 1);
    perHandlerMethod.set(`${route.method} ${route.handler}`, (perHandlerMethod.get(`${route.method} ${route.handler}`) ?? 0) + 1);
  }
  const pascal = (text: string) =>
    text
      .split(/[^a-zA-Z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0].toUpperCase() + word.slice(1))
      .join('');
  return new Map(
    routes.map((route) => {
      const shared = (perHandler.get(route.handler) ?? 0) > 1;
      const sharedMethod = (perHandlerMethod.get(`${route.method} ${route.handler}`) ?? 0) > 1;
      const method = shared ? `${route.method[0]}${route.method.slice(1).toLowerCase()}` : '';
      return [route, `${routeId(route)}${method}${sharedMethod ? pascal(route.path) : ''}`];
    }),
  );
}

/** Checks the route table before anything is built from it. */
export function validateRoutes(routes: readonly Route[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = routeKey(route);
    if (seen.has(key)) throw new Error(`Route table: ${key} appears twice.`);
    seen.add(key);
    if (!route.path.startsWith('/')) throw new Error(`Route table: ${key}: the path must start with "/".`);
    if (!/^[\w./{}-]+$/.test(route.path) || route.path.includes('//')) throw new Error(`Route table: ${key}: not a valid API Gateway path.`);
    if (!/^[a-z0-9][\w./-]*$/i.test(route.handler) || route.handler.includes('..'))
      throw new Error(`Route table: ${key}: handler "${route.handler}" is not a module path under lambdas/handlers.`);
    if (route.access.table && route.access.table.length === 0)
      throw new Error(`Route table: ${key}: an empty table action list grants nothing; leave "table" out instead.`);
  }
}

/** One Lambda function per route, each allowed exactly its route's `access`. */
export class RouteFunctions extends Construct {
  /** Functions by routeKey (`POST /login-flow/login`). */
  public readonly functions: ReadonlyMap<string, NodejsFunction>;
  public readonly handlerFunctions: ReadonlyMap<string, HandlerFunction>;

  constructor(scope: Construct, id: string, props: RouteFunctionsProps) {
    super(scope, id);
    validateRoutes(props.routes);
    const ids = routeConstructIds(props.routes);
    const built = new Map<string, HandlerFunction>();
    for (const route of props.routes) {
      const handler = new HandlerFunction(props.scopeFor?.(route) ?? this, ids.get(route) as string, {
        handler: route.handler,
        description: `LoginBridge ${routeKey(route)}: ${route.summary}`,
        memoryMb: route.memoryMb,
        environment: props.environment,
        logRetention: props.logRetention,
        tracing: props.tracing,
        retainLogs: props.retainLogs,
      });
      applyRouteAccess(handler.fn, route.access, props.targets);
      built.set(routeKey(route), handler);
    }
    this.handlerFunctions = built;
    this.functions = new Map([...built].map(([key, handler]) => [key, handler.fn]));
  }

  /** The function serving a route. */
  forRoute(route: Pick<Route, 'method' | 'path'>): NodejsFunction {
    const fn = this.functions.get(routeKey(route));
    if (!fn) throw new Error(`No function for ${routeKey(route)}.`);
    return fn;
  }
}
