import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../core/admin/ports';
import { auditQuery, banClearBody, emailQuery, partnersBody } from '../schemas/admin';
import { errorBody, type OperationDescription, standardErrors } from './common';

/*
 * The operator console (lambdas/core/admin). Objects are strict where the
 * code decides every field, so an answer that starts to carry something new
 * (a hash, say) fails the integration tests until it is described here.
 */

const timestamp = z.string().describe('ISO 8601, UTC.');
const freeObject = z.record(z.string(), z.unknown());

export const adminUserSummaryBody = z
  .object({ user_id: z.string(), email: z.string(), first_name: z.string(), last_name: z.string(), disabled_at: timestamp.nullable() })
  .strict()
  .meta({ id: 'AdminUserSummary', description: 'The user found by email.' });

export const adminBackoffBody = z
  .object({
    failures: z.number().int().nonnegative().describe('Consecutive failed sign-ins counted on the email.'),
    locked_until: timestamp.nullable().describe('Sign-in waits until then; null: no wait now.'),
  })
  .strict()
  .meta({ id: 'AdminBackoff' });

const sessionBody = z
  .object({
    session_id: z.string(),
    client: z.enum(['app', 'tv']).describe('`app`: the Login Flow (apps, web); `tv`: a TV sign-in (RFC 8628).'),
    client_id: z.string().nullable().describe('The TV client id for `tv` sessions.'),
    started_at: timestamp,
    last_used_at: timestamp,
    expires_at: timestamp,
  })
  .strict();

const deviceGrantBody = z
  .object({ user_code: z.string(), client_id: z.string(), status: z.literal('approved'), created_at: timestamp, expires_at: timestamp })
  .strict()
  .describe('Approved TV sign-ins the TV has not redeemed yet.');

export const adminUserBody = z
  .object({
    user_id: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    email_verified: z.boolean(),
    email_verified_at: timestamp.nullable(),
    consents: z.object({ marketing: z.boolean(), terms_accepted_at: timestamp.nullable() }).strict(),
    extra_fields: freeObject.describe('Other profile attributes.'),
    created_at: timestamp.nullable(),
    last_sign_in_at: timestamp.nullable().describe('Start of the newest live session.'),
    disabled_at: timestamp.nullable(),
    backoff: adminBackoffBody,
    sessions: z.array(sessionBody).describe('Live sessions, most recently used first.'),
    device_grants: z.array(deviceGrantBody),
    team: z.object({ id: z.string(), name: z.string() }).strict().nullable(),
    permissions: z.array(z.string()),
    partners: z.object({ acronis: freeObject.nullable(), astrato: freeObject.nullable() }).strict(),
  })
  .strict()
  .meta({ id: 'AdminUser', description: 'The user card. Never a hash or a secret.' });

export const adminSignOutBody = z
  .object({ signed_out: z.literal(true), sessions_ended: z.number().int().nonnegative(), device_grants_denied: z.number().int().nonnegative() })
  .strict()
  .meta({ id: 'AdminSignOut' });

export const adminDisabledBody = z.object({ user_id: z.string(), disabled_at: timestamp.nullable() }).strict().meta({ id: 'AdminDisabled' });

export const adminPartnersBody = z.object({ acronis: freeObject.nullable(), astrato: freeObject.nullable() }).strict().meta({ id: 'AdminPartners' });

export const adminAuditEntryBody = z
  .object({
    id: z.string(),
    at: timestamp,
    actor_id: z.string(),
    actor_email: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    target_user_id: z.string(),
    target_email: z.string().nullable(),
    correlation_id: z.string(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }).strict())
      .describe('Before and after of each changed field; never a secret.'),
  })
  .strict()
  .meta({ id: 'AdminAuditEntry' });

export const adminAuditBody = z
  .object({ entries: z.array(adminAuditEntryBody), next_cursor: z.string().nullable().describe('Pass as `cursor` for older entries; null at the end.') })
  .strict()
  .meta({ id: 'AdminAuditPage', description: 'Newest first.' });

export const adminExportBody = z
  .object({
    format: z.literal('loginbridge-user-export/1'),
    exported_at: timestamp,
    profile: freeObject,
    account: z.object({ email: z.string().nullable(), password_updated_at: timestamp.nullable(), disabled_at: timestamp.nullable() }).strict(),
    sign_in_backoff: adminBackoffBody,
    sessions: z.array(sessionBody),
    device_grants: z.array(deviceGrantBody),
    portal: z.object({ team: z.object({ id: z.string(), name: z.string() }).strict().nullable(), permissions: z.array(z.string()) }).strict(),
    password_resets: z.array(z.object({ created_at: timestamp, expires_at: timestamp, used_at: timestamp.nullable() }).strict()),
    audit: z.array(adminAuditEntryBody),
  })
  .strict()
  .meta({ id: 'AdminUserExport', description: 'Everything stored about the user (GDPR articles 15 and 20). Never a password hash, token hash or secret.' });

const userIdParam = z.object({ userId: z.string().describe('The user id (the `sub` of their tokens).') });
const sessionParams = userIdParam.extend({ sessionId: z.string().describe('A `session_id` from the user card.') });
const idempotencyKeyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{16,255}$/)
    .optional()
    .describe('A random UUID per intended email. A retry with the same key returns the first answer (and sends nothing) with `Idempotent-Replayed: true`.'),
});

const unauthenticated = {
  description: '`invalid_token`: no, an invalid or an expired access token, its session has ended, or its account was deleted (`WWW-Authenticate: Bearer`).',
  schema: errorBody,
  headers: { 'WWW-Authenticate': '`Bearer error="invalid_token"`' },
};
const forbidden = {
  description:
    '`forbidden`: the caller does not hold `user-admin` or `portal-admin`, or their email is not verified, or their account is disabled; or the target is the caller (nobody acts on their own record through the console) or holds an equal or stronger role (portal admin > user admin > user).',
  schema: errorBody,
};
const notFound = { description: '`not_found`: there is no user with this id.', schema: errorBody };
const notJson = { description: '`invalid_request`: the body is not JSON, or a field is invalid (`fieldErrors`).', schema: errorBody };

const api = (responses: OperationDescription['responses']): OperationDescription['responses'] => ({
  400: notJson,
  401: unauthenticated,
  403: forbidden,
  ...standardErrors('api'),
  ...responses,
});
const tags = ['Operator console'];

/** The operator console, keyed by handler module. Every route needs `Authorization: Bearer` of a user admin. */
export const ADMIN_OPERATIONS: Record<string, OperationDescription> = {
  'admin/users-find': {
    tags,
    security: 'bearer',
    query: emailQuery,
    responses: api({
      200: { description: 'The user.', schema: adminUserSummaryBody },
      404: { description: '`not_found`: no user has this email.', schema: errorBody },
    }),
  },
  'admin/ban-clear': {
    tags,
    security: 'bearer',
    body: banClearBody,
    description:
      'Deleting a disabled account bans its address from registering again; this lifts that ban. User admins and portal admins. The lift and its audit entry are one write. The deletion itself stays recorded, so lazy migration still does not bring the old account back.',
    responses: api({
      200: { description: 'Lifted: the address may register again.', schema: z.object({ email: z.string(), cleared: z.literal(true) }).strict() },
      404: { description: '`not_found`: this address holds no ban.', schema: errorBody },
    }),
  },
  'admin/user-get': {
    tags,
    security: 'bearer',
    params: userIdParam,
    responses: api({ 200: { description: 'The user card.', schema: adminUserBody }, 404: notFound }),
  },
  'admin/user-sign-out': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description: 'Approved TV sign-ins are denied first (the TV gets `access_denied`), then every session ends. Idempotent. Audited.',
    responses: api({ 200: { description: 'Signed out everywhere.', schema: adminSignOutBody }, 404: notFound }),
  },
  'admin/user-session-delete': {
    tags,
    security: 'bearer',
    params: sessionParams,
    description: 'Its refresh token stops working at once. Audited.',
    responses: api({ 204: { description: 'Ended.' }, 404: { description: '`not_found`: no such user, or no live session with this id.', schema: errorBody } }),
  },
  'admin/user-unlock': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description: 'Clears the per-account back-off counter (the per-IP window stays). Idempotent. Audited.',
    responses: api({ 200: { description: 'The back-off now.', schema: z.object({ backoff: adminBackoffBody }).strict() }, 404: notFound }),
  },
  'admin/user-factors-reset': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description:
      "For a user who lost both their authenticator and their recovery codes: every factor and code goes, the password alone signs in again, the user is emailed. Needs a recent factor (step-up). An administrator's factors only a portal admin may reset; nobody their own. Audited (`reset-factors`).",
    responses: api({
      200: { description: 'Reset.', schema: z.object({ user_id: z.string(), factors_removed: z.number().int() }).strict() },
      404: notFound,
    }),
  },
  'admin/user-disable': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description:
      'Sign-in, refresh, TV approval and hand-offs answer 403 while disabled; sessions are kept (sign the user out as well to end them). Idempotent. Audited.',
    responses: api({ 200: { description: 'Disabled.', schema: adminDisabledBody }, 404: notFound }),
  },
  'admin/user-enable': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description: 'Idempotent. Audited.',
    responses: api({ 200: { description: 'Enabled (`disabled_at` null).', schema: adminDisabledBody }, 404: notFound }),
  },
  'admin/user-verification-email': {
    tags,
    security: 'bearer',
    params: userIdParam,
    headers: idempotencyKeyHeader,
    description: 'At most ADMIN_VERIFICATION_EMAILS_PER_HOUR per user, counted before sending. Audited.',
    responses: api({
      202: {
        description: 'Sent.',
        schema: z.object({ sent: z.literal(true), email: z.string() }).strict(),
        headers: { 'Idempotent-Replayed': '`true` when this is the stored first answer.' },
      },
      404: notFound,
      409: { description: '`conflict`: the email is already verified, or a request with this Idempotency-Key is still running.', schema: errorBody },
      429: {
        description: '`too_many_attempts`: the hourly limit for this user is reached; `Retry-After`.',
        schema: errorBody,
        headers: { 'Retry-After': 'Seconds until the next hour.' },
      },
    }),
  },
  'admin/user-partners': {
    tags,
    security: 'bearer',
    params: userIdParam,
    body: partnersBody,
    description:
      'Portal admins only. Stored as `attributes.acronis` and `attributes.astrato` on the profile; each Acronis login, external id and user id belongs to one account only. Audited with before and after, in the same transaction.',
    responses: api({
      200: { description: 'The identities now stored.', schema: adminPartnersBody },
      404: notFound,
      409: {
        description: '`conflict`: another account already has one of these partner identities, or the identities of the user changed at the same moment.',
        schema: errorBody,
      },
    }),
  },
  'admin/user-export': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description: 'The export itself is audited.',
    responses: api({ 200: { description: 'The document (`Content-Disposition: attachment`).', schema: adminExportBody }, 404: notFound }),
  },
  'admin/user-delete': {
    tags,
    security: 'bearer',
    params: userIdParam,
    description:
      "What delete-account does, through the same use case (profile, email, sessions, reset links, counters, team seat, partner identities; the Auth0 clients and grants of a team it was the last member of are removed in the request, the schedule retries), after denying approved TV sign-ins. Audited in the deletion's transaction; the audit entries stay for their retention.",
    responses: api({
      204: { description: 'Deleted.' },
      404: notFound,
      409: { description: '`conflict`: the account changed during the deletion; retry.', schema: errorBody },
    }),
  },
  'admin/audit': {
    tags,
    security: 'bearer',
    query: auditQuery,
    description: 'By target (`userId`), by actor (`actor`), both, or everything; newest first; kept AUDIT_RETENTION_DAYS.',
    responses: api({ 200: { description: 'One page.', schema: adminAuditBody } }),
  },
};
