import { z } from 'zod';
import { DEVICE_CODE_GRANT, ID_TOKEN_TYPE, REFRESH_TOKEN_GRANT, TOKEN_EXCHANGE_GRANT } from '../../core/oauth/authorization-server';
import { activationDecisionBody, activationLookupBody, deviceAuthorizationParams, revocationParams, tokenParams } from '../schemas/oauth';
import { resetConfirmBody } from '../schemas/password-reset';
import { errorBody, messageBody, type OperationDescription, oauthErrorBody, standardErrors, tokenResponseBody } from './common';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export const authorizationServerMetadataBody = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    device_authorization_endpoint: z.string(),
    revocation_endpoint: z.string(),
    jwks_uri: z.string(),
    grant_types_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
  })
  .meta({ id: 'AuthorizationServerMetadata', description: 'RFC 8414 metadata.' });

export const deviceAuthorizationBody = z
  .object({
    device_code: z.string().describe('`<USERCODE>.<256-bit secret>`; only its SHA-256 is stored.'),
    user_code: z.string().describe('`XXXX-XXXX` from BCDFGHJKLMNPQRSTVWXZ.'),
    verification_uri: z.string(),
    verification_uri_complete: z.string(),
    expires_in: z.number().int().positive(),
    interval: z.number().int().positive(),
  })
  .meta({ id: 'DeviceAuthorization', description: 'RFC 8628 §3.2 device authorization response.' });

export const activationCodeBody = z
  .object({ status: z.literal(200), user_code: z.string(), client_id: z.string(), client_name: z.string(), expires_in: z.number().int().nonnegative() })
  .meta({ id: 'ActivationCode', description: 'A pending TV sign-in: which app asks, and for how much longer.' });

export const activationDecisionResult = z
  .object({
    status: z.literal(200),
    decision: z.enum(['approved', 'denied']),
    user_code: z.string(),
    client_id: z.string(),
    client_name: z.string(),
    expires_in: z.number().int().nonnegative(),
    message: z.string(),
  })
  .meta({ id: 'ActivationDecision' });

/** The same parameters, each optional, in the query string (Applicaster's TV plugin sends them there with an empty body). */
const oauthQuery = (schema: z.ZodObject) => schema.partial();
const oauth400 = (what: string) => ({ description: what, schema: oauthErrorBody });
const invalidClient = { description: '`invalid_client`: unknown `client_id` (`WWW-Authenticate: Basic`).', schema: oauthErrorBody };
const html = { description: 'The page (strict CSP, no framing, no caching).', contentType: 'text/html', schema: z.string() };

/** TV sign-in (RFC 8628) and the web password reset, keyed by handler module. */
export const TV_AND_RESET_OPERATIONS: Record<string, OperationDescription> = {
  'oauth/metadata': {
    tags: ['OAuth'],
    responses: { 200: { description: 'The metadata.', schema: authorizationServerMetadataBody }, ...standardErrors('oauth') },
  },
  'oauth/device-authorization': {
    tags: ['OAuth'],
    description: 'RFC 8628 §3.1. Parameters form-encoded, in the query string, or both (they must agree).',
    body: deviceAuthorizationParams,
    bodyContentTypes: [FORM, JSON_TYPE],
    query: oauthQuery(deviceAuthorizationParams),
    responses: {
      200: { description: 'Codes for the TV.', schema: deviceAuthorizationBody },
      400: oauth400('`invalid_request`.'),
      401: invalidClient,
      ...standardErrors('oauth'),
    },
  },
  'oauth/token': {
    tags: ['OAuth'],
    description: `\`grant_type\` = \`${DEVICE_CODE_GRANT}\` (RFC 8628 §3.4) or \`${REFRESH_TOKEN_GRANT}\` (RFC 6749 §6), or \`${TOKEN_EXCHANGE_GRANT}\` (RFC 8693) with \`subject_token\` = an Apple or Google ID token, \`subject_token_type\` = \`${ID_TOKEN_TYPE}\`, \`subject_issuer\` = \`apple\` or \`google\` and \`nonce\` = the app's raw nonce (docs/native-sign-in.md). Public clients: an \`Authorization: Basic\` header is ignored.`,
    body: tokenParams,
    bodyContentTypes: [FORM, JSON_TYPE],
    query: oauthQuery(tokenParams),
    responses: {
      200: { description: 'Tokens (the same sessions as the Login Flow).', schema: tokenResponseBody },
      400: oauth400(
        '`authorization_pending`, `slow_down` (add 5 s), `access_denied`, `expired_token`, `invalid_grant` (token exchange: an ID token refused or already used, an existing account to sign in to and link from /account), `invalid_request` or `unsupported_grant_type`. With `LOGIN_REQUIRES_VERIFIED_EMAIL=true`, an unverified address gets `access_denied` on the device_code grant and `invalid_grant` on the refresh_token grant, each with an `error_description` saying so.',
      ),
      401: invalidClient,
      ...standardErrors('oauth'),
    },
  },
  'oauth/revoke': {
    tags: ['OAuth'],
    description: 'RFC 7009. `access_token` is accepted instead of `token` (Applicaster TV logout).',
    body: revocationParams,
    bodyContentTypes: [FORM, JSON_TYPE],
    responses: {
      200: { description: 'Revoked, or nothing to revoke.', schema: z.object({ status: z.literal(200) }) },
      400: oauth400('`invalid_request`: no token.'),
      401: invalidClient,
      ...standardErrors('oauth'),
    },
  },
  'oauth/activate-lookup': {
    tags: ['TV activation'],
    description: 'Used by /activate. A well-formed code that opens nothing counts against the caller IP (/64 for IPv6).',
    body: activationLookupBody,
    responses: {
      200: { description: 'The pending sign-in.', schema: activationCodeBody },
      400: { description: 'Malformed code, or `unknown_code` / `code_expired` / `code_used` / `code_denied`.', schema: errorBody },
      429: { description: '`too_many_attempts`: too many wrong codes from this IP; `Retry-After`.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'oauth/activate-decision': {
    tags: ['TV activation'],
    description:
      "Approve needs `email` + `password` (Login Flow back-off; `otp` too for an account with a second factor) or `Authorization: Bearer` of a live session; deny needs no sign-in. The TV's tokens carry the approver's `amr`.",
    body: activationDecisionBody.extend({
      email: z.string().optional(),
      password: z.string().optional(),
      otp: z.string().optional().describe("The 6-digit code of the account's authenticator app, or a recovery code (docs/security.md)."),
    }),
    responses: {
      200: { description: 'Approved or denied.', schema: activationDecisionResult },
      400: { description: 'Field errors, wrong credentials, or a code that cannot be used.', schema: errorBody },
      401: { description: 'The bearer token is invalid or its session ended.', schema: errorBody },
      403: {
        description:
          '`forbidden`: the approving account has been disabled by an operator; `email_not_verified`: with `LOGIN_REQUIRES_VERIFIED_EMAIL=true`, the approving address is not confirmed (the code stays pending); `mfa_required`: the account has a second factor and no `otp` was sent (field error on `otp`; the code stays pending).',
        schema: errorBody,
      },
      429: { description: 'Too many wrong codes from this IP, or sign-in back-off; `Retry-After`.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'web/home-page': {
    tags: ['Pages'],
    description: 'The home page for people: links to sign-up, their account, TV activation, the developer portal and password reset (HTML, no script).',
    responses: { 200: html, ...standardErrors('api') },
  },
  'web/signup': {
    tags: ['Pages'],
    description:
      'The sign-up page: posts to /login-flow/register (TERMS_REQUIRED and REGISTRATION_EXTRA_FIELDS from configuration), then offers /verify-email/resend (HTML).',
    responses: { 200: html, ...standardErrors('api') },
  },
  'web/activate': {
    tags: ['Pages'],
    query: z.object({ user_code: z.string().optional().describe('From verification_uri_complete: pre-fills and looks up the code.') }),
    responses: { 200: html, ...standardErrors('api') },
  },
  'web/activate-qr': {
    tags: ['Pages'],
    query: z.object({ user_code: z.string().describe('XXXX-XXXX') }),
    responses: {
      200: { description: 'SVG QR code of verification_uri_complete.', contentType: 'image/svg+xml', schema: z.string() },
      400: { description: 'Not a user code.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'web/reset-password': {
    tags: ['Pages'],
    query: z.object({
      token: z.string().optional().describe('From the reset email.'),
      return_to: z.string().optional().describe('"Continue" after success: a path here or an origin in ALLOWED_ORIGINS; anything else is dropped.'),
    }),
    responses: { 200: html, ...standardErrors('api') },
  },
  'login-flow/reset-password-confirm': {
    tags: ['Login Flow'],
    body: resetConfirmBody,
    responses: {
      200: { description: 'Password changed; every session ended; the user was emailed.', schema: messageBody },
      403: {
        description: '`formError` + `fieldErrors`; `error` = `reset_link_used` / `reset_link_expired` / `reset_link_invalid` for a link that cannot be used.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
};
