import { ROUTES, type Route } from '../../../lambdas/routes';

/**
 * The route table grown to `total` rows as other branches will grow it: an
 * operator console under /admin, more portal and login-flow endpoints, and a
 * new area the grouping has never heard of. Every path is distinct, the
 * costliest case for the API (a resource, a preflight and a 405 per path).
 * `areas` are the first path segments the new rows go to, in turn.
 */
export function grownRoutes(total: number, areas: readonly string[] = ['admin', 'portal', 'login-flow', 'billing', 'oauth', 'sso']): Route[] {
  const extra: Route[] = [];
  for (let index = 0; ROUTES.length + extra.length < total; index += 1) {
    const template = ROUTES[index % ROUTES.length];
    const area = areas[index % areas.length];
    extra.push({ ...template, path: `/${area}/synthetic-${index}`, summary: `Synthetic route ${index}` });
  }
  return [...ROUTES, ...extra];
}
