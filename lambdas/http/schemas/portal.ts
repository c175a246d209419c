import * as z from 'zod';
import { isEmail, normalizeEmail } from '../../core/email';

/**
 * Request bodies of the developer portal. Unknown fields are dropped, never
 * rejected. Environments are accepted in any case ("Sandbox" is how the
 * reference portal spells them) and answered in lower case.
 */

export const credentialBody = z.object({
  name: z
    .string({ error: 'Give the credential a name.' })
    .trim()
    .min(1, 'Give the credential a name.')
    .max(64, 'Use at most 64 characters.')
    // Auth0 refuses < and > in client names; control characters have no place in a name either.
    .refine((value) => !/[<>\p{Cc}]/u.test(value), 'Use letters, digits, spaces and punctuation other than < and >.'),
  environment: z
    .string({ error: 'Choose "sandbox" or "production".' })
    .trim()
    .toLowerCase()
    .pipe(z.enum(['sandbox', 'production'], { error: 'Choose "sandbox" or "production".' })),
});

export const invitationBody = z.object({
  email: z
    .string({ error: 'Enter the email address to invite.' })
    .trim()
    .min(1, 'Enter the email address to invite.')
    .max(254, 'This email address is too long.')
    .refine(isEmail, 'Enter a valid email address, like name@example.com.')
    .transform(normalizeEmail),
});

/** An admin invitation: `kind` says which permission the link grants (default portal-admin). */
export const adminInvitationBody = invitationBody.extend({
  kind: z.enum(['portal-admin', 'user-admin'], { error: 'Choose "portal-admin" or "user-admin".' }).default('portal-admin'),
});

export const joinBody = z.object({
  token: z
    .string({ error: 'The invitation token is missing.' })
    .trim()
    .min(1, 'The invitation token is missing.')
    .max(4096, 'This invitation token is not valid.'),
});
