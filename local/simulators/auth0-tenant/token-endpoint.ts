import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../kit/tokens';
import { Auth0Error } from './errors';
import type { SimulatedClient, TenantRecords } from './records';

/** The tenant's management client: its credentials, the scopes of its tokens and the audiences it may ask for. */
export interface ManagementClient {
  readonly id: string;
  readonly secret: string;
  readonly scopes: string[];
  readonly tokenTtlSeconds: number;
  audiences(): string[];
}

export interface TokenCounters {
  managementTokens: number;
  clientTokens: number;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const CLIENT_TOKEN_SECONDS = 86400;
const accessDenied = () => new Auth0Error(401, 'access_denied', 'Unauthorized', 'access_denied');

/** The client credentials of a token request: in the body (client_secret_post) or as HTTP Basic. */
function presentedCredentials(body: Record<string, unknown>, request: IncomingMessage): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!basic || body.client_id) return { id: body.client_id as string | undefined, secret: body.client_secret as string | undefined };
  const [user, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
  return { id: decodeURIComponent(user ?? ''), secret: decodeURIComponent(pass ?? '') };
}

function managementToken(management: ManagementClient, records: TenantRecords, counters: TokenCounters, secret: string, audience: string): TokenAnswer {
  if (!sameSecret(secret, management.secret)) throw accessDenied();
  if (!management.audiences().includes(audience)) throw new Auth0Error(403, 'access_denied', `Service not found: ${audience}`, 'access_denied');
  counters.managementTokens += 1;
  const expiresAt = Date.now() + management.tokenTtlSeconds * 1000;
  const accessToken = records.issueToken('mgmt.', { kind: 'management', scopes: management.scopes, expiresAt });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: management.tokenTtlSeconds, scope: management.scopes.join(' ') };
}

/** A token for a client the tenant holds, for an API it was granted (a client grant for that audience). */
function clientToken(client: SimulatedClient, records: TenantRecords, counters: TokenCounters, audience: string): TokenAnswer {
  if (!client.grant_types.includes('client_credentials'))
    throw new Auth0Error(403, 'unauthorized_client', 'Grant type client_credentials not allowed for the client.', 'unauthorized_client');
  const grant = records.grantFor(client.client_id, audience);
  if (!grant) {
    const message = `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`;
    throw new Auth0Error(403, 'access_denied', message, 'access_denied');
  }
  counters.clientTokens += 1;
  const accessToken = records.issueToken('api.', { kind: 'client', scopes: grant.scope, expiresAt: Date.now() + CLIENT_TOKEN_SECONDS * 1000 });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: CLIENT_TOKEN_SECONDS, scope: grant.scope.join(' ') };
}

/** `POST /oauth/token` with the client-credentials grant, for the management client or a client the tenant holds. */
export function issueToken(
  request: IncomingMessage,
  body: Record<string, unknown>,
  management: ManagementClient,
  records: TenantRecords,
  counters: TokenCounters,
): TokenAnswer {
  const credentials = presentedCredentials(body, request);
  if (body.grant_type !== 'client_credentials') throw new Auth0Error(400, 'unsupported_grant_type', 'Unsupported grant type', 'unsupported_grant_type');
  const audience = body.audience;
  if (typeof audience !== 'string' || !audience) throw new Auth0Error(400, 'invalid_request', 'Missing required parameter: audience', 'invalid_request');
  if (credentials.id === management.id) return managementToken(management, records, counters, credentials.secret ?? '', audience);
  const client = credentials.id ? records.clients.get(credentials.id) : undefined;
  if (!client || !sameSecret(credentials.secret ?? '', client.client_secret)) throw accessDenied();
  return clientToken(client, records, counters, audience);
}
