/**
 * The README's endpoint table, made from the route table so the two cannot
 * drift: `npm run endpoints` rewrites the block between the markers, and a
 * docs test fails when the README's copy is not what this makes.
 */
import type { Route, RouteAccess } from '../lambdas/routes';

export const TABLE_START = '<!-- endpoint-table:start (npm run endpoints) -->';
export const TABLE_END = '<!-- endpoint-table:end -->';

const AREAS: readonly [RegExp, string][] = [
  [/^\/login-flow\/reset-password\/confirm$/, 'TV and reset'],
  [/^\/login-flow\//, 'Login Flow'],
  [/^\/account(\/|$)/, 'Login Flow'],
  [/^\/(openapi\.json|\.well-known\/jwks\.json)$/, 'Meta'],
  [/^\/(signup)?$/, 'Pages'],
  [/^\/(oauth|activate|reset-password|\.well-known\/oauth-authorization-server)/, 'TV and reset'],
  [/^\/(sso|login)(\/|$)/, 'SSO'],
  [/^\/verify-email/, 'Verified identity'],
  [/^\/portal/, 'Portal'],
  [/^\/admin/, 'Operator console'],
];

export function areaOf(route: Route): string {
  const area = AREAS.find(([pattern]) => pattern.test(route.path));
  if (!area) throw new Error(`No README area for ${route.method} ${route.path}: add one to scripts/endpoint-table.ts`);
  return area[1];
}

/** What a function's role may use, in words: exactly the grants the stack derives from `access`. */
export function describeAccess(access: RouteAccess): string {
  const parts: string[] = [];
  const known = access as RouteAccess & Record<string, unknown>;
  if (access.table?.length) parts.push(`table: ${access.table.join(', ')}`);
  if (access.signingKey) parts.push('signing key');
  if (known.verifyKey) parts.push('public keys');
  if (known.refreshKey) parts.push('refresh key');
  if (access.mail) parts.push('SES');
  if (access.secrets?.length) parts.push(`secrets: ${[...new Set(access.secrets)].join(', ')}`);
  return parts.length ? parts.join('; ') : 'nothing';
}

export function endpointTable(routes: readonly Route[]): string {
  const rows = routes.map(
    (route) => `| \`${route.method} ${route.path}\` | ${areaOf(route)} | ${route.summary.replace(/\|/g, '\\|')} | ${describeAccess(route.access)} |`,
  );
  return [TABLE_START, '| method, path | area | what | may use |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** The README with its table block replaced. */
export function withEndpointTable(readme: string, routes: readonly Route[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} block`);
  return readme.slice(0, start) + endpointTable(routes) + readme.slice(end + TABLE_END.length);
}
