import { z } from 'zod';
import { loginBody } from '../schemas/login-flow';
import { acronisBody } from '../schemas/sso';
import { errorBody, standardErrors, type OperationDescription } from './common';

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

/** What partner failures answer (CONTRACTS.md §3, §4; README.md, "SSO hand-offs"). */
const partnerErrors: OperationDescription['responses'] = {
  502: { description: 'The partner rejected our credentials (names the setting to check), refused this user, answered malformed JSON, or failed (5xx / unreachable).', schema: errorBody },
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
      403: { description: '`forbidden`: the account has been disabled by an operator.', schema: errorBody },
      ...standardErrors('api'),
      ...partnerErrors,
    },
  },
  'sso/astrato-login': {
    tags: ['SSO'],
    description: 'Email + password (the login page) -> an Astrato ticket, under the same brute-force back-off as /login-flow/login; no LoginBridge session is started.',
    body: loginBody,
    responses: {
      200: { description: 'A fresh ticket.', schema: astratoTicketBody },
      403: { description: 'Wrong credentials, validation errors or back-off (`Retry-After`): `formError` and `fieldErrors` for the form.', schema: errorBody },
      ...standardErrors('login-flow'),
      ...partnerErrors,
    },
  },
  'sso/acronis': {
    tags: ['SSO'],
    description: "Asks Acronis for a one-time token for the user of the access token and returns the external-login URL; `target_uri` must be on ACRONIS_TARGET_ALLOWLIST.",
    security: 'bearer',
    body: acronisBody,
    responses: {
      200: { description: 'The external-login URL.', schema: acronisLinkBody },
      400: { description: 'Malformed body, or `target_uri` not on the allow-list (`target_not_allowed`).', schema: errorBody },
      401: unauthenticated,
      403: { description: 'The user record has no value in the configured Acronis login / external-id field, or the account has been disabled by an operator.', schema: errorBody },
      ...standardErrors('api'),
      ...partnerErrors,
    },
  },
  'web/login-page': {
    tags: ['Web pages'],
    description: 'The custom Astrato login page (HTML, strict CSP, framable by LOGIN_PAGE_FRAME_ANCESTORS).',
    responses: { 200: { description: 'The page.', contentType: 'text/html' } },
  },
};
