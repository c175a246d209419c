import { z } from 'zod';
import { emailChangeBody, emailChangeConfirmBody, passwordChangeBody, profileChangeBody } from '../schemas/account';
import { errorBody, type OperationDescription, standardErrors } from './common';
import { profileViewBody } from './login-flow';

const sessionEnded = { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody };

const passwordChangedBody = z.object({
  status: z.literal(200),
  message: z.string(),
  signedOutSessions: z.number().int().describe('How many other sessions ended (0 with `signOutOtherSessions: false`).'),
  emailSent: z.boolean().describe('The "your password was changed" email went out (the change happened either way).'),
});

const emailChangeRequestedBody = z.object({ status: z.literal(200), pendingEmail: z.string(), message: z.string() });

const emailChangedBody = z.object({ status: z.literal(200), email: z.string(), message: z.string() });

/** The account's self-service routes (docs/login-flow.md, "Your own account"), keyed by handler module. */
export const ACCOUNT_OPERATIONS: Record<string, OperationDescription> = {
  'login-flow/profile-update': {
    tags: ['Login Flow'],
    description:
      'Changes the names and the extra register fields (REGISTRATION_EXTRA_FIELDS, the register rules) of the user of the access token; fields not sent keep their value. The email is not changed here (unknown fields, `email` among them, are ignored).',
    security: 'bearer',
    body: profileChangeBody([]),
    responses: {
      200: { description: 'The profile after the change (as GET /login-flow/me).', schema: profileViewBody },
      400: { description: '`invalid_request`: `fieldErrors` names each bad field.', schema: errorBody },
      401: sessionEnded,
      ...standardErrors('api'),
    },
  },
  'login-flow/change-password': {
    tags: ['Login Flow'],
    description:
      'A new password (the register policy). Proof: `currentPassword`, counted by the sign-in limits before it is checked; an account with a second factor proves a recent factor instead (POST /login-flow/factors/step-up). `signOutOtherSessions` (default true) ends every other session; this one stays. The user is emailed.',
    security: 'bearer',
    body: passwordChangeBody,
    responses: {
      200: { description: 'The password changed.', schema: passwordChangedBody },
      400: {
        description:
          '`invalid_request` or `weak_password` (`fieldErrors.newPassword`), `current_password_required`, `invalid_current_password` (`fieldErrors.currentPassword`; with a wait after repeated failures), `no_password`: the account has no password, password reset adds one.',
        schema: errorBody,
      },
      401: sessionEnded,
      403: {
        description: '`step_up_required`: the account has a second factor and none was proven in this session within STEP_UP_WINDOW_SECONDS.',
        schema: errorBody,
      },
      429: {
        description: '`too_many_attempts`: the sign-in back-off of this account or address holds (`Retry-After`); no password was checked.',
        schema: errorBody,
      },
      ...standardErrors('api'),
    },
  },
  'login-flow/change-email': {
    tags: ['Login Flow'],
    description:
      'Asks to change the email. Proof as for the password change (`currentPassword`, or a recent second factor). A single-use link goes to `newEmail` (EMAIL_CHANGE_TOKEN_TTL_SECONDS) and a notice to the current address; the email changes only when the link is confirmed. The answer is the same when another account has `newEmail` (that address is told instead, and no link is made).',
    security: 'bearer',
    body: emailChangeBody,
    responses: {
      200: { description: 'A link was sent to the new address (or, for an address another account has, a notice).', schema: emailChangeRequestedBody },
      400: {
        description:
          '`invalid_request` (`fieldErrors.newEmail`), `same_email`, `current_password_required`, `invalid_current_password`, `no_password` (password reset adds one).',
        schema: errorBody,
      },
      401: sessionEnded,
      403: { description: '`step_up_required`: the account has a second factor and none was proven recently in this session.', schema: errorBody },
      429: { description: '`too_many_attempts`: the sign-in back-off holds (`Retry-After`).', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'web/email-change': {
    tags: ['Pages'],
    description:
      'The page the link to the new address opens. Looks at the link only: the change takes a click (a POST), so a mail scanner changes nothing. `return_to`: where "Continue" leads after the change, only a path here or an origin in ALLOWED_ORIGINS.',
    query: z.object({ token: z.string().optional().describe('From the email to the new address.'), return_to: z.string().optional() }),
    responses: {
      200: { description: 'The page (strict CSP, no framing, no caching).', contentType: 'text/html', schema: z.string() },
      ...standardErrors('api'),
    },
  },
  'account/email-change-confirm': {
    tags: ['Login Flow'],
    description:
      'Makes the change: in one transaction the token is spent, the old address claim deleted, the new one put (refused if taken or banned by now), and the profile gets the new email, verified. Of a burst of confirms with one link, one changes.',
    body: emailChangeConfirmBody,
    responses: {
      200: { description: 'The email changed.', schema: emailChangedBody },
      400: {
        description:
          '`email_change_used` / `email_change_expired` / `email_change_invalid`, or `email_change_not_possible` (the address was taken meanwhile, is barred, or the account changed: one neutral answer).',
        schema: errorBody,
      },
      ...standardErrors('api'),
    },
  },
  'login-flow/my-data': {
    tags: ['Login Flow'],
    description:
      "Everything stored about the user of the access token, as one JSON document: the operator console's user export (`format: loginbridge-user-export/1`). Never a password hash, factor secret or token.",
    security: 'bearer',
    responses: {
      200: { description: 'The export document (`Content-Disposition: attachment`).', schema: z.object({ format: z.string() }).loose() },
      401: sessionEnded,
      ...standardErrors('api'),
    },
  },
};
