import { z } from 'zod';
import {
  appleNotificationBody,
  federatedLoginBody,
  federatedProviderPath,
  webSessionBody,
  webSignInCallback,
  webSignInStartQuery,
} from '../schemas/federation';
import { loginBody, refreshBody, registerBody, resetPasswordBody, sessionIdPath } from '../schemas/login-flow';
import { errorBody, jwksBody, messageBody, type OperationDescription, standardErrors, tokenResponseBody } from './common';

const consent = z.object({
  given: z.boolean(),
  at: z.string().nullable().describe('ISO time it was given; null when not given (or given before times were kept).'),
});

const sessionBody = z.object({
  session_id: z.string(),
  client: z.enum(['app', 'tv']).describe('`tv`: started by a TV sign-in (device authorization grant) of an OAuth client; `app`: the Login Flow.'),
  client_id: z.string().nullable(),
  started_at: z.string().describe('ISO time of the sign-in.'),
  last_used_at: z.string().describe('ISO time of the last refresh (or the sign-in).'),
  expires_at: z.string().describe('ISO time the session ends unless used again.'),
  amr: z.array(z.string()).describe('How the user signed in (RFC 8176: `pwd`, `otp`, `mfa`, `swk`, `hwk`, `user`).'),
  network: z
    .string()
    .nullable()
    .describe(
      'The coarse network the session was started from: an IPv4 /24 or IPv6 /48, never the address; null for sessions started before it was kept, and for TV sign-ins.',
    ),
  current: z.boolean().describe('The session of the access token that asked.'),
});

const sessionsListBody = z.object({ status: z.literal(200), sessions: z.array(sessionBody) });

const linkedIdentityBody = z.object({
  provider: z.enum(['apple', 'google']),
  email: z.string().nullable().describe('The address the provider gave when it was linked (Apple: maybe a private relay address); null when it gave none.'),
  linkedAt: z.string().describe('When it was linked (ISO 8601).'),
});
const identitiesListBody = z.object({ status: z.literal(200), identities: z.array(linkedIdentityBody) });
const linkTicketBody = z.object({
  status: z.literal(200),
  ticket: z.string().describe('One use: GET /login-flow/web-sign-in/{provider}/start?link=<ticket>&return_to=/account.'),
  expires_in: z.number().int().describe('Seconds the ticket can still be used (120).'),
});

const sessionDeletedBody = z.object({
  status: z.literal(200),
  current: z.boolean().describe('The session that ended was the one asking.'),
  message: z.string(),
});

export const profileViewBody = z
  .object({
    status: z.literal(200),
    id: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    consents: z.object({ approveTermsOfUse: consent, approveMarketing: consent }),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('Extra register fields (REGISTRATION_EXTRA_FIELDS) the user gave.'),
    locale: z.string().nullable().describe("The account's language (en, de, es), stored at registration; null when unknown."),
  })
  .meta({ id: 'Profile' });

const form403 = {
  description:
    'The form shows `formError` and the `fieldErrors` (validation, wrong credentials, back-off with `Retry-After`); `mfa_required` (field error on `otp`): the account has a second factor, send its code as `otp`; `invalid_otp` / `otp_reused`: a wrong or already used code.',
  schema: errorBody,
};

/** Applicaster's Login Flow and the JWKS, keyed by handler module. */
export const LOGIN_FLOW_OPERATIONS: Record<string, OperationDescription> = {
  'login-flow/register': {
    tags: ['Login Flow'],
    body: registerBody({ termsRequired: true }),
    responses: { 200: { description: 'Account created and signed in.', schema: tokenResponseBody }, 403: form403, ...standardErrors('login-flow') },
  },
  'login-flow/login': {
    tags: ['Login Flow'],
    body: loginBody,
    responses: { 200: { description: 'Signed in.', schema: tokenResponseBody }, 403: form403, ...standardErrors('login-flow') },
  },
  'login-flow/federated-login': {
    tags: ['Login Flow'],
    description:
      'Native Sign in with Apple / Google (docs/native-sign-in.md): the ID token the provider gave the app and the raw nonce, in exchange for our tokens. A token is accepted once. A new identity creates an account (the provider must have verified the address) or links to the account with that address when both addresses are verified.',
    params: federatedProviderPath,
    body: federatedLoginBody,
    responses: {
      200: { description: 'Signed in (a new account is created on the first sign-in).', schema: tokenResponseBody },
      403: {
        description:
          '`invalid_id_token` (bad signature, issuer, audience, nonce, expired, or already used), `provider_email_not_verified`, `email_required`, `mfa_required`, `forbidden` (disabled), `too_many_attempts`, `invalid_request`.',
        schema: errorBody,
      },
      409: {
        description: '`account_exists_sign_in_to_link`: an account has this address; sign in to it and link the provider from /account.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/apple-notifications': {
    tags: ['Login Flow'],
    description:
      "Apple's server-to-server notifications (docs/native-sign-in.md): the JWS verified against Apple's keys, issuer and our client ids; `consent-revoked` and `account-delete` unlink the Apple identity and end the account's sessions, `email-disabled`/`email-enabled` record the private relay's state. An event id is acted on once; a replay answers 200.",
    body: appleNotificationBody,
    responses: {
      200: { description: 'Received (acted on, or already acted on, or about an identity we do not know).', schema: messageBody },
      400: { description: '`invalid_request`: not a notification signed by Apple for one of our client ids.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'login-flow/web-sign-in-start': {
    tags: ['Login Flow'],
    description:
      '"Continue with Apple / Google" on the pages (docs/native-sign-in.md, "Web pages"): stores state, nonce and PKCE verifier (single use, 10 minutes), sets a browser-binding cookie and redirects to the provider (authorization code flow, S256; Apple with `response_mode=form_post`).',
    params: federatedProviderPath,
    query: webSignInStartQuery,
    responses: {
      302: {
        description: "To the provider's authorize endpoint.",
        headers: {
          Location: 'The provider URL; with a `link` ticket that is unknown, used or expired, the page (`return_to`) with `#link_error=link_invalid`.',
          'Set-Cookie': 'The browser binding (HttpOnly, Secure, SameSite=None).',
        },
      },
      400: { description: '`invalid_request`: an unknown provider.', schema: errorBody },
      403: { description: '`provider_unavailable`: the provider is not configured for the web.', schema: errorBody },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/web-sign-in-callback': {
    tags: ['Login Flow'],
    description:
      "The provider's answer (Google: GET with the query; Apple: POST form). The state is taken once, the code exchanged with the PKCE verifier, the ID token verified as on the native route. Back to the page with `#federated=<hand-off>` or `#federated_error=<code>` (`state_invalid`, `provider_refused`, `provider_unavailable`, `invalid_id_token`). A flow started with a link ticket issues no tokens: back with `#linked=<provider>`, or `#link_error=<code>` (those codes, `session_ended`, `identity_in_use`: the identity belongs to another account, `already_linked`).",
    params: federatedProviderPath,
    query: webSignInCallback,
    responses: {
      303: { description: 'Back to the page that started, with the hand-off or the failure in the fragment.', headers: { Location: 'The page.' } },
      400: { description: '`invalid_request`: an unknown provider or a malformed answer.', schema: errorBody },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/web-sign-in-form-post': {
    tags: ['Login Flow'],
    description:
      "The provider's answer (Google: GET with the query; Apple: POST form). The state is taken once, the code exchanged with the PKCE verifier, the ID token verified as on the native route. Back to the page with `#federated=<hand-off>` or `#federated_error=<code>` (`state_invalid`, `provider_refused`, `provider_unavailable`, `invalid_id_token`).",
    params: federatedProviderPath,
    body: webSignInCallback,
    bodyContentTypes: ['application/x-www-form-urlencoded'],
    responses: {
      303: { description: 'Back to the page that started, with the hand-off or the failure in the fragment.', headers: { Location: 'The page.' } },
      400: { description: '`invalid_request`: an unknown provider or a malformed answer.', schema: errorBody },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/web-session': {
    tags: ['Login Flow'],
    description:
      'The page finishes a web sign-in: the one-use hand-off code from the callback (and a second factor when the account has one; a missing or wrong code keeps the hand-off for another try; `approveTermsOfUse` when the sign-in creates an account on a platform that requires terms, a refusal naming it keeps the hand-off too) -> the same tokens as /login-flow/login.',
    body: webSessionBody,
    responses: {
      200: { description: 'Signed in.', schema: tokenResponseBody },
      403: {
        description:
          '`state_invalid` (the hand-off is unknown, used or expired), `mfa_required`, `invalid_registration` with `fieldErrors.approveTermsOfUse` (a new account must accept the terms: send the hand-off again with `approveTermsOfUse`), `provider_email_not_verified`, `email_required`, `forbidden` (disabled).',
        schema: errorBody,
      },
      409: {
        description: '`account_exists_sign_in_to_link`: sign in to the account with its password and link the provider from /account.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/refresh': {
    tags: ['Login Flow'],
    body: refreshBody,
    responses: {
      200: { description: 'The refresh token rotated.', schema: tokenResponseBody },
      403: {
        description: 'Invalid, expired, revoked or reused refresh token, or (`forbidden`) the account has been disabled by an operator.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/reset-password': {
    tags: ['Login Flow'],
    body: resetPasswordBody,
    responses: { 200: { description: 'Always, for a well-formed email.', schema: messageBody }, 403: form403, ...standardErrors('login-flow') },
  },
  'login-flow/delete-account': {
    tags: ['Login Flow'],
    query: z.object({ ctx: z.string().optional().describe('Base64 (standard or URL-safe, padded or not) JSON carrying the access token.') }),
    security: 'bearer',
    responses: {
      200: { description: 'Deleted (or already deleted).', schema: messageBody },
      401: { description: 'Missing or invalid access token, its session ended, or it expired more than the refresh idle lifetime ago.', schema: errorBody },
      403: {
        description:
          '`step_up_required`: the account has a second factor and none was proven in this session within STEP_UP_WINDOW_SECONDS; send a code to POST /login-flow/factors/step-up, then delete again.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/sign-out-everywhere': {
    tags: ['Login Flow'],
    security: 'bearer',
    responses: {
      200: {
        description: 'Every session of the user ended: refresh tokens, access tokens issued until now, and TV sign-ins approved but not yet collected.',
        schema: messageBody,
      },
      401: { description: 'Missing, invalid or expired access token, or its session already ended.', schema: errorBody },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/sessions-list': {
    tags: ['Login Flow'],
    description:
      'Every live session (refresh-token family) of the user of the access token, most recently used first; the session of this access token has `current: true`.',
    security: 'bearer',
    responses: {
      200: { description: 'The sessions.', schema: sessionsListBody },
      401: { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'login-flow/session-delete': {
    tags: ['Login Flow'],
    description:
      "Ends one session of the user: its refresh token fails at once, its access tokens at their next session check. The caller's own session may be ended (`current: true` in the answer).",
    security: 'bearer',
    params: sessionIdPath,
    responses: {
      200: { description: 'The session ended.', schema: sessionDeletedBody },
      400: { description: '`sessionId` is not a session id.', schema: errorBody },
      401: { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody },
      404: { description: 'The user has no live session with this id (also for a session of another user).', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'login-flow/identities-list': {
    tags: ['Login Flow'],
    description: "The Apple and Google accounts linked to the user of the access token, oldest first; never the provider's user id or tokens.",
    security: 'bearer',
    responses: {
      200: { description: 'The linked sign-in methods.', schema: identitiesListBody },
      401: { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'login-flow/identity-delete': {
    tags: ['Login Flow'],
    description:
      'Unlinks the provider from the user of the access token (both identity items in one transaction). An account with a second factor needs a recent one (403 `step_up_required`, as for deleting the account). Refused with 409 `last_sign_in_method` when nothing would be left to sign in with: no other provider, no passkey and no password the person set (an account a provider created has none until a password reset).',
    security: 'bearer',
    params: federatedProviderPath,
    responses: {
      200: { description: 'The provider is unlinked.', schema: messageBody },
      400: { description: '`provider` is not apple or google.', schema: errorBody },
      401: { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody },
      403: { description: '`step_up_required`: the account has a second factor and the session used none recently.', schema: errorBody },
      404: { description: 'No identity of this provider is linked to the account.', schema: errorBody },
      409: {
        description: '`last_sign_in_method`: it is the only way left to sign in; or the sign-in methods changed meanwhile (`conflict`).',
        schema: errorBody,
      },
      ...standardErrors('api'),
    },
  },
  'login-flow/identity-link': {
    tags: ['Login Flow'],
    description:
      'Starts linking the provider to the user of the access token (the account page\'s "Link Google" / "Link Apple"): a one-use ticket, valid 2 minutes, bound to the user and this session, for GET /login-flow/web-sign-in/{provider}/start?link=<ticket>. An account with a second factor needs a recent one (403 `step_up_required`, as for unlinking); an account without one needs a sign-in within STEP_UP_WINDOW_SECONDS (403 `reauthentication_required`: sign in again), so a session stolen later cannot add its thief\'s sign-in method. The callback links the identity only while this session still stands and only if no other account has it; the provider\'s email need not match the account\'s.',
    security: 'bearer',
    params: federatedProviderPath,
    responses: {
      200: { description: 'The ticket.', schema: linkTicketBody },
      400: { description: '`provider` is not apple or google.', schema: errorBody },
      401: { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody },
      403: {
        description:
          '`step_up_required`: the account has a second factor and the session used none recently; `reauthentication_required`: it has none and the session signed in longer ago than STEP_UP_WINDOW_SECONDS.',
        schema: errorBody,
      },
      409: { description: '`already_linked`: an identity of this provider is linked to the account already (unlink it first).', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'login-flow/me': {
    tags: ['Login Flow'],
    description:
      'The user of the access token: names, email, `email_verified`, consents with the time each was given, and the extra register fields of REGISTRATION_EXTRA_FIELDS the user gave.',
    security: 'bearer',
    responses: {
      200: { description: 'The profile.', schema: profileViewBody },
      401: { description: 'Missing, invalid or expired access token, or the account is gone (`WWW-Authenticate: Bearer`).', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'well-known/openapi': {
    tags: ['Meta'],
    responses: {
      200: {
        description: 'This document.',
        schema: z.object({ openapi: z.literal('3.1.0'), info: z.object({ title: z.string() }).loose(), paths: z.record(z.string(), z.unknown()) }).loose(),
      },
      ...standardErrors('api'),
    },
  },
  'well-known/jwks': {
    tags: ['Tokens'],
    responses: { 200: { description: 'Public keys.', schema: jwksBody, contentType: 'application/jwk-set+json' }, ...standardErrors('api') },
  },
};
