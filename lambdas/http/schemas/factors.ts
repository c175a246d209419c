import * as z from 'zod';
import { passkeyAnswer } from './passkeys';

/** Request bodies of second-factor management (docs/security.md). Unknown fields are dropped. */

const label = z
  .string({ error: 'Give the factor a name, like "Phone".' })
  .trim()
  .min(1, 'Give the factor a name, like "Phone".')
  .max(60, 'A name can be at most 60 characters.');

const code = z
  .string({ error: 'Enter the code from your authenticator app.' })
  .trim()
  .min(1, 'Enter the code from your authenticator app.')
  .max(40, 'This code is too long.');

export const totpEnrolBody = z.object({ label: label.optional().default('Authenticator app') });

export const totpConfirmBody = z.object({ factorId: z.string({ error: 'Name the enrolment to confirm.' }).trim().min(1).max(64), code });

export const factorRenameBody = z.object({ label });

/** A code (`otp`) or a passkey assertion (`passkey`, from POST /login-flow/passkey/options). */
export const stepUpBody = z.object({ otp: code.optional(), passkey: passkeyAnswer.optional() }).superRefine((body, context) => {
  if (!body.otp && !body.passkey) context.addIssue({ code: 'custom', path: ['otp'], message: 'Enter the code from your authenticator app.' });
});
