import * as z from 'zod';
import { DEFAULT_ACCOUNT_BACKOFF, DEFAULT_IP_WINDOW } from './core/backoff';
import { parseBrand } from './core/branding';
import { isEmail, normalizeEmail } from './core/email';
import { ConfigurationError } from './core/errors';
import { parseAudiences } from './core/portal/audiences';
import { parseProfileFieldSpecs } from './core/profile-fields';
import { parseAllowList } from './core/sso/targets';
import { USER_FIELD_PATTERN } from './core/sso/user-fields';
import { MAX_PARTNER_BUDGET_MS } from './time-budget';

export { ConfigurationError } from './core/errors';

const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));

const DAY = 24 * 60 * 60;

/** APIs and scopes per portal environment: `aud=scope scope;aud2=` or JSON (see core/portal/audiences.ts). */
/** A comma-separated list of email addresses, normalised as sign-in normalises them (admins named in configuration). */
const emailList = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((email) => normalizeEmail(email))
        .filter(Boolean),
    )
    .refine((emails) => emails.every(isEmail), 'a comma-separated list of email addresses');

const audienceList = (variable: string) =>
  z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseAudiences(value, variable);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** Extra registration fields kept on the profile: `name:type[:maxLength]`, comma-separated (core/profile-fields.ts). */
const profileFieldSpecs = z
  .string()
  .default('')
  .transform((value, context) => {
    try {
      return parseProfileFieldSpecs(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** The platform's brand as one JSON object (core/branding.ts); unset: LoginBridge's own look. */
const brandJson = z
  .string()
  .optional()
  .transform((value, context) => {
    try {
      return parseBrand(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** A comma-separated list of ids, e.g. Astrato group ids. */
const idList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );

const userFieldReference = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((value) => USER_FIELD_PATTERN.test(value), 'email, id or attributes.<name>');

function validAllowList(value: string): boolean {
  try {
    return parseAllowList(value, 'https://dc.example').length > 0;
  } catch {
    return false;
  }
}

/**
 * CSP `frame-ancestors` sources, separated by spaces or commas: 'self', 'none',
 * * or origins such as https://portal.example.com or https://*.example.com.
 * Anything else is refused so a setting can never inject another directive.
 */
const FRAME_SOURCE = /^('self'|'none'|\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?)$/i;
const frameAncestors = z
  .string()
  .default("'self'")
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .refine(
    (sources) => sources.length > 0 && sources.every((source) => FRAME_SOURCE.test(source)),
    "'self', 'none', * or origins like https://portal.example.com",
  );

/**
 * Every environment variable a handler may read, with its default. The CDK
 * stack sets them per function (only those the function needs); the local
 * stack sets them from the environment and `.env`.
 */
export const settingsSchema = z.object({
  TOKEN_ISSUER: z.url().optional(),
  TOKEN_AUDIENCE: z.string().min(1).default('loginbridge'),
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 60),
  REFRESH_ABSOLUTE_TTL_SECONDS: int(30 * DAY, 60),
  REFRESH_IDLE_TTL_SECONDS: int(7 * DAY, 60),
  // The Login Flow contract allows approveTermsOfUse: null; a platform whose screen shows the checkbox turns this on.
  TERMS_REQUIRED: bool(false),
  REGISTRATION_EXTRA_FIELDS: profileFieldSpecs,
  REFRESH_GRACE_SECONDS: int(30, 0),
  ALLOWED_ORIGINS: z.string().default('*'),
  /** The providers the pages offer as "Continue with Apple / Google" (comma-separated); unset: those with client ids (locally). */
  WEB_SIGN_IN_PROVIDERS: z.string().optional(),
  RESET_TOKEN_TTL_SECONDS: int(30 * 60, 60),
  RESET_EMAILS_PER_HOUR: int(5),
  RESET_RESPONSE_FLOOR_MS: int(400, 0),
  LOGIN_BACKOFF_FREE_FAILURES: int(DEFAULT_ACCOUNT_BACKOFF.freeFailures),
  LOGIN_BACKOFF_MAX_SECONDS: int(DEFAULT_ACCOUNT_BACKOFF.maxDelaySeconds),
  LOGIN_IP_MAX_FAILURES: int(DEFAULT_IP_WINDOW.maxFailures),
  LOGIN_IP_WINDOW_SECONDS: int(DEFAULT_IP_WINDOW.windowSeconds, 60),
  ARGON2_MEMORY_KIB: int(19456, 19456),
  ARGON2_TIME_COST: int(2, 2),
  ARGON2_QUEUE_BUDGET_MS: int(5000, 100),
  MAX_BODY_BYTES: int(16 * 1024, 1024),
  // Bounded DynamoDB calls: an unreachable table answers 503 quickly instead of hanging until the Lambda timeout.
  DYNAMODB_CONNECT_TIMEOUT_MS: int(500, 50),
  DYNAMODB_REQUEST_TIMEOUT_MS: int(1500, 100),
  // SSO hand-offs (docs/sso.md).
  ASTRATO_DEFAULT_GROUP_IDS: idList,
  ASTRATO_APPLY_PENDING_INVITES: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  ACRONIS_IDENTIFY_BY: z.enum(['login', 'external_id', 'user_id']).default('login'),
  ACRONIS_LOGIN_FIELD: userFieldReference('email'),
  ACRONIS_EXTERNAL_ID_FIELD: userFieldReference('attributes.acronisExternalId'),
  ACRONIS_USER_ID_FIELD: userFieldReference('attributes.acronisUserId'),
  ACRONIS_TARGET_ALLOWLIST: z
    .string()
    .default('{dc}/mc/,{dc}/bc/')
    .refine(validAllowList, 'a comma-separated list of http(s) URL prefixes such as {dc}/mc/,{dc}/bc/ (no query or fragment)'),
  ACRONIS_URL_STYLE: z.enum(['fragment', 'query']).default('fragment'),
  PARTNER_TIMEOUT_MS: int(5000, 50),
  PARTNER_MAX_RETRIES: int(2, 0),
  PARTNER_MAX_RETRY_WAIT_MS: int(3000, 0),
  // Capped at MAX_PARTNER_BUDGET_MS (lambdas/time-budget.ts): the function's timeout minus a margin.
  PARTNER_BUDGET_MS: int(MAX_PARTNER_BUDGET_MS, 100),
  PARTNER_SECRET_TTL_SECONDS: int(120, 1),
  LOGIN_PAGE_FRAME_ANCESTORS: frameAncestors,
  /** Show operators' setup hints (setting names, where to find partner keys) on the pages: `npm start` only, never a deployed stack. */
  SHOW_SETUP_HINTS: bool(false),
  /** Product name, logo, colors, support and legal links on every page and email (docs/configuration.md). */
  BRAND_JSON: brandJson,
  // TV sign-in (RFC 8628) and the web password reset (docs/tv-sign-in.md).
  DEVICE_CLIENT_IDS: z
    .string()
    .default('applicaster-tv')
    .refine(
      (value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean).length > 0 && value.split(',').every((entry) => /^\s*[A-Za-z0-9._:-]{1,128}\s*(=[^,=<>]{1,80})?$/.test(entry) || !entry.trim()),
      'comma-separated client ids, each optionally with =Display name, e.g. applicaster-tv=My TV app',
    ),
  DEVICE_VERIFICATION_URI: z.url().optional(),
  DEVICE_CODE_TTL_SECONDS: int(600, 1),
  DEVICE_POLL_INTERVAL_SECONDS: int(5, 1),
  ACTIVATE_MAX_FAILURES: int(10),
  ACTIVATE_WINDOW_SECONDS: int(15 * 60, 60),
  // Developer portal (docs/portal.md); Auth0 calls use the PARTNER_* timeouts and retry bounds above.
  PORTAL_ADMIN_EMAILS: emailList(),
  SANDBOX_API_AUDIENCES: audienceList('SANDBOX_API_AUDIENCES'),
  PRODUCTION_API_AUDIENCES: audienceList('PRODUCTION_API_AUDIENCES'),
  PORTAL_INVITATION_TTL_SECONDS: int(7 * DAY, 300),
  // Admin and user-admin invitations grant rights: they live at most a week, and never longer than team invitations.
  ADMIN_INVITATION_TTL_SECONDS: int(2 * DAY, 300).refine((seconds) => seconds <= 7 * DAY, 'at most 604800 (7 days)'),
  PORTAL_IDEMPOTENCY_TTL_SECONDS: int(DAY, 3600),
  PORTAL_MAX_CREDENTIALS_PER_TEAM: int(25),
  // Verified identity (docs/security.md).
  EMAIL_VERIFICATION_TTL_SECONDS: int(DAY, 300),
  VERIFICATION_EMAILS_PER_HOUR: int(5),
  // Account self-service (docs/login-flow.md, "Your own account"): how long an email change's link works.
  EMAIL_CHANGE_TOKEN_TTL_SECONDS: int(DAY, 300),
  LOGIN_REQUIRES_VERIFIED_EMAIL: bool(false),
  PORTAL_AUTH0_ADMIN_CACHE_SECONDS: int(60, 1),
  TEAM_CLEANUP_WAIT_MS: int(3000, 0),
  // Lazy migration from the old login API (docs/migration.md); empty or unset: off.
  LEGACY_LOGIN_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
  LEGACY_PROFILE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
  LEGACY_TIMEOUT_MS: int(3000, 100),
  LEGACY_CIRCUIT_FAILURES: int(5),
  LEGACY_CIRCUIT_OPEN_SECONDS: int(30),
  // Operator console (docs/operations.md).
  USER_ADMIN_EMAILS: emailList(),
  AUDIT_RETENTION_DAYS: int(400),
  // Second factors (docs/security.md).
  /** How recently a second factor must have been proven in the session for a sensitive action (step-up). */
  STEP_UP_WINDOW_SECONDS: int(600),
  /** Code guesses (TOTP or recovery) per account and per client address per window, counted before a code is checked. */
  OTP_GUESSES_PER_ACCOUNT: int(10),
  OTP_GUESSES_PER_ADDRESS: int(100),
  OTP_GUESS_WINDOW_SECONDS: int(900),
  /** How long an enrolment waits for its first code. */
  FACTOR_PENDING_TTL_SECONDS: int(900),
  /** The name authenticator apps show above the code. */
  TOTP_ISSUER: z.string().trim().min(1).max(60).default('LoginBridge'),
  /** The login page's hand-offs (Astrato, Acronis) refuse accounts without a second factor. */
  MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS: bool(false),
  // On: admin and console routes need a two-factor session, console actions and production credentials a recent factor
  // (docs/security.md, "Second factors and passkeys"); the pages enrol admins and ask for codes. Off only to let a platform migrate its admins.
  FACTOR_POLICY_ENFORCED: bool(true),
  // Passkeys (docs/security.md, "Second factors and passkeys"): the relying party is PUBLIC_BASE_URL's host, its origin the one allowed.
  /** How long a WebAuthn challenge waits for its one answer. */
  PASSKEY_CHALLENGE_TTL_SECONDS: int(300),
  /** Challenges made for requests without a session (passkey sign-in options), per client address per window. */
  PASSKEY_CHALLENGES_PER_ADDRESS: int(60),
  PASSKEY_CHALLENGE_WINDOW_SECONDS: int(300),
  ADMIN_VERIFICATION_EMAILS_PER_HOUR: int(3),
  // Outgoing mail (docs/security.md): per kind, per recipient address and per sending user, in a fixed window.
  MAIL_LIMIT_WINDOW_SECONDS: int(3600, 60),
  MAIL_PER_RECIPIENT_PER_WINDOW: int(10),
  MAIL_PER_SENDER_PER_WINDOW: int(30),
});

export type Settings = z.infer<typeof settingsSchema>;

let cached: Settings | undefined;

/** Settings with defaults, validated once per instance. */
export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  if (cached && env === process.env) return cached;
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigurationError(`Invalid configuration: ${problems}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}

/** A variable a resource adapter cannot work without (set by the stack together with its IAM grant). */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`Missing configuration: ${name} is not set for this function.`);
  return value;
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name] || undefined;
}

/** For tests that change the environment between cases. */
export function resetSettingsCache(): void {
  cached = undefined;
}
