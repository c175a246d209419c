import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, listen } from './common';

/**
 * A local stand-in for one Auth0 tenant's Management API (and the token
 * endpoint next to it), as docs/partner-contracts.md §5 describes it: client-credentials
 * tokens for the management client, clients and client grants kept in memory,
 * Auth0's validation of request bodies (unknown properties refused, metadata
 * values strings), pagination with `include_totals`, secret rotation, deletes,
 * rate-limit headers. Tests drive it in-process: they can make it answer 429
 * (with `x-ratelimit-reset`), 5xx or slowly, fail the next client-grant
 * creation, and read its call counters.
 *
 * Clients it creates can also get tokens at `/oauth/token` for the audiences
 * they were granted, so a credential the portal hands out can be proven to
 * work (and to stop working after rotation or deletion).
 *
 * Users, as the Management API documents them: `GET /api/v2/users-by-email`
 * (exact, case-sensitive match on the stored, lower-cased email; `app_metadata`
 * only for tokens with `read:users_app_metadata`), `GET/PATCH /api/v2/users/{id}`
 * and `POST /api/v2/users`. PATCH merges `app_metadata` and `user_metadata`
 * at the top level only: nested objects are replaced, and a key set to null
 * is removed.
 */

export const MANAGEMENT_SCOPES = [
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'read:client_keys',
  'create:client_keys',
  'update:client_keys',
  'delete:client_keys',
  'read:client_grants',
  'create:client_grants',
  'update:client_grants',
  'delete:client_grants',
  'read:users',
  'create:users',
  'update:users',
  'delete:users',
  'read:users_app_metadata',
  'create:users_app_metadata',
  'update:users_app_metadata',
  'delete:users_app_metadata',
] as const;

export interface Auth0SimulatorOptions {
  /** A label for banners and the landing page, e.g. "sandbox". */
  tenant?: string;
  port?: number;
  managementClientId?: string;
  managementClientSecret?: string;
  /** Scopes the management client's tokens carry; default: all of MANAGEMENT_SCOPES. */
  managementScopes?: string[];
  /** Lifetime of management tokens; Auth0's default is 86400 s. */
  tokenTtlSeconds?: number;
  /** API identifiers client grants may name; absent: any audience is accepted. */
  resourceServers?: string[];
  /** Requests per window before 429, like a tenant's plan limit; absent: unlimited. */
  rateLimitPerWindow?: number;
}

export interface SimulatedClient {
  client_id: string;
  client_secret: string;
  name: string;
  app_type: string;
  grant_types: string[];
  token_endpoint_auth_method: string;
  client_metadata: Record<string, string>;
  description?: string;
  is_first_party: boolean;
  tenant: string;
}

export interface SimulatedUser {
  user_id: string;
  email: string;
  email_verified: boolean;
  name: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  blocked?: boolean;
  created_at: string;
  updated_at: string;
  identities: { connection: string; provider: string; user_id: string; isSocial: boolean }[];
}

export interface SimulatedGrant {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
}

export interface FailureOptions {
  /** HTTP status to answer; 429 adds the rate-limit headers. */
  status?: number;
  /** Only requests whose path starts with this (e.g. "/api/v2/client-grants" or "/oauth/token"). */
  path?: string;
  method?: string;
  /** For 429: seconds until `x-ratelimit-reset`. Default 1. */
  resetInSeconds?: number;
  /** Answer only after this long (a slow tenant); with no status the request then succeeds. */
  delayMs?: number;
}

export interface Auth0SimulatorCounters {
  /** Token requests of the management client (the figure token caching must keep low). */
  managementTokens: number;
  /** Token requests of portal-created clients. */
  clientTokens: number;
  /** Management API calls by "METHOD /path-pattern". */
  calls: Record<string, number>;
  total: number;
}

export interface Auth0Simulator {
  /** Base URL, usable as the tenant "domain" by the portal: http://127.0.0.1:PORT. */
  url: string;
  tenant: string;
  managementClientId: string;
  managementClientSecret: string;
  /** The local variables that point the portal at this simulator, for `SANDBOX` or `PRODUCTION`. */
  env(prefix: 'SANDBOX' | 'PRODUCTION'): Record<string, string>;
  counters: Auth0SimulatorCounters;
  resetCounters(): void;
  /** The next `count` matching requests fail as described. */
  failNext(count: number, options: FailureOptions): void;
  /** The next client-grant creation fails with `status` (default 500), after which grants work again. */
  failNextClientGrant(status?: number): void;
  /** Forgets failures not yet used. */
  clearFailures(): void;
  clients(): SimulatedClient[];
  grants(): SimulatedGrant[];
  /** Adds a client directly, as someone using the Auth0 dashboard would (not through the portal). */
  addClient(client: Partial<SimulatedClient> & { name: string }): SimulatedClient;
  /** Adds a user, as the dashboard's "Create user" would (the email is stored lower-cased, as Auth0 does). */
  addUser(user: { email: string; app_metadata?: Record<string, unknown>; email_verified?: boolean; connection?: string }): SimulatedUser;
  users(): SimulatedUser[];
  stop(): Promise<void>;
}

interface PendingFailure extends FailureOptions {
  remaining: number;
}

interface IssuedToken {
  kind: 'management' | 'client';
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

const APP_TYPES = [
  'native',
  'spa',
  'regular_web',
  'non_interactive',
  'resource_server',
  'express_configuration',
  'rms',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'mscrm',
  'echosign',
  'egnyte',
  'newrelic',
  'office365',
  'salesforce',
  'sentry',
  'sharepoint',
  'slack',
  'springcm',
  'zendesk',
  'zoom',
  'sso_integration',
  'oag',
];
const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  'urn:ietf:params:oauth:grant-type:device_code',
];
const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'];
const CLIENT_PROPERTIES = new Set([
  'name',
  'description',
  'logo_uri',
  'callbacks',
  'allowed_origins',
  'web_origins',
  'allowed_logout_urls',
  'grant_types',
  'token_endpoint_auth_method',
  'app_type',
  'is_first_party',
  'oidc_conformant',
  'jwt_configuration',
  'client_metadata',
  'initiate_login_uri',
  'cross_origin_auth',
]);
const USER_PATCH_PROPERTIES = new Set([
  'blocked',
  'email_verified',
  'email',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'verify_email',
  'app_metadata',
  'user_metadata',
  'connection',
  'client_id',
]);
const USER_CREATE_PROPERTIES = new Set([...USER_PATCH_PROPERTIES, 'password', 'user_id', 'username', 'phone_number', 'phone_verified']);

/**
 * Auth0's metadata merge: top-level keys merge into what is stored, a nested
 * object replaces the stored one whole, and a key set to null is removed.
 */
export function mergeMetadata(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function metadataPatch(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badBody(`Expected type object but found type ${Array.isArray(value) ? 'array' : typeof value} (${field})`);
  return value as Record<string, unknown>;
}

const GRANT_PROPERTIES = new Set(['client_id', 'audience', 'scope', 'organization_usage', 'allow_any_organization']);
const MAX_PER_PAGE = 100;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

const badBody = (message: string) => new HttpError(400, 'Bad Request', `Payload validation error: '${message}'.`, 'invalid_body');
const badQuery = (message: string) => new HttpError(400, 'Bad Request', `Query validation error: '${message}'.`, 'invalid_query_string');

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw.trim()) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badBody('Expected type object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body');
  }
}

function validateClientBody(body: Record<string, unknown>): void {
  const extra = Object.keys(body).filter((key) => !CLIENT_PROPERTIES.has(key));
  if (extra.length) throw badBody(`Additional properties not allowed: ${extra.join(',')}`);
  if (typeof body.name !== 'string' || body.name.length < 1) throw badBody('Missing required property: name');
  if (/[<>]/.test(body.name)) throw badBody('String does not match pattern ^[^<>]+$ (name)');
  if (body.app_type !== undefined && !APP_TYPES.includes(body.app_type as string)) throw badBody(`No enum match for: "${String(body.app_type)}" (app_type)`);
  if (body.grant_types !== undefined) {
    if (!Array.isArray(body.grant_types)) throw badBody('Expected type array but found type ' + typeof body.grant_types + ' (grant_types)');
    for (const grant of body.grant_types) if (!GRANT_TYPES.includes(grant as string)) throw badBody(`No enum match for: "${String(grant)}" (grant_types)`);
  }
  if (body.token_endpoint_auth_method !== undefined && !AUTH_METHODS.includes(body.token_endpoint_auth_method as string)) {
    throw badBody(`No enum match for: "${String(body.token_endpoint_auth_method)}" (token_endpoint_auth_method)`);
  }
  if (body.client_metadata !== undefined) {
    const metadata = body.client_metadata;
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) throw badBody('Expected type object (client_metadata)');
    const entries = Object.entries(metadata as Record<string, unknown>);
    if (entries.length > 10) throw badBody('Too many properties, maximum 10 (client_metadata)');
    for (const [key, value] of entries) {
      if (typeof value !== 'string') throw badBody(`Expected type string but found type ${typeof value} (client_metadata.${key})`);
      if (key.length > 255 || value.length > 255) throw badBody(`String is too long, maximum 255 (client_metadata.${key})`);
    }
  }
}

function pageParams(query: URLSearchParams): { page: number; perPage: number; includeTotals: boolean } {
  const page = Number(query.get('page') ?? '0');
  const perPage = Number(query.get('per_page') ?? '50');
  if (!Number.isInteger(page) || page < 0) throw badQuery(`Invalid value ${query.get('page')} for page`);
  if (!Number.isInteger(perPage) || perPage < 0 || perPage > MAX_PER_PAGE)
    throw badQuery(`Invalid value ${query.get('per_page')} for per_page, maximum ${MAX_PER_PAGE}`);
  return { page, perPage, includeTotals: query.get('include_totals') === 'true' };
}

function selectFields<T extends object>(item: T, query: URLSearchParams): Partial<T> {
  const fields = query.get('fields');
  if (!fields) return item;
  const names = new Set(fields.split(',').map((name) => name.trim()));
  const include = query.get('include_fields') !== 'false';
  return Object.fromEntries(Object.entries(item).filter(([key]) => names.has(key) === include)) as Partial<T>;
}

const id = (prefix: string, bytes = 16) => `${prefix}${randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Starts a simulated tenant on 127.0.0.1 (a free port unless one is given). */
export async function startAuth0Simulator(options: Auth0SimulatorOptions = {}): Promise<Auth0Simulator> {
  const tenant = options.tenant ?? 'sandbox';
  const managementClientId = options.managementClientId ?? id('mgmt', 12);
  const managementClientSecret = options.managementClientSecret ?? randomBytes(32).toString('base64url');
  const managementScopes = options.managementScopes ?? [...MANAGEMENT_SCOPES];
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 86400;
  const clients = new Map<string, SimulatedClient>();
  const grants = new Map<string, SimulatedGrant>();
  const tokens = new Map<string, IssuedToken>();
  const failures: PendingFailure[] = [];
  const counters: Auth0SimulatorCounters = { managementTokens: 0, clientTokens: 0, calls: {}, total: 0 };
  let windowStart = Date.now();
  let windowCount = 0;
  let url = '';

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (status === 204) {
      response.writeHead(204, headers);
      response.end();
      return;
    }
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };
  const sendError = (response: ServerResponse, error: HttpError, headers: Record<string, string> = {}) =>
    send(
      response,
      error.status,
      { statusCode: error.status, error: error.error, message: error.message, ...(error.errorCode ? { errorCode: error.errorCode } : {}) },
      headers,
    );

  const rateHeaders = (remaining: number, resetInSeconds = 1): Record<string, string> => ({
    'x-ratelimit-limit': String(options.rateLimitPerWindow ?? 50),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
  });

  const takeFailure = (method: string, path: string): PendingFailure | undefined => {
    const index = failures.findIndex((failure) => (!failure.path || path.startsWith(failure.path)) && (!failure.method || failure.method === method));
    if (index === -1) return undefined;
    const failure = failures[index];
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  };

  const authorize = (request: IncomingMessage, scope: string): string[] => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const token = match ? tokens.get(match[1]) : undefined;
    if (!token || token.kind !== 'management') throw new HttpError(401, 'Unauthorized', 'Invalid token', 'invalid_token');
    if (token.expiresAt <= Date.now()) throw new HttpError(401, 'Unauthorized', 'Expired token received for JSON Web Token validation', 'invalid_token');
    if (!token.scopes.includes(scope)) throw new HttpError(403, 'Forbidden', `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
    return token.scopes;
  };

  const users = new Map<string, SimulatedUser>();
  const newUser = (input: {
    email: string;
    app_metadata?: Record<string, unknown>;
    user_metadata?: Record<string, unknown>;
    email_verified?: boolean;
    connection?: string;
    name?: string;
  }): SimulatedUser => {
    const email = input.email.trim().toLowerCase();
    const connection = input.connection ?? 'Username-Password-Authentication';
    if ([...users.values()].some((user) => user.email === email && user.identities[0]?.connection === connection))
      throw new HttpError(409, 'Conflict', 'The user already exists.', 'auth0_idp_error');
    const localId = randomBytes(12).toString('hex');
    const now = new Date().toISOString();
    const user: SimulatedUser = {
      user_id: `auth0|${localId}`,
      email,
      email_verified: input.email_verified ?? false,
      name: input.name ?? email,
      app_metadata: input.app_metadata ?? {},
      user_metadata: input.user_metadata ?? {},
      created_at: now,
      updated_at: now,
      identities: [{ connection, provider: 'auth0', user_id: localId, isSocial: false }],
    };
    users.set(user.user_id, user);
    return user;
  };
  /** What a token may see of a user: app_metadata only with read:users_app_metadata. */
  const userView = (user: SimulatedUser, scopes: string[], query: URLSearchParams) => {
    const { app_metadata, ...rest } = user;
    return selectFields(scopes.includes('read:users_app_metadata') ? { ...rest, app_metadata } : rest, query);
  };
  const requireUser = (userId: string): SimulatedUser => {
    const user = users.get(userId);
    if (!user) throw new HttpError(404, 'Not Found', 'The user does not exist.', 'inexistent_user');
    return user;
  };

  const managementAudiences = () => {
    const host = new URL(url).host;
    return [`${url}/api/v2/`, `https://${host}/api/v2/`];
  };

  const issueToken = (body: Record<string, unknown>, request: IncomingMessage) => {
    let clientId = body.client_id as string | undefined;
    let clientSecret = body.client_secret as string | undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic && !clientId) {
      const [user, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(user ?? '');
      clientSecret = decodeURIComponent(pass ?? '');
    }
    if (body.grant_type !== 'client_credentials') throw new HttpError(400, 'unsupported_grant_type', 'Unsupported grant type', 'unsupported_grant_type');
    const audience = body.audience as string | undefined;
    if (!audience) throw new HttpError(400, 'invalid_request', 'Missing required parameter: audience', 'invalid_request');
    if (clientId === managementClientId) {
      if (clientSecret !== managementClientSecret) throw new HttpError(401, 'access_denied', 'Unauthorized', 'access_denied');
      if (!managementAudiences().includes(audience)) throw new HttpError(403, 'access_denied', `Service not found: ${audience}`, 'access_denied');
      counters.managementTokens += 1;
      const accessToken = id('mgmt.', 24);
      tokens.set(accessToken, { kind: 'management', clientId, scopes: managementScopes, expiresAt: Date.now() + tokenTtlSeconds * 1000 });
      return { access_token: accessToken, token_type: 'Bearer', expires_in: tokenTtlSeconds, scope: managementScopes.join(' ') };
    }
    const client = clientId ? clients.get(clientId) : undefined;
    if (!client || client.client_secret !== clientSecret) throw new HttpError(401, 'access_denied', 'Unauthorized', 'access_denied');
    if (!client.grant_types.includes('client_credentials'))
      throw new HttpError(403, 'unauthorized_client', 'Grant type client_credentials not allowed for the client.', 'unauthorized_client');
    const grant = [...grants.values()].find((candidate) => candidate.client_id === client.client_id && candidate.audience === audience);
    if (!grant)
      throw new HttpError(
        403,
        'access_denied',
        `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
        'access_denied',
      );
    counters.clientTokens += 1;
    const accessToken = id('api.', 24);
    tokens.set(accessToken, { kind: 'client', clientId: client.client_id, scopes: grant.scope, expiresAt: Date.now() + 86400 * 1000 });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: 86400, scope: grant.scope.join(' ') };
  };

  const requireClient = (clientId: string): SimulatedClient => {
    const client = clients.get(clientId);
    if (!client) throw new HttpError(404, 'Not Found', 'The client does not exist', 'inexistent_client');
    return client;
  };

  const publicClient = (client: SimulatedClient) => ({
    ...client,
    global: false,
    callbacks: [],
    allowed_origins: [],
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 },
  });

  const routeManagement = async (request: IncomingMessage, path: string, query: URLSearchParams, body: Record<string, unknown>) => {
    const method = request.method ?? 'GET';
    let match: RegExpExecArray | null;
    if (path === '/api/v2/clients' && method === 'GET') {
      authorize(request, 'read:clients');
      const { page, perPage, includeTotals } = pageParams(query);
      const appTypes = query.get('app_type')?.split(',');
      const all = [...clients.values()].filter((client) => !appTypes || appTypes.includes(client.app_type));
      const slice = all.slice(page * perPage, page * perPage + perPage).map((client) => selectFields(publicClient(client), query));
      return {
        route: 'GET /api/v2/clients',
        status: 200,
        body: includeTotals ? { start: page * perPage, limit: perPage, length: slice.length, total: all.length, clients: slice } : slice,
      };
    }
    if (path === '/api/v2/clients' && method === 'POST') {
      authorize(request, 'create:clients');
      validateClientBody(body);
      const client: SimulatedClient = {
        client_id: id('', 24),
        client_secret: randomBytes(48).toString('base64url'),
        name: body.name as string,
        app_type: (body.app_type as string) ?? 'regular_web',
        grant_types: (body.grant_types as string[]) ?? ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
        token_endpoint_auth_method: (body.token_endpoint_auth_method as string) ?? 'client_secret_post',
        client_metadata: (body.client_metadata as Record<string, string>) ?? {},
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        is_first_party: true,
        tenant,
      };
      clients.set(client.client_id, client);
      return { route: 'POST /api/v2/clients', status: 201, body: publicClient(client) };
    }
    if ((match = /^\/api\/v2\/clients\/([^/]+)\/rotate-secret$/.exec(path)) && method === 'POST') {
      authorize(request, 'update:client_keys');
      const client = requireClient(decodeURIComponent(match[1]));
      client.client_secret = randomBytes(48).toString('base64url');
      return { route: 'POST /api/v2/clients/{id}/rotate-secret', status: 200, body: publicClient(client) };
    }
    if ((match = /^\/api\/v2\/clients\/([^/]+)$/.exec(path))) {
      const clientId = decodeURIComponent(match[1]);
      if (method === 'GET') {
        authorize(request, 'read:clients');
        return { route: 'GET /api/v2/clients/{id}', status: 200, body: selectFields(publicClient(requireClient(clientId)), query) };
      }
      if (method === 'DELETE') {
        authorize(request, 'delete:clients');
        // Auth0 answers 204 whether or not the client existed.
        clients.delete(clientId);
        return { route: 'DELETE /api/v2/clients/{id}', status: 204, body: undefined };
      }
    }
    if (path === '/api/v2/client-grants' && method === 'POST') {
      authorize(request, 'create:client_grants');
      const extra = Object.keys(body).filter((key) => !GRANT_PROPERTIES.has(key));
      if (extra.length) throw badBody(`Additional properties not allowed: ${extra.join(',')}`);
      if (typeof body.client_id !== 'string') throw badBody('Missing required property: client_id');
      if (typeof body.audience !== 'string' || !body.audience) throw badBody('Missing required property: audience');
      if (!Array.isArray(body.scope) || body.scope.some((scope) => typeof scope !== 'string')) throw badBody('Missing required property: scope');
      if (!clients.has(body.client_id)) throw new HttpError(404, 'Not Found', 'Client not found', 'inexistent_client');
      if (options.resourceServers && !options.resourceServers.includes(body.audience)) {
        throw new HttpError(404, 'Not Found', 'No resource server found by specified identifier', 'inexistent_resource_server');
      }
      if ([...grants.values()].some((grant) => grant.client_id === body.client_id && grant.audience === body.audience)) {
        throw new HttpError(409, 'Conflict', 'A resource with the same identifiers already exists.', 'client_grant_conflict');
      }
      const grant: SimulatedGrant = { id: id('cgr_', 12), client_id: body.client_id, audience: body.audience, scope: body.scope as string[] };
      grants.set(grant.id, grant);
      return { route: 'POST /api/v2/client-grants', status: 201, body: grant };
    }
    if (path === '/api/v2/client-grants' && method === 'GET') {
      authorize(request, 'read:client_grants');
      const { page, perPage, includeTotals } = pageParams(query);
      const all = [...grants.values()].filter(
        (grant) =>
          (!query.get('client_id') || grant.client_id === query.get('client_id')) && (!query.get('audience') || grant.audience === query.get('audience')),
      );
      const slice = all.slice(page * perPage, page * perPage + perPage);
      return {
        route: 'GET /api/v2/client-grants',
        status: 200,
        body: includeTotals ? { start: page * perPage, limit: perPage, length: slice.length, total: all.length, client_grants: slice } : slice,
      };
    }
    if (path === '/api/v2/users-by-email' && method === 'GET') {
      const scopes = authorize(request, 'read:users');
      const email = query.get('email');
      if (!email) throw badQuery('Missing required property: email');
      // Exact match, as Auth0 documents it ("case-sensitive"); Auth0 stores database-connection emails lower-cased.
      const found = [...users.values()].filter((user) => user.email === email);
      return { route: 'GET /api/v2/users-by-email', status: 200, body: found.map((user) => userView(user, scopes, query)) };
    }
    if (path === '/api/v2/users' && method === 'POST') {
      authorize(request, 'create:users');
      const extra = Object.keys(body).filter((key) => !USER_CREATE_PROPERTIES.has(key));
      if (extra.length) throw badBody(`Additional properties not allowed: ${extra.join(',')}`);
      if (typeof body.connection !== 'string' || !body.connection) throw badBody('Missing required property: connection');
      if (typeof body.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(body.email))
        throw badBody("Object didn't pass validation for format email: " + String(body.email));
      const user = newUser({
        email: body.email,
        connection: body.connection,
        ...(typeof body.email_verified === 'boolean' ? { email_verified: body.email_verified } : {}),
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
        ...(metadataPatch(body.app_metadata, 'app_metadata') ? { app_metadata: metadataPatch(body.app_metadata, 'app_metadata') } : {}),
        ...(metadataPatch(body.user_metadata, 'user_metadata') ? { user_metadata: metadataPatch(body.user_metadata, 'user_metadata') } : {}),
      });
      return { route: 'POST /api/v2/users', status: 201, body: user };
    }
    if ((match = /^\/api\/v2\/users\/([^/]+)$/.exec(path))) {
      const userId = decodeURIComponent(match[1]);
      if (method === 'GET') {
        const scopes = authorize(request, 'read:users');
        return { route: 'GET /api/v2/users/{id}', status: 200, body: userView(requireUser(userId), scopes, query) };
      }
      if (method === 'PATCH') {
        const onlyAppMetadata = Object.keys(body).every((key) => key === 'app_metadata');
        authorize(request, onlyAppMetadata ? 'update:users_app_metadata' : 'update:users');
        const extra = Object.keys(body).filter((key) => !USER_PATCH_PROPERTIES.has(key));
        if (extra.length) throw badBody(`Additional properties not allowed: ${extra.join(',')}`);
        const user = requireUser(userId);
        const appMetadata = metadataPatch(body.app_metadata, 'app_metadata');
        const userMetadata = metadataPatch(body.user_metadata, 'user_metadata');
        if (appMetadata) user.app_metadata = mergeMetadata(user.app_metadata, appMetadata);
        if (userMetadata) user.user_metadata = mergeMetadata(user.user_metadata, userMetadata);
        if (typeof body.email === 'string') user.email = body.email.trim().toLowerCase();
        if (typeof body.email_verified === 'boolean') user.email_verified = body.email_verified;
        if (typeof body.blocked === 'boolean') user.blocked = body.blocked;
        if (typeof body.name === 'string') user.name = body.name;
        user.updated_at = new Date().toISOString();
        return { route: 'PATCH /api/v2/users/{id}', status: 200, body: user };
      }
    }
    if ((match = /^\/api\/v2\/client-grants\/([^/]+)$/.exec(path)) && method === 'DELETE') {
      authorize(request, 'delete:client_grants');
      grants.delete(decodeURIComponent(match[1]));
      return { route: 'DELETE /api/v2/client-grants/{id}', status: 204, body: undefined };
    }
    throw new HttpError(404, 'Not Found', 'Not Found');
  };

  const landingPage = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Auth0 simulator (${tenant})</title></head>
<body><h1>Auth0 Management API simulator: ${tenant}</h1><p>This is a local simulator of an Auth0 tenant, started by LoginBridge for development. It is not Auth0.</p>
<p>${clients.size} clients, ${grants.size} client grants in memory.</p></body></html>`;

  const server: Server = createServer(async (request, response) => {
    const parsed = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    try {
      const raw = await readBody(request);
      if (parsed.pathname === '/' && method === 'GET') {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end(landingPage());
        return;
      }
      counters.total += 1;
      const failure = takeFailure(method, parsed.pathname);
      if (failure?.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (failure?.status) {
        const status = failure.status;
        const headers = status === 429 ? rateHeaders(0, failure.resetInSeconds ?? 1) : {};
        const error = status === 429 ? 'Too Many Requests' : status >= 500 ? 'Internal Server Error' : 'Error';
        const message = status === 429 ? 'Global limit has been reached' : 'Simulated failure';
        sendError(response, new HttpError(status, error, message, status === 429 ? 'too_many_requests' : undefined), headers);
        return;
      }
      if (options.rateLimitPerWindow !== undefined) {
        if (Date.now() - windowStart >= 1000) {
          windowStart = Date.now();
          windowCount = 0;
        }
        windowCount += 1;
        if (windowCount > options.rateLimitPerWindow) {
          sendError(response, new HttpError(429, 'Too Many Requests', 'Global limit has been reached', 'too_many_requests'), rateHeaders(0));
          return;
        }
      }
      const body = parseBody(raw, request.headers['content-type']);
      if (parsed.pathname === '/oauth/token' && method === 'POST') {
        try {
          send(response, 200, issueToken(body, request));
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          // The token endpoint speaks OAuth: { error, error_description }.
          send(response, error.status, { error: error.errorCode ?? error.error, error_description: error.message });
        }
        return;
      }
      const result = await routeManagement(request, parsed.pathname, parsed.searchParams, body);
      counters.calls[result.route] = (counters.calls[result.route] ?? 0) + 1;
      send(response, result.status, result.body, rateHeaders((options.rateLimitPerWindow ?? 50) - windowCount));
    } catch (error) {
      if (error instanceof HttpError) sendError(response, error);
      else sendError(response, new HttpError(500, 'Internal Server Error', 'Simulator error'));
    }
  });

  url = await listen(server, options.port ?? 0, '127.0.0.1');

  return {
    url,
    tenant,
    managementClientId,
    managementClientSecret,
    env: (prefix) => ({
      [`${prefix}_AUTH0_MANAGEMENT_CLIENT_DOMAIN`]: url,
      [`${prefix}_AUTH0_MANAGEMENT_CLIENT_ID`]: managementClientId,
      [`${prefix}_AUTH0_MANAGEMENT_CLIENT_SECRET`]: managementClientSecret,
    }),
    counters,
    resetCounters: () => {
      counters.managementTokens = 0;
      counters.clientTokens = 0;
      counters.calls = {};
      counters.total = 0;
    },
    failNext: (count, failure) => {
      failures.push({ ...failure, remaining: count });
    },
    failNextClientGrant: (status = 500) => {
      failures.push({ status, path: '/api/v2/client-grants', method: 'POST', remaining: 1 });
    },
    clearFailures: () => {
      failures.length = 0;
    },
    clients: () => [...clients.values()].map((client) => ({ ...client })),
    grants: () => [...grants.values()].map((grant) => ({ ...grant })),
    addClient: (partial) => {
      const client: SimulatedClient = {
        client_id: id('', 24),
        client_secret: randomBytes(48).toString('base64url'),
        app_type: 'non_interactive',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
        client_metadata: {},
        is_first_party: true,
        tenant,
        ...partial,
      };
      clients.set(client.client_id, client);
      return { ...client };
    },
    addUser: (input) => ({ ...newUser(input) }),
    users: () => [...users.values()].map((user) => ({ ...user })),
    stop: () => close(server),
  };
}
