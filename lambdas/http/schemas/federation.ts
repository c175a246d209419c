import * as z from 'zod';
import { FEDERATED_PROVIDERS } from '../../core/federation/providers';
import { checkbox, otpCode } from './login-flow';
import { passkeyAnswer } from './passkeys';

/** `{provider}` of POST /login-flow/login/{provider}. */
export const federatedProviderPath = z.object({
  provider: z.enum(FEDERATED_PROVIDERS, { error: 'The provider is apple or google.' }).describe('The identity provider: `apple` or `google`.'),
});

const optionalName = z.string().trim().max(100, 'A name can be at most 100 characters.').optional();

/** Native sign-in: the provider's ID token, the raw nonce the app generated, Apple's first-sign-in name, and a second factor when the account has one. */
export const federatedLoginBody = z.object({
  idToken: z
    .string({ error: 'Send the ID token the provider gave the app.' })
    .min(1, 'Send the ID token the provider gave the app.')
    .max(8192, 'This ID token is too long.'),
  nonce: z
    .string({ error: 'Send the raw nonce the app generated for this sign-in.' })
    .min(16, 'The nonce must be at least 16 characters.')
    .max(256, 'The nonce can be at most 256 characters.')
    .describe('The raw nonce the app generated (Apple: the app passed its SHA-256 hex to Apple; Google: the app passed it as is).'),
  firstName: optionalName.describe('Apple gives the name to the app on the first sign-in only: used for a new account, never to change an existing one.'),
  lastName: optionalName,
  approveTermsOfUse: checkbox.describe(
    'As in /login-flow/register: required (true) for a first sign-in that creates an account when the platform requires terms (TERMS_REQUIRED); ignored for an existing account.',
  ),
  otp: otpCode,
  passkey: passkeyAnswer.optional(),
});

/** Apple's server-to-server notification: `{"payload": "<JWS>"}` (unknown fields ignored). */
export const appleNotificationBody = z.object({
  payload: z
    .string({ error: 'Send the notification JWS as `payload`.' })
    .min(1, 'Send the notification JWS as `payload`.')
    .max(8192, 'This payload is too long.')
    .describe('The JWS Apple signed: `iss` https://appleid.apple.com, `aud` our client id, `iat`, `jti`, `events` (a JSON string).'),
});

/** GET /login-flow/web-sign-in/{provider}/start: where the page continues (a page of this service; anything else falls back to /login). */
export const webSignInStartQuery = z.object({
  return_to: z
    .string()
    .max(2000)
    .optional()
    .describe('The page to continue on after the provider (a path or URL of this service): /login?partner=..., /signup, /activate?user_code=...'),
  link: z
    .string()
    .max(200)
    .optional()
    .describe('A link ticket (POST /login-flow/identities/{provider}, one use, 2 minutes): the flow links the provider to that account instead of signing in.'),
});

/** The provider's answer at the callback: Google's query, Apple's form_post body (`user` only on the first consent). */
export const webSignInCallback = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  user: z.string().max(2000).optional().describe("Apple's first-consent JSON with the person's name."),
});

/** POST /login-flow/web-session: the page's hand-off code, a second factor when the account has one, the terms when it creates one. */
export const webSessionBody = z.object({
  handoff: z.string({ error: 'Start the sign-in with the provider again.' }).min(16).max(200),
  otp: otpCode,
  passkey: passkeyAnswer.optional(),
  approveTermsOfUse: checkbox.describe(
    'Sent again with the same hand-off after the answer named `approveTermsOfUse`: a sign-in that creates an account accepts the terms (TERMS_REQUIRED); ignored for an existing account.',
  ),
});
