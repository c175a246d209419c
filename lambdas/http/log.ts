import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON line per event, for CloudWatch Logs. Callers pass only
 * safe fields; `redact` is a second line of defence that masks anything whose
 * key looks like a secret, however deep.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|ticket|^ott$|otp|^code$|_code$|hash|ctx|credential/i;
/** Values that look like bearer material, whatever their key: JWTs and our refresh-token shape. */
const SECRET_VALUE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.|[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{40,}/g;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1)]),
    );
  }
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]');
  return value;
}

let logger: Logger | undefined;

/** Powertools Logger: structured JSON lines with level, service, timestamp and (in Lambda) the cold-start flag. */
function powertools(): Logger {
  logger ??= new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'loginbridge',
    logLevel: (process.env.LOG_LEVEL ?? 'INFO') as 'INFO',
  });
  return logger;
}

/**
 * The project's logger. Every call site passes explicit fields (always the
 * correlation id); they go through `redact` first, so even a careless field
 * cannot write a password, token, ticket, OTT or secret.
 */
export const log = {
  info: (message: string, fields: Record<string, unknown> = {}) => powertools().info(message, redact(fields) as Record<string, unknown>),
  warn: (message: string, fields: Record<string, unknown> = {}) => powertools().warn(message, redact(fields) as Record<string, unknown>),
  error: (message: string, fields: Record<string, unknown> = {}) => powertools().error(message, redact(fields) as Record<string, unknown>),
};

/** An error as loggable fields: its class and message and those of its causes, never request data. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const causes: string[] = [];
  let cause = error.cause;
  while (cause instanceof Error && causes.length < 3) {
    causes.push(`${cause.name}: ${cause.message}`);
    cause = cause.cause;
  }
  return { errorType: error.name, errorMessage: error.message, ...(causes.length ? { causes } : {}) };
}
