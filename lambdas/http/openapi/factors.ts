import { z } from 'zod';
import { factorRenameBody, stepUpBody, totpConfirmBody, totpEnrolBody } from '../schemas/factors';
import { passkeyAnswer, passkeyRegisterBody } from '../schemas/passkeys';
import { errorBody, type OperationDescription, standardErrors, tokenResponseBody } from './common';

const factorBody = z
  .object({
    id: z.string(),
    kind: z.enum(['totp', 'passkey']),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'SecondFactor', description: 'A confirmed second factor; never its secret.' });

const recoveryCodes = z.array(z.string()).describe('Ten single-use codes (`xxxx-xxxx-xxxx`), shown this once; only their hashes are kept.');

const unauthenticated = { description: 'Missing, invalid or expired access token, or its session ended.', schema: errorBody };
const stepUp = { description: '`step_up_required`: prove a factor with POST /login-flow/factors/step-up first (STEP_UP_WINDOW_SECONDS).', schema: errorBody };
const badCode = {
  description: '`invalid_otp` (no step within ±1 matches), `otp_reused` (this step was used already), or a malformed body; field error on the code.',
  schema: errorBody,
};
const guesses = {
  description: '`too_many_attempts`: code guesses per account or per address in the window are spent (counted before any code is checked).',
  schema: errorBody,
  headers: { 'Retry-After': 'Seconds until the window ends.' },
};
const factorId = z.object({ factorId: z.string() });

const passkeyRefusals =
  "`invalid_challenge` (unknown, expired, already used, or the answer signs another challenge), `wrong_origin` (not PUBLIC_BASE_URL's origin), `wrong_rp_id` (another relying party), `invalid_passkey` (malformed answer or bad signature), `unknown_passkey` (not a passkey of this account), `passkey_cloned` (the signature counter went backwards); nothing is stored. Field error on `passkey`.";
const challengeOptions = (kind: string) =>
  z.object({
    challengeId: z.string().describe('Send it back with the answer; single use, valid PASSKEY_CHALLENGE_TTL_SECONDS.'),
    options: z.record(z.string(), z.unknown()).describe(`${kind} (WebAuthn JSON, as @simplewebauthn/browser takes them).`),
  });

/** Second factors (docs/security.md), keyed by handler module. */
export const FACTOR_OPERATIONS: Record<string, OperationDescription> = {
  'factors/list': {
    tags: ['Second factors'],
    security: 'bearer',
    responses: {
      200: { description: 'Confirmed factors, oldest first.', schema: z.object({ factors: z.array(factorBody), recoveryCodesLeft: z.number().int() }) },
      401: unauthenticated,
      ...standardErrors('api'),
    },
  },
  'factors/totp-enrol': {
    tags: ['Second factors'],
    security: 'bearer',
    body: totpEnrolBody,
    bodyRequired: false,
    responses: {
      201: {
        description:
          'A pending TOTP factor (SHA-1, 6 digits, 30 s). The URI, QR code and secret are shown this once; confirm within FACTOR_PENDING_TTL_SECONDS.',
        schema: z.object({
          factorId: z.string(),
          otpauthUri: z.string(),
          secret: z.string().describe('Base32, for typing in by hand.'),
          qrCodeSvg: z.string(),
        }),
      },
      400: { description: 'Malformed body.', schema: errorBody },
      401: unauthenticated,
      ...standardErrors('api'),
    },
  },
  'factors/totp-confirm': {
    tags: ['Second factors'],
    security: 'bearer',
    body: totpConfirmBody,
    responses: {
      200: {
        description: 'Confirmed: signing in now needs a code. `recoveryCodes` with the first factor, otherwise null.',
        schema: z.object({ factor: factorBody, recoveryCodes: recoveryCodes.nullable() }),
      },
      400: badCode,
      401: unauthenticated,
      404: { description: 'No such pending enrolment (expired, or another user’s).', schema: errorBody },
      409: { description: 'Already confirmed.', schema: errorBody },
      429: guesses,
      ...standardErrors('api'),
    },
  },
  'factors/rename': {
    tags: ['Second factors'],
    security: 'bearer',
    params: factorId,
    body: factorRenameBody,
    responses: {
      200: { description: 'Renamed.', schema: z.object({ factor: factorBody }) },
      400: { description: 'Malformed body.', schema: errorBody },
      401: unauthenticated,
      404: { description: 'No such factor.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'factors/remove': {
    tags: ['Second factors'],
    security: 'bearer',
    params: factorId,
    responses: {
      204: { description: 'Removed; the user is emailed. The last factor takes the recovery codes with it.' },
      400: { description: '`last_factor`: a portal admin or user admin must keep a second factor.', schema: errorBody },
      401: unauthenticated,
      403: stepUp,
      404: { description: 'No such factor.', schema: errorBody },
      409: { description: 'The factors changed at the same moment; try again.', schema: errorBody },
      ...standardErrors('api'),
    },
  },
  'factors/recovery-codes': {
    tags: ['Second factors'],
    security: 'bearer',
    responses: {
      200: { description: 'A new set; the old codes no longer work.', schema: z.object({ recoveryCodes }) },
      400: { description: '`no_factor`: add a factor first.', schema: errorBody },
      401: unauthenticated,
      403: stepUp,
      ...standardErrors('api'),
    },
  },
  'factors/passkey-options': {
    tags: ['Second factors'],
    security: 'bearer',
    responses: {
      200: {
        description: "Creation options: discoverable credential (residentKey required), user verification preferred, the user's passkeys excluded.",
        schema: challengeOptions('PublicKeyCredentialCreationOptionsJSON'),
      },
      401: unauthenticated,
      ...standardErrors('api'),
    },
  },
  'factors/passkey-register': {
    tags: ['Second factors'],
    security: 'bearer',
    body: passkeyRegisterBody,
    responses: {
      201: {
        description: 'The passkey is a confirmed factor: signing in with a password now needs a factor. `recoveryCodes` with the first factor, otherwise null.',
        schema: z.object({ factor: factorBody, recoveryCodes: recoveryCodes.nullable() }),
      },
      400: { description: `${passkeyRefusals} \`passkey_exists\`: already on the account.`, schema: errorBody },
      401: unauthenticated,
      429: guesses,
      ...standardErrors('api'),
    },
  },
  'login-flow/passkey-options': {
    tags: ['Login Flow'],
    responses: {
      200: {
        description: 'Request options with an empty allowCredentials (the browser offers the discoverable passkeys).',
        schema: challengeOptions('PublicKeyCredentialRequestOptionsJSON'),
      },
      403: {
        description: '`too_many_attempts` (the Login Flow answers its refusals with 403): PASSKEY_CHALLENGES_PER_ADDRESS in the window.',
        schema: errorBody,
        headers: { 'Retry-After': 'Seconds until the window ends.' },
      },
      ...standardErrors('login-flow'),
    },
  },
  'login-flow/passkey-login': {
    tags: ['Login Flow'],
    body: passkeyAnswer,
    responses: {
      200: {
        description: 'Signed in, as POST /login-flow/login answers; `amr` [hwk|swk] or, with user verification, [hwk|swk, user, mfa].',
        schema: tokenResponseBody,
      },
      403: {
        description: `The Login Flow answers its refusals with 403 and \`fieldErrors.passkey\`: ${passkeyRefusals} Also \`forbidden\` (a disabled account) and \`too_many_attempts\` (OTP_GUESSES_*, with Retry-After).`,
        schema: errorBody,
      },
      ...standardErrors('login-flow'),
    },
  },
  'factors/step-up': {
    tags: ['Second factors'],
    security: 'bearer',
    body: stepUpBody,
    responses: {
      200: {
        description:
          'The session proved a factor now: sensitive actions pass for STEP_UP_WINDOW_SECONDS, and its tokens (after a refresh) carry `amr` with the method (`otp`, `hwk` or `swk`) and `mfa`.',
        schema: z.object({ factorUsedAt: z.string(), amr: z.array(z.string()) }),
      },
      400: { description: `${badCode.description} With \`passkey\`: ${passkeyRefusals}`, schema: errorBody },
      401: unauthenticated,
      403: { description: '`mfa_required`: no code was sent.', schema: errorBody },
      429: guesses,
      ...standardErrors('api'),
    },
  },
  'web/account': {
    tags: ['Pages'],
    description:
      'The account page: static HTML and one script (strict CSP, no framing). It signs in through POST /login-flow/login (with `otp` when asked) and manages second factors and recovery codes through the routes above, keeping tokens in memory only.',
    responses: { 200: { description: 'The page.', contentType: 'text/html', schema: z.string() }, ...standardErrors('api') },
  },
};
