import { z } from 'zod';
import { DEFAULT_ACCOUNT_BACKOFF, DEFAULT_IP_WINDOW } from './core/backoff';

/** A missing or malformed setting: thrown at cold start, naming the variable, so a bad deploy fails loudly. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));

const DAY = 24 * 60 * 60;

/**
 * Every environment variable a handler may read, with its default. The CDK
 * stack sets them per function (only those the function needs); the local
 * stack sets them from the environment and `.env`.
 */
const settingsSchema = z.object({
  TOKEN_ISSUER: z.url().optional(),
  TOKEN_AUDIENCE: z.string().min(1).default('loginbridge'),
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 60),
  REFRESH_ABSOLUTE_TTL_SECONDS: int(30 * DAY, 60),
  REFRESH_IDLE_TTL_SECONDS: int(7 * DAY, 60),
  TERMS_REQUIRED: bool(true),
  ALLOWED_ORIGINS: z.string().default('*'),
  RESET_TOKEN_TTL_SECONDS: int(30 * 60, 60),
  RESET_EMAILS_PER_HOUR: int(5),
  RESET_RESPONSE_FLOOR_MS: int(400, 0),
  LOGIN_BACKOFF_FREE_FAILURES: int(DEFAULT_ACCOUNT_BACKOFF.freeFailures),
  LOGIN_BACKOFF_MAX_SECONDS: int(DEFAULT_ACCOUNT_BACKOFF.maxDelaySeconds),
  LOGIN_IP_MAX_FAILURES: int(DEFAULT_IP_WINDOW.maxFailures),
  LOGIN_IP_WINDOW_SECONDS: int(DEFAULT_IP_WINDOW.windowSeconds, 60),
  ARGON2_MEMORY_KIB: int(19456, 19456),
  ARGON2_TIME_COST: int(2, 2),
  MAX_BODY_BYTES: int(16 * 1024, 1024),
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
