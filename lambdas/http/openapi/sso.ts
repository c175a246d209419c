import { z } from 'zod';
import { SSO_PARTNERS } from '../../core/partners';
import { loginBody } from '../schemas/login-flow';
import { acronisBody, acronisLoginBody } from '../schemas/sso';
import { errorBody, type OperationDescription, standardErrors } from './common';
import { emailNotVerified } from './verified-identity';

export const astratoTicketBody = z
  .object({
    status: z.literal(200),
    ticket: z.string().describe('Single-use Astrato web ticket; lives 60 s.'),
    base_url: z.string().describe('The Astrato base URL the ticket is valid on.'),
    redirect_url: z.string().describe('`{base}/auth/proxy/oem/ticket/{ticket}?embed`: open it in the top-level window.'),
  })
  .meta({ id: 'AstratoTicket' });

export const acronisLinkBody = z
  .object({
    status: z.literal(200),
    url: z.string().describe('`{dc}/api/2/idp/external-login#ott=...&targetURI=...` (or with `?`): open it in the top-level window; the OTT works once.'),
  })
  .meta({ id: 'AcronisLoginLink' });

/** What partner failures answer (docs/sso.md). */
const partnerErrors: OperationDescription['responses'] = {
  502: {
    description:
      'The partner rejected our credentials (names the setting to check), refused this user, answered malformed JSON, or failed (5xx / unreachable).',
    schema: errorBody,
  },
  503: { description: 'The partner stayed busy (429) past the retry bound (`Retry-After`), or its credentials are not configured yet.', schema: errorBody },
  504: { description: 'The partner did not answer within PARTNER_TIMEOUT_MS.', schema: errorBody },
};
const unauthenticated = { description: 'Missing, invalid or expired access token (`WWW-Authenticate: Bearer`).', schema: errorBody };

/** The SSO hand-offs and the login page, keyed by handler module. */
export const SSO_OPERATIONS: Record<string, OperationDescription> = {
  'sso/astrato': {
    tags: ['SSO'],
    description: 'Asks Astrato for a single-use OEM web ticket for the user of the access token (never for an email from the request).',
    security: 'bearer',
    responses: {
      200: { description: 'A fresh ticket.', schema: astratoTicketBody },
      400: { description: 'Malformed JSON body.', schema: errorBody },
      401: unauthenticated,
      403: { ...emailNotVerified, description: `${emailNotVerified.description} Also \`forbidden\`: the account has been disabled by an operator.` },
      ...standardErrors('api'),
      ...partnerErrors,
    },
  },
  'sso/astrato-login': {
    tags: ['SSO'],
    description:
      'Email + password (the login page) -> an Astrato ticket, under the same brute-force back-off as /login-flow/login; no LoginBridge session is started.',
    body: loginBody,
    responses: {
      200: { description: 'A fresh ticket.', schema: astratoTicketBody },
      403: {
        description:
          'Wrong credentials, validation errors or back-off (`Retry-After`): `formError` and `fieldErrors` for the form; `email_not_verified` when the address is not confirmed yet.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
      ...partnerErrors,
    },
  },
  'sso/acronis': {
    tags: ['SSO'],
    description:
      'Asks Acronis for a one-time token for the user of the access token and returns the external-login URL; `target_uri` must be on ACRONIS_TARGET_ALLOWLIST.',
    security: 'bearer',
    body: acronisBody,
    responses: {
      200: { description: 'The external-login URL.', schema: acronisLinkBody },
      400: { description: 'Malformed body, or `target_uri` not on the allow-list (`target_not_allowed`).', schema: errorBody },
      401: unauthenticated,
      403: {
        description:
          '`email_not_verified` (the address is not confirmed yet), the user record has no value in the configured Acronis login / external-id field, or the account has been disabled by an operator.',
        schema: errorBody,
      },
      ...standardErrors('api'),
      ...partnerErrors,
    },
  },
  'sso/acronis-login': {
    tags: ['SSO'],
    description:
      'Email + password (the login page with `?partner=acronis`) + optional allow-listed `target_uri` -> the Acronis external-login URL, under the same brute-force back-off as /login-flow/login; no LoginBridge session is started.',
    body: acronisLoginBody,
    responses: {
      200: { description: 'The external-login URL.', schema: acronisLinkBody },
      400: { description: '`target_uri` not on the allow-list (`target_not_allowed`).', schema: errorBody },
      403: {
        description: 'Wrong credentials, validation errors or back-off (`Retry-After`); or the user is not linked to an Acronis user.',
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
      ...partnerErrors,
    },
  },
  'web/login-page': {
    tags: ['Web pages'],
    description:
      'The custom login page (HTML, strict CSP, framable by LOGIN_PAGE_FRAME_ANCESTORS). Signs the user in to Astrato, or with `?partner=acronis[&target=...]` to Acronis; either way the top-level window goes to the partner.',
    query: z.object({
      partner: z.enum(SSO_PARTNERS).optional().describe('Where to send the user after sign-in (default astrato).'),
      target: z.string().optional().describe('Acronis only: an allow-listed target such as `/bc/` or `{dc}/mc/`.'),
    }),
    responses: { 200: { description: 'The page.', contentType: 'text/html' }, 400: { description: 'An unknown `partner`.', schema: errorBody } },
  },
};
