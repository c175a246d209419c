import * as z from 'zod';
import { newPassword } from './login-flow';

/** POST /login-flow/reset-password/confirm. `passwordConfirmation` is checked when sent, as on register. */
export const resetConfirmBody = z
  .object({
    token: z
      .string({ error: 'This password reset link is not valid. Request a new link.' })
      .min(1, 'This password reset link is not valid. Request a new link.')
      .max(256, 'This password reset link is not valid. Request a new link.'),
    password: newPassword,
    passwordConfirmation: z.string({ error: 'Repeat your new password.' }).optional(),
  })
  .superRefine((value, context) => {
    if (value.passwordConfirmation !== undefined && value.passwordConfirmation !== value.password) {
      context.addIssue({ code: 'custom', path: ['passwordConfirmation'], message: 'The passwords do not match.' });
    }
  });

const verifyLinkProblem = 'This confirmation link is not valid. Send a new link.';

/** POST /verify-email/confirm: the token from the page the emailed link opened. */
export const verifyConfirmBody = z.object({
  token: z.string({ error: verifyLinkProblem }).min(1, verifyLinkProblem).max(256, verifyLinkProblem),
});
