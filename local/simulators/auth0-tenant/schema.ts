import { refuseUnknownProperties } from './body';
import { badBody } from './errors';

/** What the Management API's schemas allow, for the calls the simulator serves. */

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
export const USER_PATCH_PROPERTIES = new Set([
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
export const USER_CREATE_PROPERTIES = new Set([...USER_PATCH_PROPERTIES, 'password', 'user_id', 'username', 'phone_number', 'phone_verified']);
const GRANT_PROPERTIES = new Set(['client_id', 'audience', 'scope', 'organization_usage', 'allow_any_organization']);

const noEnumMatch = (value: unknown, field: string) => badBody(`No enum match for: "${String(value)}" (${field})`);

/** Up to 10 string properties, keys and values at most 255 characters. */
function checkClientMetadata(metadata: unknown): void {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) throw badBody('Expected type object (client_metadata)');
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > 10) throw badBody('Too many properties, maximum 10 (client_metadata)');
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw badBody(`Expected type string but found type ${typeof value} (client_metadata.${key})`);
    if (key.length > 255 || value.length > 255) throw badBody(`String is too long, maximum 255 (client_metadata.${key})`);
  }
}

/** The body of `POST /api/v2/clients`. */
export function checkClientBody(body: Record<string, unknown>): void {
  refuseUnknownProperties(body, CLIENT_PROPERTIES);
  if (typeof body.name !== 'string' || body.name.length < 1) throw badBody('Missing required property: name');
  if (/[<>]/.test(body.name)) throw badBody('String does not match pattern ^[^<>]+$ (name)');
  if (body.app_type !== undefined && !APP_TYPES.includes(body.app_type as string)) throw noEnumMatch(body.app_type, 'app_type');
  if (body.grant_types !== undefined) {
    if (!Array.isArray(body.grant_types)) throw badBody(`Expected type array but found type ${typeof body.grant_types} (grant_types)`);
    for (const grant of body.grant_types) if (!GRANT_TYPES.includes(grant as string)) throw noEnumMatch(grant, 'grant_types');
  }
  if (body.token_endpoint_auth_method !== undefined && !AUTH_METHODS.includes(body.token_endpoint_auth_method as string)) {
    throw noEnumMatch(body.token_endpoint_auth_method, 'token_endpoint_auth_method');
  }
  if (body.client_metadata !== undefined) checkClientMetadata(body.client_metadata);
}

export interface GrantBody {
  readonly client_id: string;
  readonly audience: string;
  readonly scope: string[];
}

/** The body of `POST /api/v2/client-grants`: `client_id`, `audience` and `scope` (a list of strings) are required. */
export function checkGrantBody(body: Record<string, unknown>): GrantBody {
  refuseUnknownProperties(body, GRANT_PROPERTIES);
  if (typeof body.client_id !== 'string') throw badBody('Missing required property: client_id');
  if (typeof body.audience !== 'string' || !body.audience) throw badBody('Missing required property: audience');
  if (!Array.isArray(body.scope) || body.scope.some((scope) => typeof scope !== 'string')) throw badBody('Missing required property: scope');
  return { client_id: body.client_id, audience: body.audience, scope: body.scope as string[] };
}
