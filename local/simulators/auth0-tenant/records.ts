import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearer } from '../common';
import { selectFields } from './body';
import { Auth0Error } from './errors';

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

/** What `POST /api/v2/users` and the dashboard's "Create user" give. */
export interface NewUser {
  email: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  email_verified?: boolean;
  connection?: string;
  name?: string;
}

/** An access token the tenant issued: to the management client, or to a client for a granted API. */
interface IssuedToken {
  kind: 'management' | 'client';
  scopes: string[];
  expiresAt: number;
}

export const newId = (prefix: string, bytes = 16) => `${prefix}${randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x')}`;
export const newClientSecret = () => randomBytes(48).toString('base64url');

/** A client as the Management API shows it, with the defaults it adds. */
export const clientView = (client: SimulatedClient) => ({
  ...client,
  global: false,
  callbacks: [],
  allowed_origins: [],
  jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 },
});

/** What a token may see of a user: app_metadata only with read:users_app_metadata. */
export function userView(user: SimulatedUser, scopes: readonly string[], query: URLSearchParams) {
  const { app_metadata, ...rest } = user;
  return selectFields(scopes.includes('read:users_app_metadata') ? { ...rest, app_metadata } : rest, query);
}

/** The clients, grants, users and live tokens of one simulated tenant, in memory. */
export class TenantRecords {
  readonly clients = new Map<string, SimulatedClient>();
  readonly grants = new Map<string, SimulatedGrant>();
  readonly users = new Map<string, SimulatedUser>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(readonly tenant: string) {}

  addClient(fields: Partial<SimulatedClient> & { name: string }): SimulatedClient {
    const client: SimulatedClient = {
      client_id: newId('', 24),
      client_secret: newClientSecret(),
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      client_metadata: {},
      is_first_party: true,
      tenant: this.tenant,
      ...fields,
    };
    this.clients.set(client.client_id, client);
    return client;
  }

  client(clientId: string): SimulatedClient {
    const client = this.clients.get(clientId);
    if (!client) throw new Auth0Error(404, 'Not Found', 'The client does not exist', 'inexistent_client');
    return client;
  }

  grantFor(clientId: string, audience: string): SimulatedGrant | undefined {
    return [...this.grants.values()].find((grant) => grant.client_id === clientId && grant.audience === audience);
  }

  /** A user of a connection; the email is stored lower-cased, and a connection holds one user per email. */
  addUser(input: NewUser): SimulatedUser {
    const email = input.email.trim().toLowerCase();
    const connection = input.connection ?? 'Username-Password-Authentication';
    if ([...this.users.values()].some((user) => user.email === email && user.identities[0]?.connection === connection))
      throw new Auth0Error(409, 'Conflict', 'The user already exists.', 'auth0_idp_error');
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
    this.users.set(user.user_id, user);
    return user;
  }

  user(userId: string): SimulatedUser {
    const user = this.users.get(userId);
    if (!user) throw new Auth0Error(404, 'Not Found', 'The user does not exist.', 'inexistent_user');
    return user;
  }

  /** Forgets every client, grant, user and live token. */
  forgetAll(): void {
    this.clients.clear();
    this.grants.clear();
    this.users.clear();
    this.tokens.clear();
  }

  issueToken(prefix: string, token: IssuedToken): string {
    const accessToken = newId(prefix, 24);
    this.tokens.set(accessToken, token);
    return accessToken;
  }

  /**
   * The scopes of the request's management token: 401 when it is missing
   * ("Missing authentication", as Auth0 words it), unknown, not a management
   * token or expired; 403 without `scope`.
   */
  authorize(request: IncomingMessage, scope: string): string[] {
    const presented = bearer(request);
    if (!presented) throw new Auth0Error(401, 'Unauthorized', 'Missing authentication');
    const token = this.tokens.get(presented);
    if (token?.kind !== 'management') throw new Auth0Error(401, 'Unauthorized', 'Invalid token', 'invalid_token');
    if (token.expiresAt <= Date.now()) throw new Auth0Error(401, 'Unauthorized', 'Expired token received for JSON Web Token validation', 'invalid_token');
    if (!token.scopes.includes(scope)) throw new Auth0Error(403, 'Forbidden', `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
    return token.scopes;
  }
}
