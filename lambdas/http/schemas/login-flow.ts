import * as z from 'zod';
import { isEmail, normalizeEmail } from '../../core/email';
import { passwordProblem } from '../../core/password-policy';
import type { ProfileFieldSpec } from '../../core/profile-fields';
import { passkeyAnswer } from './passkeys';
import { profileFieldsBody } from './profile-fields';

/**
 * Request bodies of Applicaster's Login Flow. Unknown fields (device info,
 * `platform`, `signedDeviceInfoToken`, ...) are accepted and dropped. Roku's
 * screens send `username` for the email: it is an alias.
 */

export const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'This email address is too long.')
  .refine(isEmail, 'Enter a valid email address, like name@example.com.')
  .transform(normalizeEmail);

/** Copies `username` into `email` when only `username` was sent. */
const withEmailAlias = (value: unknown) => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if ((record.email === undefined || record.email === '') && record.username !== undefined) return { ...record, email: record.username };
  }
  return value;
};

const loginPassword = z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'This password is too long.');

/** "on" (an HTML checkbox), true or "true" mean yes; null, absent, false mean no. */
export const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('false'), z.literal('off'), z.literal(''), z.boolean(), z.null()], {
    error: 'Use "on" or null.',
  })
  .optional()
  .transform((value) => value === 'on' || value === 'true' || value === true);

export const name = (label: string) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(100, `Your ${label} can be at most 100 characters.`);

/** A second factor's code beside the password: 6 digits (TOTP) or a recovery code; only accounts with a factor need it. */
export const otpCode = z
  .string({ error: 'Enter the code from your authenticator app, or a recovery code.' })
  .trim()
  .max(40, 'This code is too long.')
  .optional()
  .transform((value) => (value ? value : undefined));

/** `passkey`: a passkey as the second factor instead of `otp` (docs/security.md, "Second factors and passkeys"). */
export const loginBody = z.preprocess(withEmailAlias, z.object({ email, password: loginPassword, otp: otpCode, passkey: passkeyAnswer.optional() }));

/** The password policy runs here too, so every failing field is reported at once (the core checks it again with the user's names). */
const newPassword = z
  .string({ error: 'Choose a password.' })
  .max(1024, 'This password is too long.')
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** `extraFields`: the platform's allow-list of extra profile fields (REGISTRATION_EXTRA_FIELDS); they come back under `profileFields`. */
export const registerBody = (options: { termsRequired: boolean; extraFields?: readonly ProfileFieldSpec[] }) =>
  z.preprocess(
    withEmailAlias,
    z
      .object({
        firstName: name('first name'),
        lastName: name('last name'),
        email,
        password: newPassword,
        passwordConfirmation: z.string({ error: 'Repeat your password.' }).optional(),
        approveTermsOfUse: checkbox.refine((accepted) => accepted || !options.termsRequired, 'Please accept the terms of use to create an account.'),
        approveMarketing: checkbox,
      })
      .superRefine((value, context) => {
        if (value.passwordConfirmation !== undefined && value.passwordConfirmation !== value.password) {
          context.addIssue({ code: 'custom', path: ['passwordConfirmation'], message: 'The passwords do not match.' });
        }
      })
      .and(profileFieldsBody(options.extraFields ?? [])),
  );

export const refreshBody = z.object({
  refresh_token: z.string({ error: 'A refresh token is required.' }).min(1, 'A refresh token is required.').max(512, 'This refresh token is not valid.'),
});

export const resetPasswordBody = z.preprocess(withEmailAlias, z.object({ email }));

export { newPassword };

/** A session id in a path: the family id of a refresh token (parseRefreshToken's segment). */
export const sessionIdPath = z.object({
  sessionId: z.string({ error: 'Name the session.' }).regex(/^[A-Za-z0-9_-]{16,64}$/, 'This is not a session id.'),
});
