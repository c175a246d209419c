/**
 * The route table: the one list of endpoints. The CDK stack builds one
 * Lambda function, one API Gateway method and exactly these grants per row;
 * the local server routes requests with the same rows. Find any endpoint here
 * by its path, then its handler under `lambdas/handlers/<handler>.ts`.
 */

/** DynamoDB actions a function may perform on the table (transactions are authorised per item action). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'BatchWriteItem' | 'ConditionCheckItem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Partner credentials kept in Secrets Manager, one secret each. */
export type PartnerSecret = 'astrato' | 'acronis' | 'auth0-sandbox' | 'auth0-production';

/**
 * The variable that carries each secret's ARN to a function. The stack sets it
 * together with the read grant; locally the adapters read plain variables
 * (ASTRATO_CLIENT_ID, ...) instead.
 */
export const PARTNER_SECRET_ENV: Record<PartnerSecret, string> = {
  astrato: 'ASTRATO_SECRET_ARN',
  acronis: 'ACRONIS_SECRET_ARN',
  'auth0-sandbox': 'SANDBOX_AUTH0_SECRET_ARN',
  'auth0-production': 'PRODUCTION_AUTH0_SECRET_ARN',
};

export interface RouteAccess {
  /** Table actions; absent: no table access and no TABLE_NAME. */
  table?: TableAction[];
  /** Reads the signing key set (to sign or verify tokens, or publish the JWKS). */
  signingKey?: boolean;
  /** Sends email through SES. */
  mail?: boolean;
  /** Partner secrets the function reads. */
  secrets?: PartnerSecret[];
}

export interface Route {
  method: HttpMethod;
  /** API Gateway path; `{name}` marks a path parameter. */
  path: string;
  /** Module under lambdas/handlers, without extension; it exports `handler`. */
  handler: string;
  summary: string;
  access: RouteAccess;
  /** Argon2 wants memory (and the CPU share that comes with it). */
  memoryMb?: number;
}

const ARGON2_MEMORY_MB = 1024;

export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/login-flow/register',
    handler: 'login-flow/register',
    summary: 'Create an account and return tokens',
    access: { table: ['PutItem'], signingKey: true },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'POST',
    path: '/login-flow/login',
    handler: 'login-flow/login',
    summary: 'Sign in with email and password',
    access: { table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem'], signingKey: true },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'POST',
    path: '/login-flow/refresh',
    handler: 'login-flow/refresh',
    summary: 'Rotate a refresh token and return new tokens',
    access: { table: ['GetItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], signingKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/reset-password',
    handler: 'login-flow/reset-password',
    summary: 'Email a password-reset link (always 200 for a well-formed email)',
    access: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
  },
  {
    method: 'POST',
    path: '/login-flow/delete-account',
    handler: 'login-flow/delete-account',
    summary: 'Delete the account of the access token in ctx',
    access: { table: ['Query', 'DeleteItem', 'BatchWriteItem'], signingKey: true },
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    handler: 'well-known/jwks',
    summary: 'Public keys that verify access tokens (RFC 7517)',
    access: { signingKey: true },
  },
];

/** `/a/{b}/c` -> a matcher for concrete paths, capturing path parameters. */
export function compilePath(path: string): (concrete: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_match, escaped, plain) => {
    names.push(escaped ?? plain);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}/?$`);
  return (concrete) => {
    const match = regex.exec(concrete);
    if (!match) return undefined;
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
  };
}

/** A stable, readable construct id from a route: POST /login-flow/login -> LoginFlowLogin. */
export function routeId(route: Route): string {
  return route.handler
    .split(/[/\-._]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
