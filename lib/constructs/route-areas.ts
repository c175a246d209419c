import type { Route } from '../../lambdas/routes';

/**
 * CloudFormation refuses a stack of more than 500 resources. Every stack this
 * app synthesizes (the parent and each area's nested stack) must stay at or
 * under this budget, which leaves room for a few more routes before a deploy
 * would fail; synth stops with a message naming the stack when one is over.
 */
export const STACK_RESOURCE_BUDGET = 450;

/** First path segments that share an area (and so a nested stack); any other segment is an area of its own. */
const AREA_OF_SEGMENT: Readonly<Record<string, string>> = {
  'login-flow': 'LoginFlow',
  // The pages people open: the home page (`/`) and their account beside TV activation and the emailed links.
  '': 'WebPages',
  account: 'WebPages',
  oauth: 'WebPages',
  activate: 'WebPages',
  'reset-password': 'WebPages',
  'verify-email': 'WebPages',
  signup: 'WebPages',
  sso: 'Sso',
  login: 'Sso',
  portal: 'Portal',
  admin: 'Admin',
  '.well-known': 'Discovery',
  'openapi.json': 'Discovery',
};

/** A route's area: a construct id such as `LoginFlow`, from the first segment of its path. */
export function routeArea(route: Pick<Route, 'path'>): string {
  const segment = route.path.split('/')[1] ?? '';
  const known = AREA_OF_SEGMENT[segment];
  if (known) return known;
  const words = segment.split(/[^a-zA-Z0-9]+/).filter(Boolean);
  return words.length ? words.map((word) => word[0].toUpperCase() + word.slice(1)).join('') : 'Root';
}

/** Routes by area, areas and routes in route-table order. */
export function groupRoutesByArea(routes: readonly Route[]): Map<string, Route[]> {
  const areas = new Map<string, Route[]>();
  for (const route of routes) {
    const area = routeArea(route);
    areas.set(area, [...(areas.get(area) ?? []), route]);
  }
  return areas;
}
