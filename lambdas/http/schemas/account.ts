import * as z from 'zod';
import type { ProfileFieldSpec } from '../../core/profile-fields';
import { email, name, newPassword } from './login-flow';
import { profileFieldsBody } from './profile-fields';

/**
 * Request bodies of the account's self-service routes (/account and the Login
 * Flow API): the same field rules as POST /login-flow/register. Unknown
 * fields, `email` among them, are ignored: the email changes only by a link.
 */

/** PATCH /login-flow/me: names and the configured extra fields; whatever is not sent keeps its value. */
export const profileChangeBody = (extraFields: readonly ProfileFieldSpec[]) =>
  z.object({ firstName: name('first name').optional(), lastName: name('last name').optional() }).and(profileFieldsBody(extraFields));

/** "on" or true or "true": yes; false, "false", "off": no; absent: the default (true). */
const signOutOthers = z
  .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false'), z.literal('off')], { error: 'Use true or false.' })
  .optional()
  .transform((value) => value === undefined || value === true || value === 'on' || value === 'true');

/** POST /login-flow/change-password. */
export const passwordChangeBody = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password.' }).max(1024, 'This password is too long.').optional(),
    newPassword,
    newPasswordConfirmation: z.string({ error: 'Repeat your new password.' }).optional(),
    signOutOtherSessions: signOutOthers,
  })
  .superRefine((value, context) => {
    if (value.newPasswordConfirmation !== undefined && value.newPasswordConfirmation !== value.newPassword) {
      context.addIssue({ code: 'custom', path: ['newPasswordConfirmation'], message: 'The passwords do not match.' });
    }
  });

/** POST /login-flow/change-email: the new address (normalised as at registration) and the proof. */
export const emailChangeBody = z.object({
  newEmail: email,
  currentPassword: z.string({ error: 'Enter your current password.' }).max(1024, 'This password is too long.').optional(),
});

/** POST /confirm-email-change/confirm: the token of the emailed link. */
export const emailChangeConfirmBody = z.object({
  token: z.string({ error: 'This link is not complete.' }).trim().min(1, 'This link is not complete.').max(200, 'This link is not valid.'),
});
