import { z } from 'zod';
import { passwordChangeBody, profileChangeBody } from '../schemas/account';
import { errorBody, type OperationDescription, standardErrors } from './common';
import { profileViewBody } from './login-flow';

const sessionEnded = { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody };

const passwordChangedBody = z.object({
  status: z.literal(200),
  message: z.string(),
  signedOutSessions: z.number().int().describe('How many other sessions ended (0 with `signOutOtherSessions: false`).'),
  emailSent: z.boolean().describe('The "your password was changed" email went out (the change happened either way).'),
});

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
