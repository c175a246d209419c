import { z } from 'zod';
import { adminInvitationBody, credentialBody, invitationBody, joinBody } from '../schemas/portal';
import { errorBody, type OperationDescription, standardErrors } from './common';
import { emailNotVerified } from './verified-identity';

/*
 * Response bodies of the developer portal (lambdas/core/portal/portal.ts).
 * Objects are strict: a field the code starts to answer (a secret in a
 * listing, say) fails the integration tests until it is described here.
 */

const environment = z.enum(['sandbox', 'production']);
const timestamp = z.string().describe('ISO 8601, UTC.');

export const portalCredentialBody = z
  .object({
    client_id: z.string(),
    name: z.string(),
    environment,
    audiences: z.array(z.string()).describe('The APIs the credential is granted (Auth0 client grants).'),
    created_at: timestamp.nullable(),
    created_by: z.string().nullable().describe('User id of the creator.'),
  })
  .strict()
  .meta({ id: 'PortalCredential', description: 'An API credential (Auth0 machine-to-machine client). Never carries its secret.' });

export const portalEnvironmentBody = z
  .object({
    available: z.boolean(),
    token_url: z.string().optional().describe('Where the credential gets tokens (client_credentials grant).'),
    audiences: z.array(z.string()),
    message: z.string().optional().describe('Why the environment is unavailable.'),
  })
  .strict()
  .meta({ id: 'PortalEnvironment', description: 'Whether an environment can be used, its token URL and its APIs.' });

const environments = z.object({ sandbox: portalEnvironmentBody, production: portalEnvironmentBody }).strict();

export const portalCredentialListBody = z
  .object({ credentials: z.array(portalCredentialBody), environments })
  .strict()
  .meta({ id: 'PortalCredentialList', description: "The team's credentials, read from Auth0; a tenant that failed is reported in `environments`." });

const secretFields = {
  client_id: z.string(),
  client_secret: z.string().describe('Shown in this answer (and its Idempotency-Key replays) only.'),
  name: z.string(),
  environment,
  token_url: z.string(),
  audiences: z.array(z.string()),
};

export const portalNewCredentialBody = z
  .object({ ...secretFields, created_at: timestamp })
  .strict()
  .meta({ id: 'PortalNewCredential', description: 'A created credential with its secret.' });

export const portalRotatedCredentialBody = z
  .object({ ...secretFields, rotated_at: timestamp })
  .strict()
  .meta({ id: 'PortalRotatedCredential', description: 'A credential with its new secret; the old one no longer works.' });

export const portalTeamSummaryBody = z
  .object({
    id: z.string(),
    name: z.string(),
    personal: z.boolean().describe('Made for its first member on first use.'),
    created_at: timestamp,
    member_count: z.number().int().nonnegative(),
    credential_count: z.number().int().nonnegative(),
  })
  .strict()
  .meta({ id: 'PortalTeamSummary' });

export const portalTeamBody = z
  .object({
    team: portalTeamSummaryBody,
    members: z.array(z.object({ user_id: z.string(), email: z.string(), joined_at: timestamp, you: z.boolean() }).strict()),
    invitations: z
      .array(
        z
          .object({
            id: z.string().describe('For DELETE /portal/team/invitations/{inviteId}.'),
            email: z.string(),
            expires_at: timestamp,
            invited_by: z.string(),
          })
          .strict(),
      )
      .describe('Pending: unused and unexpired.'),
    you: z
      .object({
        user_id: z.string(),
        email: z.string(),
        permissions: z.array(z.string()),
        is_admin: z.boolean(),
        locale: z.string().optional().describe("The account's language (its profile's locale), when it has one."),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'PortalTeam', description: "The caller's team, its members, its pending invitations and the caller's permissions." });

const invitationFields = {
  id: z.string().describe('The invitation id (withdraw a team invitation with DELETE /portal/team/invitations/{id}).'),
  emailed: z.boolean().describe('Whether the link was also emailed to the invited address.'),
  email: z.string(),
  expires_at: timestamp,
  invitation_url: z.string().describe('`PUBLIC_BASE_URL/portal#invite=<token>`: the token rides in the fragment, so it never reaches a server log.'),
  token: z.string().describe('HS256 JWT signed with the invitation key (`typ: loginbridge-invite+jwt`); works once, for the invited email only.'),
};

export const portalTeamInvitationBody = z
  .object({ kind: z.literal('team'), ...invitationFields, team: portalTeamSummaryBody })
  .strict()
  .meta({ id: 'PortalTeamInvitation', description: 'A link to join the caller’s team.' });

export const portalAdminInvitationBody = z
  .object({ kind: z.enum(['admin', 'user-admin']), ...invitationFields })
  .strict()
  .meta({
    id: 'PortalAdminInvitation',
    description: 'A link that makes its user a portal admin (`admin`) or a user admin of the operator console (`user-admin`).',
  });

export const portalAdminInvitationsBody = z
  .object({
    invitations: z.array(
      z
        .object({
          id: z.string().describe('For DELETE /portal/admin/invitations/{inviteId}.'),
          kind: z.enum(['admin', 'user-admin']),
          email: z.string(),
          invited_by: z.string(),
          created_at: timestamp,
          expires_at: timestamp,
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'PortalAdminInvitations', description: 'Pending (unused, unexpired) admin and user-admin invitations, oldest first.' });

export const portalJoinBody = z
  .discriminatedUnion('joined', [
    z.object({ joined: z.literal('team'), team: portalTeamSummaryBody }).strict(),
    z.object({ joined: z.literal('admin'), permissions: z.array(z.string()), team: portalTeamSummaryBody }).strict(),
    z.object({ joined: z.literal('user-admin'), permissions: z.array(z.string()), team: portalTeamSummaryBody }).strict(),
  ])
  .meta({ id: 'PortalJoined', description: 'The invitation accepted: the team joined, or the admin permission gained (the caller stays in their team).' });

export const portalAdminTeamsBody = z
  .object({
    teams: z.array(portalTeamSummaryBody.extend({ credentials: z.array(portalCredentialBody) }).strict()),
    unassigned_credentials: z
      .array(portalCredentialBody.extend({ team_id: z.string() }).strict())
      .describe('Portal-made clients whose team no longer exists: worth a look (and a delete in the Auth0 dashboard).'),
    environments,
  })
  .strict()
  .meta({ id: 'PortalAdminTeams', description: 'Every team with its credentials in both environments.' });

const idempotencyKeyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{16,255}$/)
    .optional()
    .describe(
      'A random UUID per intended operation. A retry with the same key and request returns the first answer (secret included) with `Idempotent-Replayed: true`.',
    ),
});
const clientIdParam = z.object({ clientId: z.string().describe('The credential’s Auth0 client id.') });
const userIdParam = z.object({ userId: z.string().describe('The member’s user id (the caller’s own: leave the team).') });

const replayed = { 'Idempotent-Replayed': '`true` when this is the stored first answer to the same Idempotency-Key.' };
const unauthenticated = {
  description: '`invalid_token`: no, an invalid or an expired access token, or its account was deleted (`WWW-Authenticate: Bearer`).',
  schema: errorBody,
  headers: { 'WWW-Authenticate': '`Bearer error="invalid_token"`' },
};
const validation = (what: string) => ({
  description: `\`invalid_request\` with \`fieldErrors\` per field${what}. Unknown fields are ignored.`,
  schema: errorBody,
});
const raced = (what = '') => ({ description: `\`conflict\`: the team changed during the request (retry)${what}.`, schema: errorBody });
const notVerifiedSender = { description: '`email_not_verified`: only a confirmed address may send invitations.', schema: errorBody };
const mailLimited = {
  description:
    '`too_many_attempts`: the invited address got, or the sender sent, MAIL_PER_RECIPIENT_PER_WINDOW / MAIL_PER_SENDER_PER_WINDOW invitation emails this window; nothing was sent or stored; `Retry-After`.',
  schema: errorBody,
};
const notAdmin = { description: '`forbidden`: the caller is not a portal admin.', schema: errorBody };

/** Answers of routes that call an Auth0 Management API (docs/portal.md). */
const auth0Errors: OperationDescription['responses'] = {
  502: {
    description:
      '`partner_rejected`, `partner_unavailable` or `partner_bad_answer`: Auth0 refused, failed or answered nonsense; the message names the tenant and what to check.',
    schema: errorBody,
  },
  503: {
    description:
      '`partner_busy` (Auth0 kept answering 429 past our bound) or `temporarily_unavailable` (the environment is not configured, or the table is unavailable).',
    schema: errorBody,
    headers: { 'Retry-After': 'Seconds to wait, when known.' },
  },
  504: { description: '`partner_timeout`: Auth0 did not answer within PARTNER_TIMEOUT_MS.', schema: errorBody },
};

/** The pipeline parses any body before the handler runs, so even a GET answers 400 to a body that is not JSON. */
const notJson = { description: '`invalid_request`: the body is not JSON.', schema: errorBody };

const api = (responses: OperationDescription['responses']): OperationDescription['responses'] => ({
  400: notJson,
  401: unauthenticated,
  ...standardErrors('api'),
  ...responses,
});

/** The developer portal, keyed by handler module. Every API route needs `Authorization: Bearer`. */
/** Creating or rotating a production credential: an unverified address, or no second factor used within the step-up window. */
const productionCredentialRefusal = {
  ...emailNotVerified,
  description: `${emailNotVerified.description} For a production credential also \`step_up_required\`: a second factor must have been used in the session within STEP_UP_WINDOW_SECONDS (POST /login-flow/factors/step-up).`,
};

export const PORTAL_OPERATIONS: Record<string, OperationDescription> = {
  'portal/credentials-list': {
    tags: ['Portal'],
    security: 'bearer',
    description:
      'Read from Auth0 itself (every page), filtered on the team. A tenant that fails is reported in `environments` while the other still lists; only when every configured tenant fails is the answer an error.',
    responses: api({ 200: { description: 'The credentials (never a secret).', schema: portalCredentialListBody }, 409: raced(), ...auth0Errors }),
  },
  'portal/credentials-create': {
    tags: ['Portal'],
    security: 'bearer',
    description:
      'Creates an Auth0 machine-to-machine client and one client grant per configured API, whole or not at all: a failed grant removes the client again before the error is answered.',
    body: credentialBody,
    headers: idempotencyKeyHeader,
    responses: api({
      201: { description: 'The credential with its secret, shown this once.', schema: portalNewCredentialBody, headers: replayed },
      403: productionCredentialRefusal,
      400: validation(', a malformed `Idempotency-Key`, or `idempotency_key_reused` (the key was used for another request)'),
      409: raced(', the team holds PORTAL_MAX_CREDENTIALS_PER_TEAM credentials, or a request with this Idempotency-Key is still running'),
      ...auth0Errors,
    }),
  },
  'portal/credentials-rotate': {
    tags: ['Portal'],
    security: 'bearer',
    params: clientIdParam,
    headers: idempotencyKeyHeader,
    responses: api({
      200: { description: 'The new secret; the old one stopped working.', schema: portalRotatedCredentialBody, headers: replayed },
      403: productionCredentialRefusal,
      400: validation(': a malformed `Idempotency-Key`, or `idempotency_key_reused`'),
      404: { description: '`not_found`: the team has no credential with this client id (also for clients the portal did not make).', schema: errorBody },
      409: raced(', or a request with this Idempotency-Key is still running'),
      ...auth0Errors,
    }),
  },
  'portal/credentials-delete': {
    tags: ['Portal'],
    security: 'bearer',
    params: clientIdParam,
    responses: api({
      204: { description: 'Deleted, with its client grants.' },
      404: { description: '`not_found`: the team has no credential with this client id.', schema: errorBody },
      409: raced(),
      ...auth0Errors,
    }),
  },
  'portal/team': {
    tags: ['Portal'],
    security: 'bearer',
    description: 'The first call of a user without a team makes their personal team.',
    responses: api({ 200: { description: 'The team.', schema: portalTeamBody }, 409: raced() }),
  },
  'portal/team-invite': {
    tags: ['Portal'],
    security: 'bearer',
    description:
      'Any member with a verified email may invite. The link is emailed to the invited address (attributed to the sender, within the mail limits) and returned; it expires after PORTAL_INVITATION_TTL_SECONDS, works once, for the invited (verified) email only, and only while its sender is in the team.',
    body: invitationBody,
    headers: idempotencyKeyHeader,
    responses: api({
      201: { description: 'The invitation link.', schema: portalTeamInvitationBody, headers: replayed },
      400: validation(', a malformed `Idempotency-Key`, or `idempotency_key_reused`'),
      403: notVerifiedSender,
      409: raced(', or a request with this Idempotency-Key is still running'),
      429: mailLimited,
    }),
  },
  'portal/team-join': {
    tags: ['Portal'],
    security: 'bearer',
    description: 'Accepts a team invitation (moves the caller to that team) or an admin invitation. Accepting the same invitation again answers the same.',
    body: joinBody,
    responses: api({
      200: { description: 'Joined.', schema: portalJoinBody },
      400: validation(', or `invalid_invitation` (forged, altered, expired, withdrawn or already used link; its team is gone; its sender left the team)'),
      403: {
        description:
          '`forbidden`: the invitation was sent to another email (masked in the message); `email_not_verified`: the caller has not confirmed their email.',
        schema: errorBody,
      },
      409: raced(', or the caller is the only member of a team that still holds credentials'),
    }),
  },
  'portal/team-remove-member': {
    tags: ['Portal'],
    security: 'bearer',
    description: 'Members are peers: any member may remove a teammate or leave.',
    params: userIdParam,
    responses: api({
      204: { description: 'Removed.' },
      404: { description: '`not_found`: the team has no member with this user id.', schema: errorBody },
      409: raced(', or this is the last member (the credentials would be stranded)'),
    }),
  },
  'portal/team-invitation-withdraw': {
    tags: ['Portal'],
    security: 'bearer',
    description: 'Any member may withdraw a pending invitation of the team; the link stops working at once.',
    params: z.object({ inviteId: z.string().describe('The `id` of a pending invitation in GET /portal/team.') }),
    responses: api({
      204: { description: 'Withdrawn.' },
      404: { description: '`not_found`: the team has no pending invitation with this id (already used, withdrawn, or never existed).', schema: errorBody },
      409: raced(),
    }),
  },
  'portal/admin-teams': {
    tags: ['Portal admin'],
    security: 'bearer',
    responses: api({ 200: { description: 'Every team.', schema: portalAdminTeamsBody }, 403: notAdmin, 409: raced(), ...auth0Errors }),
  },
  'portal/admin-invite': {
    tags: ['Portal admin'],
    security: 'bearer',
    description:
      "The email names the role it grants. Admin invitations expire after ADMIN_INVITATION_TTL_SECONDS (at most the team invitations' lifetime); accepting one writes a `grant-role` audit entry in the same transaction.",
    body: adminInvitationBody,
    headers: idempotencyKeyHeader,
    responses: api({
      201: { description: 'The invitation link.', schema: portalAdminInvitationBody, headers: replayed },
      400: validation(', a malformed `Idempotency-Key`, or `idempotency_key_reused`'),
      403: { description: '`forbidden`: the caller is not a portal admin; `email_not_verified`: the caller has not confirmed their email.', schema: errorBody },
      409: raced(', or a request with this Idempotency-Key is still running'),
      429: mailLimited,
    }),
  },
  'portal/admin-invitations': {
    tags: ['Portal admin'],
    security: 'bearer',
    responses: api({ 200: { description: 'The pending admin invitations.', schema: portalAdminInvitationsBody }, 403: notAdmin, 409: raced() }),
  },
  'portal/admin-invitation-withdraw': {
    tags: ['Portal admin'],
    security: 'bearer',
    description: 'Any portal admin may withdraw a pending admin or user-admin invitation; the link stops working at once.',
    params: z.object({ inviteId: z.string().describe('The `id` of a pending invitation in GET /portal/admin/invitations.') }),
    responses: api({
      204: { description: 'Withdrawn.' },
      403: notAdmin,
      404: { description: '`not_found`: no pending admin invitation with this id (already used, withdrawn, or never existed).', schema: errorBody },
      409: raced(),
    }),
  },
  'portal/page': {
    tags: ['Pages'],
    description: 'Static HTML and one script (strict CSP, no framing); it signs in and calls the API itself, keeping tokens in memory only.',
    responses: { 200: { description: 'The page.', contentType: 'text/html', schema: z.string() }, 400: notJson, ...standardErrors('api') },
  },
};
