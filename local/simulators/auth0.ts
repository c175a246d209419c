import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody } from './auth0-tenant/body';
import { type ManagementEndpoint, managementEndpoints } from './auth0-tenant/endpoints';
import { Auth0Error, notFound, sendAnswer, sendAuth0Error, simulatorFailure, tooManyRequests } from './auth0-tenant/errors';
import { type NewUser, newId, type SimulatedClient, type SimulatedGrant, type SimulatedUser, TenantRecords } from './auth0-tenant/records';
import { MANAGEMENT_SCOPES } from './auth0-tenant/schema';
import { issueToken, type ManagementClient } from './auth0-tenant/token-endpoint';
import { CallCounter, close, escapeHtml, FaultPlan, listen, readBody } from './common';
import { answerFault, type ErrorFaultKind, type FaultAnswers } from './kit/faults';
import { RateWindow, rateLimitHeaders } from './kit/rate-window';
import { RequestFailures } from './kit/request-failures';
import { partnerServer, type SimulatorRoute } from './kit/server';

/**
 * A local stand-in for one Auth0 tenant's Management API (and the token
 * endpoint next to it), as docs/portal.md, "Setting up Auth0" describes it: client-credentials
 * tokens for the management client, clients and client grants kept in memory,
 * Auth0's validation of request bodies (unknown properties refused, metadata
 * values strings), pagination with `include_totals`, secret rotation, deletes,
 * rate-limit headers. Tests drive it in-process: they can make it answer 429
 * (with `x-ratelimit-reset`), 5xx or slowly, fail the next client-grant
 * creation, and read its call counters. It runs on the simulator kit, so the
 * kit's control endpoints (`/__simulator/faults`, `/calls`, `/reset`) work too.
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

export { mergeMetadata } from './auth0-tenant/body';
export type { SimulatedClient, SimulatedGrant, SimulatedUser } from './auth0-tenant/records';
export { MANAGEMENT_SCOPES } from './auth0-tenant/schema';

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
  addUser(user: Omit<NewUser, 'user_metadata' | 'name'>): SimulatedUser;
  users(): SimulatedUser[];
  stop(): Promise<void>;
}

const TOKEN_PATH = '/oauth/token';
/** The limit `x-ratelimit-limit` names when the tenant has none configured. */
const DEFAULT_RATE_LIMIT = 50;

/** The Auth0 error of a failure a test queued with `failNext`. */
function queuedFailureError(status: number): Auth0Error {
  if (status === 429) return tooManyRequests();
  return new Auth0Error(status, status >= 500 ? 'Internal Server Error' : 'Error', 'Simulated failure');
}

const KIT_FAULT_ERRORS: Record<ErrorFaultKind, readonly [error: string, message: string, errorCode: string]> = {
  'reject-credentials': ['access_denied', 'Unauthorized', 'access_denied'],
  unauthorized: ['Unauthorized', 'Invalid token', 'invalid_token'],
  'rate-limit': ['Too Many Requests', 'Global limit has been reached', 'too_many_requests'],
  'server-error': ['Internal Server Error', 'Simulated failure', 'internal_error'],
};

/** Auth0's answers to the kit's faults: OAuth errors at the token endpoint, Management API errors elsewhere. */
function kitFaultAnswers(rateLimit: number): FaultAnswers {
  return {
    malformedBody: '{"access_token": ',
    errorBody: (kind, path, status) => {
      const [error, message, errorCode] = KIT_FAULT_ERRORS[kind];
      if (path === TOKEN_PATH) return { error: errorCode, error_description: message };
      return { statusCode: status, error, message, errorCode };
    },
    errorHeaders: (fault) => (fault.kind === 'rate-limit' ? rateLimitHeaders(rateLimit, 0, fault.retryAfterSeconds ?? 1) : {}),
  };
}

const emptyCounters = (): Auth0SimulatorCounters => ({ managementTokens: 0, clientTokens: 0, calls: {}, total: 0 });

/** The management client's settings from the options, with Auth0's defaults. */
function managementClient(options: Auth0SimulatorOptions, tenantUrl: () => string): ManagementClient {
  return {
    id: options.managementClientId ?? newId('mgmt', 12),
    secret: options.managementClientSecret ?? randomBytes(32).toString('base64url'),
    scopes: options.managementScopes ?? [...MANAGEMENT_SCOPES],
    tokenTtlSeconds: options.tokenTtlSeconds ?? 86400,
    // The Management API's identifier: the tenant's own URL, or its https form.
    audiences: () => [`${tenantUrl()}/api/v2/`, `https://${new URL(tenantUrl()).host}/api/v2/`],
  };
}

/** Starts a simulated tenant on 127.0.0.1 (a free port unless one is given). */
export async function startAuth0Simulator(options: Auth0SimulatorOptions = {}): Promise<Auth0Simulator> {
  const tenant = new Auth0Tenant(options);
  return tenant.start(options.port ?? 0);
}

/** One running simulated tenant: its records, counters, queued failures and rate window, served on the kit. */
class Auth0Tenant {
  private readonly records: TenantRecords;
  private readonly management: ManagementClient;
  private readonly counters = emptyCounters();
  private readonly failures = new RequestFailures<FailureOptions>();
  private readonly rateWindow?: RateWindow;
  private readonly rateLimit: number;
  private readonly plan = new FaultPlan((kind) => (kind === 'reject-credentials' ? TOKEN_PATH : '/api/v2/clients'));
  private readonly counter = new CallCounter();
  private url = '';

  constructor(private readonly options: Auth0SimulatorOptions) {
    this.records = new TenantRecords(options.tenant ?? 'sandbox');
    this.management = managementClient(options, () => this.url);
    this.rateLimit = options.rateLimitPerWindow ?? DEFAULT_RATE_LIMIT;
    if (options.rateLimitPerWindow !== undefined) this.rateWindow = new RateWindow(options.rateLimitPerWindow);
  }

  /** Every answer of the Management API carries the rate-limit headers. */
  private rateHeaders(resetInSeconds?: number, remaining = this.rateWindow?.remaining() ?? this.rateLimit): Record<string, string> {
    return rateLimitHeaders(this.rateLimit, remaining, resetInSeconds);
  }

  /**
   * Before any route: the call is counted, then a queued failure may answer it;
   * from the rate window on, every answer carries the x-ratelimit-* headers (Auth0
   * sends them on every response, errors and the token endpoint included), and the
   * rate limit or a kit fault may answer it.
   */
  private async intercept(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
    this.counters.total += 1;
    const failure = this.failures.take(request.method ?? 'GET', path);
    if (failure?.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    if (failure?.status) {
      const headers = failure.status === 429 ? this.rateHeaders(failure.resetInSeconds ?? 1, 0) : this.rateHeaders();
      sendAuth0Error(response, queuedFailureError(failure.status), headers);
      return true;
    }
    const admitted = this.rateWindow?.admit() ?? true;
    for (const [name, value] of Object.entries(this.rateHeaders())) response.setHeader(name, value);
    if (!admitted) {
      sendAuth0Error(response, tooManyRequests(), this.rateHeaders(1, 0));
      return true;
    }
    return answerFault(this.plan.take(path), response, path, kitFaultAnswers(this.rateLimit));
  }

  /** `POST /oauth/token`: OAuth's error shape `{error, error_description}`, not the Management API's. */
  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parseBody(await readBody(request), request.headers['content-type']);
    try {
      sendAnswer(response, 200, issueToken(request, body, this.management, this.records, this.counters));
    } catch (error) {
      if (!(error instanceof Auth0Error)) throw error;
      sendAnswer(response, error.status, { error: error.errorCode ?? error.error, error_description: error.message });
    }
  }

  /** A Management API row as a kit route: body, then token and scope, then the endpoint's answer, counted by its pattern. */
  private managementRoute(endpoint: ManagementEndpoint): SimulatorRoute {
    const name = `${endpoint.method} ${endpoint.path}`;
    return {
      method: endpoint.method,
      path: endpoint.path,
      handle: async (request, response, url, params) => {
        const body = parseBody(await readBody(request), request.headers['content-type']);
        const scopes = this.records.authorize(request, typeof endpoint.scope === 'function' ? endpoint.scope(body) : endpoint.scope);
        const answer = endpoint.answer({ request, query: url.searchParams, body, params, scopes });
        this.counters.calls[name] = (this.counters.calls[name] ?? 0) + 1;
        sendAnswer(response, answer.status, answer.body);
      },
    };
  }

  /** Auth0's errors as answers; anything else is a failure of the simulator itself. */
  private answeringErrors(route: SimulatorRoute): SimulatorRoute {
    return {
      ...route,
      handle: async (request, response, url, params) => {
        try {
          await route.handle(request, response, url, params);
        } catch (error) {
          if (!(error instanceof Auth0Error)) throw error;
          sendAuth0Error(response, error);
        }
      },
    };
  }

  private routes(): SimulatorRoute[] {
    const endpoints = managementEndpoints({ records: this.records, resourceServers: this.options.resourceServers });
    const token: SimulatorRoute = { method: 'POST', path: TOKEN_PATH, handle: (request, response) => this.token(request, response) };
    return [token, ...endpoints.map((endpoint) => this.managementRoute(endpoint))].map((route) => this.answeringErrors(route));
  }

  private landing(): string {
    const { records } = this;
    return `Management API of the tenant ${escapeHtml(records.tenant)}: ${records.clients.size} clients, ${records.grants.size} client grants in memory.`;
  }

  private resetCounters(): void {
    Object.assign(this.counters, emptyCounters());
  }

  /** `POST /__simulator/reset`: forgets failures, faults, counts and everything the tenant stored. */
  private reset(): void {
    this.failures.clear();
    this.plan.clear();
    this.counter.reset();
    this.resetCounters();
    this.records.forgetAll();
  }

  async start(port: number): Promise<Auth0Simulator> {
    const server = partnerServer({
      partner: `Auth0 (${this.records.tenant})`,
      landing: () => this.landing(),
      routes: this.routes(),
      plan: this.plan,
      counter: this.counter,
      reset: () => this.reset(),
      intercept: (request, response, path) => this.intercept(request, response, path),
      notFound: (response) => sendAuth0Error(response, notFound()),
      failed: (response) => sendAuth0Error(response, simulatorFailure()),
    });
    this.url = await listen(server, port, '127.0.0.1');
    return this.controls(() => close(server));
  }

  private controls(stop: () => Promise<void>): Auth0Simulator {
    const { records, management, counters, failures, url } = this;
    return {
      url,
      tenant: records.tenant,
      managementClientId: management.id,
      managementClientSecret: management.secret,
      env: (prefix) => ({
        [`${prefix}_AUTH0_MANAGEMENT_CLIENT_DOMAIN`]: url,
        [`${prefix}_AUTH0_MANAGEMENT_CLIENT_ID`]: management.id,
        [`${prefix}_AUTH0_MANAGEMENT_CLIENT_SECRET`]: management.secret,
      }),
      counters,
      resetCounters: () => this.resetCounters(),
      failNext: (count, failure) => failures.add(count, failure),
      failNextClientGrant: (status = 500) => failures.add(1, { status, path: '/api/v2/client-grants', method: 'POST' }),
      clearFailures: () => failures.clear(),
      clients: () => [...records.clients.values()].map((client) => ({ ...client })),
      grants: () => [...records.grants.values()].map((grant) => ({ ...grant })),
      addClient: (fields) => ({ ...records.addClient(fields) }),
      addUser: (input) => ({ ...records.addUser(input) }),
      users: () => [...records.users.values()].map((user) => ({ ...user })),
      stop,
    };
  }
}
