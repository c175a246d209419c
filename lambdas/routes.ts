/**
 * The route table: the one list of endpoints. The CDK stack builds one
 * Lambda function, one API Gateway method and exactly these grants per row;
 * the local server routes requests with the same rows. Find any endpoint here
 * by its path, then its handler under `lambdas/handlers/<handler>.ts`.
 */

import type { PartnerSecret } from './core/partners';

/** DynamoDB actions a function may perform on the table (transactions are authorised per item action). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'BatchWriteItem' | 'ConditionCheckItem';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Partner credentials kept in Secrets Manager, one secret each (the partner registry, core/partners.ts). */
export type { PartnerSecret };

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
  apple: 'APPLE_SECRET_ARN',
  google: 'GOOGLE_SECRET_ARN',
};

export interface RouteAccess {
  /** Table actions; absent: no table access and no TABLE_NAME. */
  table?: TableAction[];
  /** Reads the private signing key set: only functions that mint tokens (invitations have a key of their own). */
  signingKey?: boolean;
  /** Reads the public-keys-only document: to verify tokens or publish the JWKS, never to sign. */
  verifyKey?: boolean;
  /** Sends email through SES. */
  mail?: boolean;
  /** Reads the key successor refresh tokens are derived from (rotates refresh tokens). */
  refreshKey?: boolean;
  /** Reads the invitation key (signs or verifies invitation links): never the access-token signing key set. */
  invitationKey?: boolean;
  /** Reads the key that seals TOTP secrets at rest: functions that enrol a factor or check a code (docs/security.md). */
  factorKey?: boolean;
  /** Partner secrets the function reads. */
  secrets?: PartnerSecret[];
  /**
   * Partners whose failed calls this function reports (`PartnerCallFailed`): its
   * invocations are counted in those partners' failure-rate alarms, which can
   * read only 9 callers. Default: `secrets`.
   */
  reportsFailuresOf?: PartnerSecret[];
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
  /**
   * The method's default API Gateway throttle (whole stage, all clients): the routes that check a password or mint
   * codes get less than the stage default, the public documents more. lib/config.ts derives its defaults from these;
   * `routeThrottling` in cdk.json or `-c` overrides them. Absent: the stage default.
   */
  throttle?: { rateLimit: number; burstLimit: number };
}

const ARGON2_MEMORY_MB = 1024;

/** What resolving a portal caller needs: profile, membership and team reads, and the first-use personal team. */
const PORTAL_CALLER: TableAction[] = ['GetItem', 'PutItem', 'UpdateItem'];
const AUTH0_TENANTS: PartnerSecret[] = ['auth0-sandbox', 'auth0-production'];
/** Portal admins named in the production tenant's app_metadata (docs/security.md): routes that decide on admin rights read it. */
const AUTH0_ADMIN_DIRECTORY: PartnerSecret[] = ['auth0-production'];
/** The verified-email check: the profile, and for a never-verified account the first link (profile mark + token). */
const VERIFIED_CHECK: TableAction[] = ['GetItem', 'UpdateItem', 'PutItem'];
/** Every console call authorizes the operator; a USER_ADMIN_EMAILS grant first used is recorded with its audit entry (Update + Puts). */
const operator = (...actions: TableAction[]): TableAction[] => [...new Set<TableAction>([...actions, 'GetItem', 'UpdateItem', 'PutItem'])];
/**
 * The web sign-in's callback (Google's GET, Apple's form_post). DeleteItem: the state taken once; UpdateItem: the ID
 * token's one-use mark; PutItem: the hand-off. Secrets: client secret / Apple key. factorKey: Apple's refresh token is
 * sealed before it goes into the hand-off. A link: the session and identities read (GetItem, Query), the identity
 * written in a transaction with ConditionChecks.
 */
const WEB_SIGN_IN_CALLBACK_ACCESS: RouteAccess = {
  table: ['DeleteItem', 'UpdateItem', 'PutItem', 'GetItem', 'Query', 'ConditionCheckItem'],
  secrets: ['apple', 'google'],
  factorKey: true,
  reportsFailuresOf: [],
};

/**
 * Every email passes the mail limits (core/mail-limits.ts): a conditional UpdateItem per counter, a GetItem when a take
 * must look; and to an Apple relay address the address's relay state is read (a GetItem) first (core/federation/relay-mail.ts).
 */
const MAIL_LIMITS: TableAction[] = ['GetItem', 'UpdateItem'];

/** What the scheduled team clean-up (lambdas/handlers/ops/team-cleanup.ts, no route) may do; the stack grants exactly this. */
export const TEAM_CLEANUP_ACCESS: RouteAccess = { table: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], secrets: AUTH0_TENANTS };

const DECLARED_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/login-flow/register',
    handler: 'login-flow/register',
    summary: 'Create an account and return tokens',
    // ConditionCheckItem: the address's tombstone holds no ban (checked in the registration's transaction).
    access: { table: ['PutItem', 'ConditionCheckItem'], signingKey: true, mail: true },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'POST',
    path: '/login-flow/login',
    handler: 'login-flow/login',
    summary: 'Sign in with email and password',
    // BatchGetItem: after a wrong password, the two limit counters' counts (the one-request take returns none).
    // Query and factorKey: an account with a second factor (its factors, the sealed TOTP secret); PutItem also the recovery-code audit entry.
    access: {
      table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      signingKey: true,
      mail: true,
      factorKey: true,
    },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
  {
    method: 'POST',
    path: '/login-flow/login/{provider}',
    handler: 'login-flow/federated-login',
    summary: 'Sign in with an Apple or Google ID token: the same tokens as /login-flow/login',
    // UpdateItem: the address count and the token's one-use mark; GetItem: identity, profile, credential; PutItem and
    // ConditionCheckItem: a new account (email claim, profile, identity, session) or a link in one transaction;
    // Query and factorKey: an account with a second factor. The provider secret holds the allowed client ids.
    access: {
      table: ['GetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      signingKey: true,
      factorKey: true,
      secrets: ['apple', 'google'],
      reportsFailuresOf: [],
    },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'GET',
    path: '/login-flow/web-sign-in/{provider}/start',
    handler: 'login-flow/web-sign-in-start',
    summary: 'Start "Continue with Apple / Google" on a page: state, nonce, PKCE, then the provider',
    // PutItem: the single-use state; the provider secret: the web client id (discovery needs no secret, the redirect none).
    // DeleteItem: a link ticket taken once.
    access: { table: ['PutItem', 'DeleteItem'], secrets: ['apple', 'google'], reportsFailuresOf: [] },
  },
  {
    method: 'GET',
    path: '/login-flow/web-sign-in/{provider}/callback',
    handler: 'login-flow/web-sign-in-callback',
    summary: "Google's answer to a web sign-in: exchange the code, verify the ID token, hand off to the page",
    access: WEB_SIGN_IN_CALLBACK_ACCESS,
  },
  {
    method: 'POST',
    path: '/login-flow/web-sign-in/{provider}/callback',
    handler: 'login-flow/web-sign-in-form-post',
    summary: "Apple's answer to a web sign-in (form_post): exchange the code, verify the ID token, hand off to the page",
    access: WEB_SIGN_IN_CALLBACK_ACCESS,
  },
  {
    method: 'POST',
    path: '/login-flow/web-session',
    handler: 'login-flow/web-session',
    summary: 'Finish a web sign-in with Apple / Google: the hand-off code (+ second factor) -> tokens',
    // The federated sign-in's account side (no provider secret: the token was verified at the callback). factorKey also
    // reopens the hand-off's sealed Apple refresh token; GetItem + UpdateItem (a transaction) keep it on the identity.
    access: {
      table: ['GetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      signingKey: true,
      factorKey: true,
    },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'POST',
    path: '/login-flow/apple/notifications',
    handler: 'login-flow/apple-notifications',
    summary: "Apple's server-to-server notifications for Sign in with Apple (consent revoked, account deleted, relay email changed)",
    // UpdateItem: the event's one-use mark and the relay state (TransactWrite); GetItem: the identity; DeleteItem: unlink
    // and the account's sessions (Query finds them, BatchWriteItem ends them). Apple's secret holds the allowed client ids.
    access: {
      table: ['GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
      secrets: ['apple'],
      reportsFailuresOf: [],
    },
  },
  {
    method: 'POST',
    path: '/login-flow/refresh',
    handler: 'login-flow/refresh',
    summary: 'Rotate a refresh token and return new tokens',
    // GetItem, PutItem and mail: LOGIN_REQUIRES_VERIFIED_EMAIL reads the profile and sends a never-verified account its first link.
    access: { table: ['UpdateItem', 'DeleteItem', 'GetItem', 'PutItem'], signingKey: true, refreshKey: true, mail: true },
  },
  {
    method: 'POST',
    path: '/login-flow/reset-password',
    handler: 'login-flow/reset-password',
    summary: 'Email a password-reset link (always 200 for a well-formed email)',
    access: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  {
    method: 'POST',
    path: '/login-flow/delete-account',
    handler: 'login-flow/delete-account',
    summary: 'Delete the account of the access token in ctx',
    // A team left without members: its clean-up is recorded (PutItem) and tried at once in both Auth0 tenants.
    // factorKey and Apple's secret: an Apple refresh token kept on the account is opened and revoked after the deletion.
    access: {
      table: ['Query', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PutItem'],
      verifyKey: true,
      factorKey: true,
      secrets: [...AUTH0_TENANTS, 'apple'],
    },
  },
  {
    method: 'GET',
    path: '/login-flow/me',
    handler: 'login-flow/me',
    summary: "The signed-in user's profile: names, email, email_verified, consents, extra register fields",
    access: { table: ['GetItem'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/sign-out-everywhere',
    handler: 'login-flow/sign-out-everywhere',
    summary: "End every session of the access token's user (refresh tokens, access tokens, approved TV sign-ins)",
    access: { table: ['GetItem', 'UpdateItem', 'Query', 'BatchWriteItem'], verifyKey: true },
  },
  {
    method: 'GET',
    path: '/login-flow/sessions',
    handler: 'login-flow/sessions-list',
    summary: "Every live session of the access token's user, this one marked current",
    // The session check reads two items; the list is one query of the user's partition.
    access: { table: ['GetItem', 'Query'], verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/login-flow/sessions/{sessionId}',
    handler: 'login-flow/session-delete',
    summary: "End one session of the access token's user (this one too)",
    access: { table: ['GetItem', 'DeleteItem'], verifyKey: true },
  },
  {
    method: 'GET',
    path: '/login-flow/identities',
    handler: 'login-flow/identities-list',
    summary: "The Apple and Google accounts linked to the access token's user",
    // The session check reads two items; the identities are one query of the user's partition.
    access: { table: ['GetItem', 'Query'], verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/login-flow/identities/{provider}',
    handler: 'login-flow/identity-delete',
    summary: "Unlink a provider from the access token's user, unless it is the last way to sign in",
    // Session check, factors and identities (Query), profile and credential (GetItem); the unlink is one transaction of Deletes and a ConditionCheck.
    access: { table: ['GetItem', 'Query', 'DeleteItem', 'ConditionCheckItem'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/identities/{provider}',
    handler: 'login-flow/identity-link',
    summary: "Start linking a provider to the access token's user: a one-use ticket for the web sign-in's start",
    // Session check and profile (GetItem), factors and identities (Query); PutItem: the ticket.
    access: { table: ['GetItem', 'Query', 'PutItem'], verifyKey: true },
  },
  // Account self-service (docs/login-flow.md, "Your own account"): what /account does, as an API.
  {
    method: 'PATCH',
    path: '/login-flow/me',
    handler: 'login-flow/profile-update',
    summary: "Change the signed-in user's names and extra register fields (never the email)",
    access: { table: ['GetItem', 'UpdateItem'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/change-password',
    handler: 'login-flow/change-password',
    summary: 'Change the password with the current one (or a recent second factor), optionally ending the other sessions',
    // The current password under the sign-in's limits (as /login-flow/login; PutItem: a lazy migration's import), the other sessions (Query, DeleteItem).
    access: { table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'], verifyKey: true, mail: true },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'POST',
    path: '/login-flow/change-email',
    handler: 'login-flow/change-email',
    summary: 'Ask to change the email: a link to the new address (the change happens when it is confirmed), a notice to the current one',
    // The proof as for the password change; the new address's claim read (GetItem), the pending change stored (PutItem).
    access: { table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'], verifyKey: true, mail: true },
    memoryMb: ARGON2_MEMORY_MB,
  },
  {
    method: 'GET',
    path: '/login-flow/my-data',
    handler: 'login-flow/my-data',
    summary: "Everything stored about the signed-in user, the console's export document (never a hash or secret)",
    access: { table: ['GetItem', 'Query', 'BatchGetItem'], verifyKey: true },
  },
  // Second factors (docs/security.md): managed with the Login Flow access token.
  {
    method: 'GET',
    path: '/login-flow/factors',
    handler: 'factors/list',
    summary: "The user's second factors (never a secret) and how many recovery codes are left",
    access: { table: ['GetItem', 'Query'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/factors/totp',
    handler: 'factors/totp-enrol',
    summary: 'Start a TOTP enrolment: otpauth URI, QR code and secret, shown once',
    access: { table: ['GetItem', 'PutItem'], verifyKey: true, factorKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/factors/totp/confirm',
    handler: 'factors/totp-confirm',
    summary: 'Confirm a TOTP enrolment with its first code (the first factor brings ten recovery codes)',
    // UpdateItem: the factor, the credential's count, the guess counters (one transaction), the session's factor time; PutItem: recovery codes.
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], verifyKey: true, factorKey: true, mail: true },
  },
  {
    method: 'PATCH',
    path: '/login-flow/factors/{factorId}',
    handler: 'factors/rename',
    summary: 'Rename a second factor',
    access: { table: ['GetItem', 'UpdateItem'], verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/login-flow/factors/{factorId}',
    handler: 'factors/remove',
    summary: "Remove a second factor (needs a recent factor; an admin's last factor stays)",
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem'], verifyKey: true, mail: true },
  },
  {
    method: 'POST',
    path: '/login-flow/factors/recovery-codes',
    handler: 'factors/recovery-codes',
    summary: 'Ten new recovery codes, shown once (needs a recent factor)',
    access: { table: ['GetItem', 'Query', 'PutItem'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/factors/step-up',
    handler: 'factors/step-up',
    summary: 'Prove a second factor in this session, for sensitive actions within STEP_UP_WINDOW_SECONDS',
    // PutItem and mail: a recovery code used here is audited and the user told. DeleteItem: a passkey's challenge is consumed.
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'], verifyKey: true, factorKey: true, mail: true },
  },
  // Passkeys (docs/security.md, "Second factors and passkeys"): no factorKey, a passkey's public key is no secret.
  {
    method: 'POST',
    path: '/login-flow/factors/passkeys/options',
    handler: 'factors/passkey-options',
    summary: 'WebAuthn creation options for a new passkey of the signed-in user, with a single-use challenge',
    // Query: the user's passkeys (excludeCredentials); PutItem: the challenge.
    access: { table: ['GetItem', 'Query', 'PutItem'], verifyKey: true },
  },
  {
    method: 'POST',
    path: '/login-flow/factors/passkeys',
    handler: 'factors/passkey-register',
    summary: "Add a passkey: the authenticator's answer to the creation options (the first factor brings ten recovery codes)",
    // DeleteItem: the challenge; UpdateItem: the guess counters, the credential's count, the session's factor time;
    // PutItem: the factor (in the count's transaction) and the first factor's recovery codes; mail: "factor added".
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'], verifyKey: true, mail: true },
  },
  {
    method: 'POST',
    path: '/login-flow/passkey/options',
    handler: 'login-flow/passkey-options',
    summary: 'WebAuthn request options for a passkey sign-in or second factor (discoverable credentials), with a single-use challenge',
    // UpdateItem: the per-address challenge limit, taken before PutItem stores the challenge.
    access: { table: ['UpdateItem', 'PutItem'] },
  },
  {
    method: 'POST',
    path: '/login-flow/passkey/login',
    handler: 'login-flow/passkey-login',
    summary: 'Sign in with a passkey alone: the same tokens as /login-flow/login',
    // DeleteItem: the challenge; UpdateItem: the guess counters and the passkey's counter; Query: the user's passkeys;
    // GetItem: profile and credential; PutItem: the session, in one transaction with the profile's existence (ConditionCheckItem);
    // with LOGIN_REQUIRES_VERIFIED_EMAIL a never-verified account is sent a first link (mail).
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem', 'ConditionCheckItem'], signingKey: true, mail: true },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'well-known/openapi',
    summary: 'The OpenAPI 3.1 description of every endpoint',
    access: {},
    throttle: { rateLimit: 200, burstLimit: 400 },
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    handler: 'well-known/jwks',
    summary: 'Public keys that verify access tokens (RFC 7517)',
    access: { verifyKey: true },
    throttle: { rateLimit: 500, burstLimit: 1000 },
  },
  // TV sign-in (RFC 8628) and the web password reset: docs/tv-sign-in.md.
  {
    method: 'GET',
    path: '/.well-known/oauth-authorization-server',
    handler: 'oauth/metadata',
    summary: 'OAuth authorization server metadata (RFC 8414)',
    access: {},
    throttle: { rateLimit: 200, burstLimit: 400 },
  },
  {
    method: 'POST',
    path: '/oauth/device_authorization',
    handler: 'oauth/device-authorization',
    summary: 'Start a TV sign-in: device code and user code (RFC 8628)',
    access: { table: ['PutItem'] },
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'POST',
    path: '/oauth/token',
    handler: 'oauth/token',
    summary: 'Poll a device code, rotate a refresh token, or exchange an Apple/Google ID token (RFC 8628, RFC 6749 §6, RFC 8693)',
    // mail: LOGIN_REQUIRES_VERIFIED_EMAIL sends a never-verified account its first link (the profile mark and token need no more actions).
    // Token exchange (docs/native-sign-in.md): the provider secrets, Query and factorKey for an account's second factor, argon2 for a new account.
    access: {
      table: ['GetItem', 'UpdateItem', 'PutItem', 'DeleteItem', 'ConditionCheckItem', 'Query'],
      signingKey: true,
      refreshKey: true,
      mail: true,
      factorKey: true,
      secrets: ['apple', 'google'],
      reportsFailuresOf: [],
    },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
  {
    method: 'POST',
    path: '/oauth/revoke',
    handler: 'oauth/revoke',
    summary: 'End the session of a refresh or access token (RFC 7009)',
    access: { table: ['GetItem', 'DeleteItem'], verifyKey: true },
  },
  {
    method: 'GET',
    path: '/activate',
    handler: 'web/activate',
    summary: 'The page where a person enters the TV code and approves the sign-in',
    access: {},
  },
  {
    method: 'GET',
    path: '/activate/qr.svg',
    handler: 'web/activate-qr',
    summary: 'QR code of verification_uri_complete for a user code',
    access: {},
  },
  {
    method: 'POST',
    path: '/activate/lookup',
    handler: 'oauth/activate-lookup',
    summary: 'Check a TV code and name the app asking (wrong codes are rate-limited per IP)',
    access: { table: ['GetItem', 'UpdateItem'] },
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'POST',
    path: '/activate/decision',
    handler: 'oauth/activate-decision',
    summary: 'Approve (signed in) or deny a TV sign-in',
    // PutItem: a lazily migrated user (LEGACY_LOGIN_URL) is created at this sign-in, and an approval writes its pointer
    // in the user's partition (sign-out everywhere finds it there). BatchGetItem: the limit counters' counts after a wrong
    // password. mail: LOGIN_REQUIRES_VERIFIED_EMAIL sends a never-verified account its first link when it refuses the approval.
    // ConditionCheckItem: an approval's own write checks the user's sign-out cut-off and disable mark on the profile,
    // and a migrated user is not created over the tombstone of a deleted account.
    // Query and factorKey: the code (`otp`) or passkey of an account with a second factor (docs/security.md); PutItem also its recovery-code audit entry.
    access: {
      table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      verifyKey: true,
      mail: true,
      factorKey: true,
    },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'GET',
    path: '/reset-password',
    handler: 'web/reset-password',
    summary: 'The page the reset email links to: set a new password, or ask for a new link',
    access: { table: ['GetItem'] },
  },
  {
    method: 'POST',
    path: '/login-flow/reset-password/confirm',
    handler: 'login-flow/reset-password-confirm',
    summary: 'Set a new password with a reset token; signs out every device',
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], mail: true },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  {
    method: 'POST',
    path: '/sso/astrato',
    handler: 'sso/astrato',
    summary: 'Astrato OEM web ticket for the signed-in user (Bearer)',
    access: { table: VERIFIED_CHECK, verifyKey: true, secrets: ['astrato'], mail: true },
  },
  {
    method: 'POST',
    path: '/sso/astrato/login',
    handler: 'sso/astrato-login',
    summary: 'Astrato OEM web ticket for email + password (the login page)',
    // Password check under the sign-in back-off: credential + profile reads, counter takes (and a read when refused), clears, rehash.
    // PutItem: a lazily migrated user (LEGACY_LOGIN_URL) is created at this sign-in.
    // Query and factorKey: the code of an account with a second factor (`otp`, docs/security.md).
    access: {
      table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      secrets: ['astrato'],
      mail: true,
      factorKey: true,
    },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'POST',
    path: '/sso/acronis',
    handler: 'sso/acronis',
    summary: 'Acronis external-login URL for the signed-in user (Bearer)',
    access: { table: VERIFIED_CHECK, verifyKey: true, secrets: ['acronis'], mail: true },
  },
  {
    method: 'POST',
    path: '/sso/acronis/login',
    handler: 'sso/acronis-login',
    summary: 'Acronis external-login URL for email + password (the login page with ?partner=acronis)',
    // The same password check and verified-email check as /sso/astrato/login.
    // Query and factorKey: the code of an account with a second factor (`otp`, docs/security.md).
    access: {
      table: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'],
      secrets: ['acronis'],
      mail: true,
      factorKey: true,
    },
    memoryMb: ARGON2_MEMORY_MB,
    throttle: { rateLimit: 20, burstLimit: 40 },
  },
  {
    method: 'GET',
    path: '/',
    handler: 'web/home-page',
    summary: 'The home page for people: create an account, sign in, connect a TV, the developer portal, a forgotten password (HTML)',
    access: {},
  },
  {
    method: 'GET',
    path: '/signup',
    handler: 'web/signup',
    summary: 'The sign-up page: the register fields and consents, then "check your inbox" with a new-link button (HTML)',
    access: {},
  },
  {
    method: 'GET',
    path: '/login',
    handler: 'web/login-page',
    summary: 'The custom login page for Astrato (HTML)',
    access: {},
  },
  // Developer portal (docs/portal.md). Every portal call resolves the caller's team and makes a
  // personal one on first use (Get + Put + Update); only routes that reach Auth0 get its two secrets.
  {
    method: 'GET',
    path: '/portal/credentials',
    handler: 'portal/credentials-list',
    summary: "The team's API credentials in both environments (never a secret)",
    access: { table: PORTAL_CALLER, verifyKey: true, secrets: AUTH0_TENANTS },
  },
  {
    method: 'POST',
    path: '/portal/credentials',
    handler: 'portal/credentials-create',
    summary: 'Create an API credential (Auth0 M2M client + grants); the secret is shown once',
    // Query: a full team's lapsed reservations (creates that never finished) are given back before it is refused.
    access: { table: [...PORTAL_CALLER, 'DeleteItem', 'Query'], verifyKey: true, secrets: AUTH0_TENANTS, mail: true },
  },
  {
    method: 'POST',
    path: '/portal/credentials/{clientId}/rotate',
    handler: 'portal/credentials-rotate',
    summary: "Rotate a credential's secret",
    access: { table: [...PORTAL_CALLER, 'DeleteItem', 'Query'], verifyKey: true, secrets: AUTH0_TENANTS, mail: true },
  },
  {
    method: 'DELETE',
    path: '/portal/credentials/{clientId}',
    handler: 'portal/credentials-delete',
    summary: 'Delete a credential and its client grants',
    access: { table: [...PORTAL_CALLER, 'DeleteItem', 'Query'], verifyKey: true, secrets: AUTH0_TENANTS },
  },
  {
    method: 'GET',
    path: '/portal/team',
    handler: 'portal/team',
    summary: "The caller's team, members and pending invitations",
    access: { table: [...PORTAL_CALLER, 'Query', 'BatchGetItem'], verifyKey: true, secrets: AUTH0_ADMIN_DIRECTORY },
  },
  {
    method: 'POST',
    path: '/portal/team/invitations',
    handler: 'portal/team-invite',
    summary: 'A signed, expiring, single-use link to join the team (also emailed to the invited address)',
    access: { table: [...PORTAL_CALLER, 'DeleteItem'], invitationKey: true, verifyKey: true, mail: true },
  },
  {
    method: 'POST',
    path: '/portal/team/join',
    handler: 'portal/team-join',
    summary: 'Accept a team or admin invitation (verified email only)',
    // The production secret: an admin invitation is good only while its sender is still an admin, which Auth0 may say.
    // The admin directory answers "not an admin" on any Auth0 failure, so this function never reports one.
    access: {
      table: [...PORTAL_CALLER, 'DeleteItem'],
      invitationKey: true,
      verifyKey: true,
      mail: true,
      secrets: AUTH0_ADMIN_DIRECTORY,
      reportsFailuresOf: [],
    },
  },
  {
    method: 'DELETE',
    path: '/portal/team/members/{userId}',
    handler: 'portal/team-remove-member',
    summary: 'Remove a member from the team (or leave it); their pending invitations are withdrawn',
    access: { table: [...PORTAL_CALLER, 'DeleteItem', 'Query'], verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/portal/team/invitations/{inviteId}',
    handler: 'portal/team-invitation-withdraw',
    summary: 'Withdraw a pending invitation of the team (any member)',
    access: { table: [...PORTAL_CALLER, 'DeleteItem'], verifyKey: true },
  },
  {
    method: 'GET',
    path: '/portal/admin/teams',
    handler: 'portal/admin-teams',
    summary: 'Every team and its credentials (portal admins)',
    access: { table: [...PORTAL_CALLER, 'Query'], verifyKey: true, secrets: AUTH0_TENANTS },
  },
  {
    method: 'POST',
    path: '/portal/admin/invitations',
    handler: 'portal/admin-invite',
    summary: 'A link that makes its user a portal admin or a user admin (portal admins)',
    access: { table: [...PORTAL_CALLER, 'DeleteItem'], invitationKey: true, verifyKey: true, mail: true, secrets: AUTH0_ADMIN_DIRECTORY },
  },
  {
    method: 'GET',
    path: '/portal/admin/invitations',
    handler: 'portal/admin-invitations',
    summary: 'The pending admin and user-admin invitations (portal admins)',
    // The admin directory answers "not an admin" on any Auth0 failure: these functions report none (see /portal/team/join).
    access: { table: [...PORTAL_CALLER, 'Query'], verifyKey: true, secrets: AUTH0_ADMIN_DIRECTORY, reportsFailuresOf: [] },
  },
  {
    method: 'DELETE',
    path: '/portal/admin/invitations/{inviteId}',
    handler: 'portal/admin-invitation-withdraw',
    summary: 'Withdraw a pending admin or user-admin invitation (portal admins)',
    access: { table: [...PORTAL_CALLER, 'DeleteItem'], verifyKey: true, secrets: AUTH0_ADMIN_DIRECTORY, reportsFailuresOf: [] },
  },
  // Verified identity (docs/security.md): the emailed link opens the page; only the page's POST confirms.
  {
    method: 'GET',
    path: '/verify-email',
    handler: 'web/verify-email',
    summary: 'The page the verification email links to: confirm with a click, or ask for a new link',
    access: { table: ['GetItem'] },
  },
  {
    method: 'POST',
    path: '/verify-email/confirm',
    handler: 'verify-email/confirm',
    summary: 'Confirm an email address with the token of a verification link (single use)',
    // Query + UpdateItem: the user's session families learn the address is verified (refreshed tokens carry the claim).
    access: { table: ['GetItem', 'UpdateItem', 'Query'] },
  },
  {
    method: 'POST',
    path: '/verify-email/resend',
    handler: 'verify-email/resend',
    summary: 'Email a new verification link (always 200 for a well-formed email; limited per address)',
    access: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
  },
  {
    method: 'GET',
    path: '/portal',
    handler: 'portal/page',
    summary: 'The developer portal page (HTML)',
    access: {},
  },
  {
    method: 'GET',
    path: '/account',
    handler: 'web/account',
    summary: 'The account page: sign in, then manage second factors and recovery codes (HTML)',
    access: {},
  },
  {
    method: 'GET',
    path: '/account/email-change',
    handler: 'web/email-change',
    summary: 'The page the link to a new email address opens: a button confirms the change (HTML)',
    access: { table: ['GetItem'] },
  },
  {
    method: 'POST',
    path: '/account/email-change/confirm',
    handler: 'account/email-change-confirm',
    summary: "Confirm an email change with its link's token: the address, its uniqueness claim and the token move in one transaction",
    // The move (Update link and profile, Delete the old claim, Put the new one, ConditionCheck the ban); then the families' verified mark (Query, UpdateItem).
    access: { table: ['GetItem', 'UpdateItem', 'DeleteItem', 'PutItem', 'ConditionCheckItem', 'Query'] },
  },
  // Operator console (docs/operations.md): every route resolves the operator (profile, membership, session: GetItem)
  // and writes its audit entry (three Puts in one transaction: PutItem).
  {
    method: 'GET',
    path: '/admin/users',
    handler: 'admin/users-find',
    summary: 'Find a user by exact email (user admins)',
    // PutItem: a hit reads the user's data, so it is audited.
    access: { table: operator('GetItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'GET',
    path: '/admin/users/{userId}',
    handler: 'admin/user-get',
    summary: "A user's profile, back-off, sessions, TV sign-ins, team and partner identities (user admins)",
    // PutItem: every reading of the card is audited.
    access: { table: operator('GetItem', 'Query', 'BatchGetItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/sign-out',
    handler: 'admin/user-sign-out',
    summary: 'End every session and approved TV sign-in of a user (user admins)',
    access: { table: operator('GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/admin/users/{userId}/sessions/{sessionId}',
    handler: 'admin/user-session-delete',
    summary: 'End one session of a user (user admins)',
    access: { table: operator('GetItem', 'Query', 'DeleteItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/unlock',
    handler: 'admin/user-unlock',
    summary: "Clear a user's sign-in back-off (user admins)",
    access: { table: operator('GetItem', 'Query', 'BatchGetItem', 'DeleteItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/factors/reset',
    handler: 'admin/user-factors-reset',
    summary: "Remove every second factor and recovery code of a user, who is emailed (user admins; an admin's only portal admins)",
    // Query, DeleteItem, UpdateItem: the factor items and the credential's count in one transaction; PutItem: the audit entry.
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'], verifyKey: true, mail: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/disable',
    handler: 'admin/user-disable',
    summary: 'Disable a user: no sign-in, refresh, TV approval or hand-off (user admins)',
    // DeleteItem: approved TV sign-ins are denied and their pointers removed.
    access: { table: operator('GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/enable',
    handler: 'admin/user-enable',
    summary: 'Enable a disabled user again (user admins)',
    access: { table: operator('GetItem', 'Query', 'UpdateItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'POST',
    path: '/admin/users/{userId}/verification-email',
    handler: 'admin/user-verification-email',
    summary: 'Send a user a new email-verification link (user admins)',
    access: { table: operator('GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'), verifyKey: true, mail: true },
  },
  {
    method: 'PUT',
    path: '/admin/users/{userId}/partners',
    handler: 'admin/user-partners',
    summary: "Set a user's Acronis and Astrato identities (portal admins)",
    // DeleteItem: a partner identity the user no longer has releases its claim.
    access: { table: operator('GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'), verifyKey: true },
  },
  {
    method: 'GET',
    path: '/admin/users/{userId}/export',
    handler: 'admin/user-export',
    summary: 'Everything stored about a user as one JSON document, for a data-access request (user admins)',
    access: { table: operator('GetItem', 'Query', 'BatchGetItem', 'PutItem'), verifyKey: true },
  },
  {
    method: 'DELETE',
    path: '/admin/users/{userId}',
    handler: 'admin/user-delete',
    summary: "Delete a user's account, as delete-account does (user admins)",
    // The self-deletion use case: a team left without members has its Auth0 clients removed in the request.
    access: {
      table: operator('GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PutItem'),
      verifyKey: true,
      // As delete-account: an Apple refresh token kept on the account is revoked after the deletion.
      factorKey: true,
      secrets: [...AUTH0_TENANTS, 'apple'],
      // A console deletion's Auth0 clean-up is rare beside the portal's calls: counting its invocations would take the
      // production tenant's alarm past CloudWatch's 10 metrics (and to a bare failure count); left out, the rate errs
      // high by at most the console deletions' share.
      reportsFailuresOf: [],
    },
  },
  {
    method: 'POST',
    path: '/admin/bans/clear',
    handler: 'admin/ban-clear',
    summary: 'Lift the ban a deleted disabled account left on its email address (user admins and portal admins)',
    // GetItem: the operator and the ban; UpdateItem + PutItem: the lift and its audit entry in one transaction.
    access: { table: ['GetItem', 'UpdateItem', 'PutItem'], verifyKey: true },
  },
  {
    method: 'GET',
    path: '/admin/audit',
    handler: 'admin/audit',
    summary: "The operator console's audit trail, newest first (user admins)",
    // PutItem: reading the trail is audited too.
    access: { table: operator('GetItem', 'Query', 'PutItem'), verifyKey: true },
  },
];

/** The routes, each function that sends mail also granted what the mail limits take. */
export const ROUTES: readonly Route[] = DECLARED_ROUTES.map((route) =>
  route.access.mail ? { ...route, access: { ...route.access, table: [...new Set<TableAction>([...(route.access.table ?? []), ...MAIL_LIMITS])] } } : route,
);

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
