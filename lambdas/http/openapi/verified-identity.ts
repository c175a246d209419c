import { z } from 'zod';
import { resetPasswordBody } from '../schemas/login-flow';
import { verifyConfirmBody } from '../schemas/password-reset';
import { errorBody, messageBody, type OperationDescription, standardErrors } from './common';

export const emailVerifiedBody = z
  .object({ status: z.literal(200), verified: z.literal(true), email: z.string(), message: z.string() })
  .meta({ id: 'EmailVerified', description: 'The address is confirmed.' });

/** `403 email_not_verified`: how every verified-only operation describes its refusal. */
export const emailNotVerified = {
  description:
    '`email_not_verified`: the action needs a confirmed email; `formError` tells the person to open the emailed link (POST /verify-email/resend sends a new one).',
  schema: errorBody,
};

/** Email verification and invitation withdrawal (docs/security.md), keyed by handler module. */
export const VERIFIED_IDENTITY_OPERATIONS: Record<string, OperationDescription> = {
  'web/verify-email': {
    tags: ['Pages'],
    description: 'Looks at the link only: confirming takes a click on the page (a POST), so a mail scanner that fetches the link confirms nothing.',
    query: z.object({
      token: z.string().optional().describe('From the verification email.'),
      return_to: z.string().optional().describe('"Continue" after success: a path here or an origin in ALLOWED_ORIGINS; anything else is dropped.'),
    }),
    responses: {
      200: { description: 'The page (strict CSP, no framing, no caching).', contentType: 'text/html', schema: z.string() },
      ...standardErrors('api'),
    },
  },
  'verify-email/confirm': {
    tags: ['Verified identity'],
    body: verifyConfirmBody,
    responses: {
      200: { description: 'Confirmed; the token is spent.', schema: emailVerifiedBody },
      400: {
        description: '`verify_link_used` / `verify_link_expired` / `verify_link_invalid` (the page offers a new link), or a malformed body.',
        schema: errorBody,
      },
      ...standardErrors('api'),
    },
  },
  'verify-email/resend': {
    tags: ['Verified identity'],
    body: resetPasswordBody,
    responses: {
      200: {
        description: 'Always, for a well-formed email; a link goes out only to an unconfirmed account, at most VERIFICATION_EMAILS_PER_HOUR per address.',
        schema: messageBody,
      },
      400: { description: 'Malformed body.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
};
