import type { Clock } from '../../core/clock';
import {
  PartnerBusyError,
  type PartnerName,
  PartnerProtocolError,
  PartnerRejectedError,
  PartnerTimeoutError,
  PartnerUnavailableError,
} from '../../core/errors';
import type { Environment, ManagedClient, ManagedClientWithSecret, ManagedGrant, ManagedUser, ManagementApi } from '../../core/portal/ports';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy, retryDecision } from '../../core/sso/retry';
import { TokenCache } from '../../core/sso/token-cache';
import { type TenantCredentialSource, type TenantCredentials, tenantBaseUrl } from './credentials';

/**
 * A small typed client for the parts of Auth0's Management API v2 the portal
 * uses (docs/portal.md, "Setting up Auth0"), rather than the official `auth0` SDK (v7), because:
 * - the SDK builds every URL as `https://${domain}` and refuses a domain with
 *   a scheme or slash, so it cannot reach a plain-http simulator on 127.0.0.1;
 * - its built-in retries also repeat `POST /clients` after a 5xx or timeout,
 *   which can create a second client (an orphan the team never sees), and wait
 *   up to 60 s for a rate-limit reset, beyond API Gateway's 29 s;
 * - it weighs ~13 MB against a few hundred lines here.
 *
 * Behaviour: one management token per tenant, cached until shortly before it
 * expires and dropped on a 401; 429 retried after `x-ratelimit-reset` within a
 * bound, then PartnerBusyError (503); 5xx retried only where repeating is
 * harmless; every Auth0 failure becomes a Partner*Error whose message names
 * the tenant and what to check, never a secret or a token.
 */
export interface ManagementClientOptions {
  environment: Environment;
  credentials: TenantCredentialSource;
  clock: Clock;
  /** Per HTTP request. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /** The whole budget of one operation, retries and waits included. */
  budgetMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const PER_PAGE = 100;
const MAX_PAGES = 1000;
const CLIENT_FIELDS = 'client_id,name,app_type,client_metadata';

interface Call {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** What the call does, for messages: "create a client". */
  label: string;
  /** Whether repeating the call after a 5xx is harmless. */
  idempotent: boolean;
}

interface Answer {
  status: number;
  json: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export class Auth0ManagementClient implements ManagementApi {
  readonly environment: Environment;
  private readonly partner: PartnerName;
  private readonly tokens: TokenCache;
  private readonly retry: RetryPolicy;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ManagementClientOptions) {
    this.environment = options.environment;
    this.partner = options.environment === 'sandbox' ? 'Auth0 sandbox' : 'Auth0 production';
    // Auth0's management tokens live 24 h by default: use each until a minute before it expires.
    this.tokens = new TokenCache(options.clock, { refreshMarginSeconds: 60, maxLifeShare: 1 });
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.fetcher = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async tokenUrl(): Promise<string> {
    return `${tenantBaseUrl((await this.options.credentials.get()).domain)}/oauth/token`;
  }

  async createClient(input: { name: string; metadata: Record<string, string> }): Promise<ManagedClientWithSecret> {
    const { json } = await this.call({
      method: 'POST',
      path: '/api/v2/clients',
      body: {
        name: input.name,
        app_type: 'non_interactive',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_post',
        client_metadata: input.metadata,
      },
      label: 'create a client',
      // A 5xx may come after Auth0 created the client: never repeat; the caller cleans up by its operation tag.
      idempotent: false,
    });
    return this.withSecret(json, 'create a client');
  }

  async getClient(clientId: string): Promise<ManagedClient | undefined> {
    const answer = await this.call({
      method: 'GET',
      path: `/api/v2/clients/${encodeURIComponent(clientId)}`,
      query: { fields: CLIENT_FIELDS, include_fields: 'true' },
      label: 'read a client',
      idempotent: true,
    });
    return answer.status === 404 ? undefined : this.client(answer.json, 'read a client');
  }

  async listClients(): Promise<ManagedClient[]> {
    const clients: ManagedClient[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { json } = await this.call({
        method: 'GET',
        path: '/api/v2/clients',
        query: {
          fields: CLIENT_FIELDS,
          include_fields: 'true',
          app_type: 'non_interactive',
          per_page: String(PER_PAGE),
          page: String(page),
          include_totals: 'true',
        },
        label: 'list clients',
        idempotent: true,
      });
      const items = isRecord(json) && Array.isArray(json.clients) ? json.clients : undefined;
      if (!items) throw new PartnerProtocolError(this.partner, 'the client list has no "clients" array');
      clients.push(...items.map((item) => this.client(item, 'list clients')));
      const total = typeof (json as Record<string, unknown>).total === 'number' ? ((json as Record<string, unknown>).total as number) : undefined;
      if (items.length < PER_PAGE || (total !== undefined && (page + 1) * PER_PAGE >= total)) return clients;
    }
    return clients;
  }

  async rotateSecret(clientId: string): Promise<ManagedClientWithSecret | undefined> {
    const answer = await this.call({
      method: 'POST',
      path: `/api/v2/clients/${encodeURIComponent(clientId)}/rotate-secret`,
      label: 'rotate a client secret',
      // Rotating twice only makes the secret we return newer; the one it replaces was never handed out.
      idempotent: true,
    });
    return answer.status === 404 ? undefined : this.withSecret(answer.json, 'rotate a client secret');
  }

  async deleteClient(clientId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `/api/v2/clients/${encodeURIComponent(clientId)}`, label: 'delete a client', idempotent: true });
  }

  async createGrant(input: { clientId: string; audience: string; scope: string[] }): Promise<ManagedGrant> {
    const { json } = await this.call({
      method: 'POST',
      path: '/api/v2/client-grants',
      body: { client_id: input.clientId, audience: input.audience, scope: input.scope },
      label: `grant the client access to ${input.audience}`,
      idempotent: false,
    });
    return this.grant(json, 'create a client grant');
  }

  async listGrants(filter: { clientId?: string } = {}): Promise<ManagedGrant[]> {
    const grants: ManagedGrant[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { json } = await this.call({
        method: 'GET',
        path: '/api/v2/client-grants',
        query: { per_page: String(PER_PAGE), page: String(page), include_totals: 'true', ...(filter.clientId ? { client_id: filter.clientId } : {}) },
        label: 'list client grants',
        idempotent: true,
      });
      const items = isRecord(json) && Array.isArray(json.client_grants) ? json.client_grants : undefined;
      if (!items) throw new PartnerProtocolError(this.partner, 'the grant list has no "client_grants" array');
      grants.push(...items.map((item) => this.grant(item, 'list client grants')));
      const total = typeof (json as Record<string, unknown>).total === 'number' ? ((json as Record<string, unknown>).total as number) : undefined;
      if (items.length < PER_PAGE || (total !== undefined && (page + 1) * PER_PAGE >= total)) return grants;
    }
    return grants;
  }

  async deleteGrant(grantId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `/api/v2/client-grants/${encodeURIComponent(grantId)}`, label: 'delete a client grant', idempotent: true });
  }

  async usersByEmail(email: string): Promise<ManagedUser[]> {
    const { json } = await this.call({
      method: 'GET',
      path: '/api/v2/users-by-email',
      query: { email, fields: 'user_id,email,app_metadata', include_fields: 'true' },
      label: 'look up users by email',
      idempotent: true,
    });
    if (!Array.isArray(json)) throw new PartnerProtocolError(this.partner, 'the users-by-email answer is not an array');
    return json
      .filter(isRecord)
      .flatMap((user) =>
        typeof user.user_id === 'string' && typeof user.email === 'string'
          ? [{ userId: user.user_id, email: user.email, appMetadata: isRecord(user.app_metadata) ? user.app_metadata : {} }]
          : [],
      );
  }

  private client(value: unknown, label: string): ManagedClient {
    if (!isRecord(value) || typeof value.client_id !== 'string') throw new PartnerProtocolError(this.partner, `no client_id when trying to ${label}`);
    const metadata: Record<string, string> = {};
    if (isRecord(value.client_metadata)) for (const [key, item] of Object.entries(value.client_metadata)) if (typeof item === 'string') metadata[key] = item;
    return {
      clientId: value.client_id,
      name: typeof value.name === 'string' ? value.name : value.client_id,
      ...(typeof value.app_type === 'string' ? { appType: value.app_type } : {}),
      metadata,
    };
  }

  private withSecret(value: unknown, label: string): ManagedClientWithSecret {
    const client = this.client(value, label);
    const secret = (value as Record<string, unknown>).client_secret;
    if (typeof secret !== 'string' || !secret) throw new PartnerProtocolError(this.partner, `no client_secret when trying to ${label}`);
    return { ...client, clientSecret: secret };
  }

  private grant(value: unknown, label: string): ManagedGrant {
    if (!isRecord(value) || typeof value.id !== 'string' || typeof value.client_id !== 'string' || typeof value.audience !== 'string') {
      throw new PartnerProtocolError(this.partner, `a malformed client grant when trying to ${label}`);
    }
    return {
      id: value.id,
      clientId: value.client_id,
      audience: value.audience,
      scope: Array.isArray(value.scope) ? value.scope.filter((scope): scope is string => typeof scope === 'string') : [],
    };
  }

  /** A Management API call with the cached token; 404 is returned to the caller, every other failure thrown. */
  private async call(call: Call): Promise<Answer> {
    const deadline = this.options.clock.now() + (this.options.budgetMs ?? 20_000);
    let credentials = await this.options.credentials.get();
    let retriedToken = false;
    for (let retries = 0; ; ) {
      const token = await this.managementToken(credentials, deadline);
      const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
      const response = await this.send(`${tenantBaseUrl(credentials.domain)}${call.path}${query}`, {
        method: call.method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
      if (response.status === 401 && !retriedToken) {
        // An expired or revoked token (or a key rollover at Auth0): get a fresh one, once.
        this.tokens.invalidate(token);
        retriedToken = true;
        credentials = await this.options.credentials.get();
        continue;
      }
      const again = await this.shouldRetry(response, retries, deadline, call.idempotent);
      if (again) {
        retries += 1;
        continue;
      }
      if (response.status === 404) return { status: 404, json: undefined };
      if (!response.ok) throw await this.failure(response, call.label);
      return { status: response.status, json: response.status === 204 ? undefined : await this.json(response, call.label) };
    }
  }

  /** Waits and answers true when the response says "not now" and the bound allows another try; throws when it does not. */
  private async shouldRetry(response: Response, retries: number, deadline: number, idempotent: boolean): Promise<boolean> {
    const rateLimited = response.status === 429;
    const transient = response.status >= 500 && idempotent;
    if (!rateLimited && !transient) return false;
    const now = this.options.clock.now();
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    const retryAfterMs =
      rateLimited && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : parseRetryAfter(response.headers.get('retry-after'), now);
    const decision = retryDecision(this.retry, retries, retryAfterMs, deadline - now);
    await response.body?.cancel().catch(() => undefined);
    if (decision.retry) {
      await this.sleep(decision.delayMs);
      return true;
    }
    if (rateLimited) throw new PartnerBusyError(this.partner, decision.retryAfterSeconds);
    throw new PartnerUnavailableError(this.partner);
  }

  private async managementToken(credentials: TenantCredentials, deadline: number): Promise<string> {
    const base = tenantBaseUrl(credentials.domain);
    return this.tokens.get(`${base}|${credentials.clientId}`, async () => {
      let current = credentials;
      for (let retries = 0, reloaded = false; ; ) {
        const response = await this.send(`${tenantBaseUrl(current.domain)}/oauth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: current.clientId,
            client_secret: current.clientSecret,
            audience: `${tenantBaseUrl(current.domain)}/api/v2/`,
          }),
        });
        if ((response.status === 401 || response.status === 403) && !reloaded) {
          // The secret may have been rotated since we cached it.
          await response.body?.cancel().catch(() => undefined);
          reloaded = true;
          current = await this.options.credentials.reload();
          continue;
        }
        if (await this.shouldRetry(response, retries, deadline, true)) {
          retries += 1;
          continue;
        }
        if (response.status === 401 || response.status === 403) {
          await response.body?.cancel().catch(() => undefined);
          throw new PartnerRejectedError(
            this.partner,
            `${this.partner} refused the management client's credentials. Check ${this.options.credentials.setting}, and that the client is authorized for the Auth0 Management API of that tenant.`,
            this.options.credentials.setting,
          );
        }
        if (!response.ok) throw await this.failure(response, 'get a management token');
        const json = await this.json(response, 'get a management token');
        if (!isRecord(json) || typeof json.access_token !== 'string' || typeof json.expires_in !== 'number') {
          throw new PartnerProtocolError(this.partner, 'the token answer has no access_token or expires_in');
        }
        return { value: json.access_token, expiresInSeconds: json.expires_in };
      }
    });
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetcher(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      // The abort reason is a DOMException, which is not always an Error of this realm: look at its name only.
      const name = (error as { name?: unknown } | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new PartnerTimeoutError(this.partner, { cause: error });
      throw new PartnerUnavailableError(this.partner, { cause: error });
    }
  }

  private async json(response: Response, label: string): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      throw new PartnerProtocolError(this.partner, `an answer that is not JSON when trying to ${label}`, { cause: error });
    }
  }

  /** Auth0's `{statusCode, error, message, errorCode}` as a safe, specific error. */
  private async failure(response: Response, label: string): Promise<Error> {
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      return new PartnerUnavailableError(this.partner);
    }
    let detail = '';
    try {
      const body = (await response.json()) as Record<string, unknown>;
      const code = typeof body.errorCode === 'string' ? body.errorCode : typeof body.error === 'string' ? body.error : '';
      const message = typeof body.message === 'string' ? body.message : typeof body.error_description === 'string' ? body.error_description : '';
      // Auth0's messages describe our request (never echo a secret: we send none outside the token call); keep them short.
      detail = [code, message.slice(0, 200)].filter(Boolean).join(': ');
    } catch {
      detail = `HTTP ${response.status}`;
    }
    if (response.status === 403) {
      return new PartnerRejectedError(
        this.partner,
        `${this.partner} did not allow the portal to ${label} (${detail || 'forbidden'}). The management client needs read, create, update and delete on clients, client_keys and client_grants.`,
        this.options.credentials.setting,
      );
    }
    return new PartnerRejectedError(this.partner, `${this.partner} refused to ${label} (HTTP ${response.status}${detail ? `, ${detail}` : ''}).`);
  }
}
