import type { IncomingMessage } from 'node:http';
import type { PathParams } from '../kit/server';
import { mergeMetadata, metadataPatch, pageOf, pageParams, refuseUnknownProperties, selectFields } from './body';
import { Auth0Error, badBody, badQuery } from './errors';
import { clientView, newClientSecret, newId, type SimulatedClient, type SimulatedGrant, type SimulatedUser, type TenantRecords, userView } from './records';
import { checkClientBody, checkGrantBody, USER_CREATE_PROPERTIES, USER_PATCH_PROPERTIES } from './schema';

/** One authorized Management API request. */
export interface ManagementCall {
  readonly request: IncomingMessage;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly params: PathParams;
  /** The scopes of the caller's token (it carries the endpoint's scope). */
  readonly scopes: readonly string[];
}

export interface ManagementAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** One row of the Management API: method, path (with `{id}`), the scope it needs, and its answer. */
export interface ManagementEndpoint {
  readonly method: string;
  readonly path: string;
  readonly scope: string | ((body: Record<string, unknown>) => string);
  answer(call: ManagementCall): ManagementAnswer;
}

export interface EndpointContext {
  readonly records: TenantRecords;
  /** API identifiers client grants may name; absent: any audience. */
  readonly resourceServers?: readonly string[];
}

const ok = (body: unknown): ManagementAnswer => ({ status: 200, body });
const created = (body: unknown): ManagementAnswer => ({ status: 201, body });
const noContent: ManagementAnswer = { status: 204 };

function listClients({ records }: EndpointContext, { query }: ManagementCall): ManagementAnswer {
  const appTypes = query.get('app_type')?.split(',');
  const all = [...records.clients.values()].filter((client) => !appTypes || appTypes.includes(client.app_type));
  return ok(pageOf(all, pageParams(query), 'clients', (client) => selectFields(clientView(client), query)));
}

function createClient({ records }: EndpointContext, { body }: ManagementCall): ManagementAnswer {
  checkClientBody(body);
  const client = records.addClient({
    name: body.name as string,
    app_type: (body.app_type as string) ?? 'regular_web',
    grant_types: (body.grant_types as string[]) ?? ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: (body.token_endpoint_auth_method as string) ?? 'client_secret_post',
    client_metadata: (body.client_metadata as Record<string, string>) ?? {},
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
  } satisfies Partial<SimulatedClient> & { name: string });
  return created(clientView(client));
}

function rotateClientSecret({ records }: EndpointContext, { params }: ManagementCall): ManagementAnswer {
  const client = records.client(params.id);
  client.client_secret = newClientSecret();
  return ok(clientView(client));
}

function createGrant({ records, resourceServers }: EndpointContext, { body }: ManagementCall): ManagementAnswer {
  const fields = checkGrantBody(body);
  if (!records.clients.has(fields.client_id)) throw new Auth0Error(404, 'Not Found', 'Client not found', 'inexistent_client');
  if (resourceServers && !resourceServers.includes(fields.audience))
    throw new Auth0Error(404, 'Not Found', 'No resource server found by specified identifier', 'inexistent_resource_server');
  if (records.grantFor(fields.client_id, fields.audience))
    throw new Auth0Error(409, 'Conflict', 'A resource with the same identifiers already exists.', 'client_grant_conflict');
  const grant: SimulatedGrant = { id: newId('cgr_', 12), ...fields };
  records.grants.set(grant.id, grant);
  return created(grant);
}

function listGrants({ records }: EndpointContext, { query }: ManagementCall): ManagementAnswer {
  const clientId = query.get('client_id');
  const audience = query.get('audience');
  const all = [...records.grants.values()].filter((grant) => (!clientId || grant.client_id === clientId) && (!audience || grant.audience === audience));
  return ok(pageOf(all, pageParams(query), 'client_grants'));
}

/** Exact match, as Auth0 documents it ("case-sensitive"); Auth0 stores database-connection emails lower-cased. */
function usersByEmail({ records }: EndpointContext, { query, scopes }: ManagementCall): ManagementAnswer {
  const email = query.get('email');
  if (!email) throw badQuery('Missing required property: email');
  const found = [...records.users.values()].filter((user) => user.email === email);
  return ok(found.map((user) => userView(user, scopes, query)));
}

function createUser({ records }: EndpointContext, { body }: ManagementCall): ManagementAnswer {
  refuseUnknownProperties(body, USER_CREATE_PROPERTIES);
  if (typeof body.connection !== 'string' || !body.connection) throw badBody('Missing required property: connection');
  if (typeof body.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(body.email))
    throw badBody(`Object didn't pass validation for format email: ${String(body.email)}`);
  const appMetadata = metadataPatch(body.app_metadata, 'app_metadata');
  const userMetadata = metadataPatch(body.user_metadata, 'user_metadata');
  const user = records.addUser({
    email: body.email,
    connection: body.connection,
    ...(typeof body.email_verified === 'boolean' ? { email_verified: body.email_verified } : {}),
    ...(typeof body.name === 'string' ? { name: body.name } : {}),
    ...(appMetadata ? { app_metadata: appMetadata } : {}),
    ...(userMetadata ? { user_metadata: userMetadata } : {}),
  });
  return created(user);
}

/** The PATCH of a user: metadata merged at the top level, the plain fields replaced. */
function applyUserPatch(user: SimulatedUser, body: Record<string, unknown>): void {
  const appMetadata = metadataPatch(body.app_metadata, 'app_metadata');
  const userMetadata = metadataPatch(body.user_metadata, 'user_metadata');
  if (appMetadata) user.app_metadata = mergeMetadata(user.app_metadata, appMetadata);
  if (userMetadata) user.user_metadata = mergeMetadata(user.user_metadata, userMetadata);
  if (typeof body.email === 'string') user.email = body.email.trim().toLowerCase();
  if (typeof body.email_verified === 'boolean') user.email_verified = body.email_verified;
  if (typeof body.blocked === 'boolean') user.blocked = body.blocked;
  if (typeof body.name === 'string') user.name = body.name;
  user.updated_at = new Date().toISOString();
}

function updateUser({ records }: EndpointContext, { body, params }: ManagementCall): ManagementAnswer {
  refuseUnknownProperties(body, USER_PATCH_PROPERTIES);
  const user = records.user(params.id);
  applyUserPatch(user, body);
  return ok(user);
}

/** A PATCH that touches only app_metadata needs only update:users_app_metadata. */
const userPatchScope = (body: Record<string, unknown>) =>
  Object.keys(body).every((key) => key === 'app_metadata') ? 'update:users_app_metadata' : 'update:users';

/** The Management API endpoints the simulator serves (docs/portal.md, "Setting up Auth0"). */
export function managementEndpoints(context: EndpointContext): ManagementEndpoint[] {
  const { records } = context;
  const endpoint = (
    method: string,
    path: string,
    scope: ManagementEndpoint['scope'],
    answer: (context: EndpointContext, call: ManagementCall) => ManagementAnswer,
  ) => ({
    method,
    path,
    scope,
    answer: (call: ManagementCall) => answer(context, call),
  });
  return [
    endpoint('GET', '/api/v2/clients', 'read:clients', listClients),
    endpoint('POST', '/api/v2/clients', 'create:clients', createClient),
    endpoint('POST', '/api/v2/clients/{id}/rotate-secret', 'update:client_keys', rotateClientSecret),
    endpoint('GET', '/api/v2/clients/{id}', 'read:clients', (_context, { params, query }) => ok(selectFields(clientView(records.client(params.id)), query))),
    // Auth0 answers 204 whether or not the client existed.
    endpoint('DELETE', '/api/v2/clients/{id}', 'delete:clients', (_context, { params }) => {
      records.clients.delete(params.id);
      return noContent;
    }),
    endpoint('POST', '/api/v2/client-grants', 'create:client_grants', createGrant),
    endpoint('GET', '/api/v2/client-grants', 'read:client_grants', listGrants),
    endpoint('DELETE', '/api/v2/client-grants/{id}', 'delete:client_grants', (_context, { params }) => {
      records.grants.delete(params.id);
      return noContent;
    }),
    endpoint('GET', '/api/v2/users-by-email', 'read:users', usersByEmail),
    endpoint('POST', '/api/v2/users', 'create:users', createUser),
    endpoint('GET', '/api/v2/users/{id}', 'read:users', (_context, { params, query, scopes }) => ok(userView(records.user(params.id), scopes, query))),
    endpoint('PATCH', '/api/v2/users/{id}', userPatchScope, updateUser),
  ];
}
