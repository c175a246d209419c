/**
 * One structured JSON line per event, for CloudWatch Logs. Callers pass only
 * safe fields; `redact` is a second line of defence that masks anything whose
 * key looks like a secret, however deep.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|ticket|ott|otp|code|hash|ctx/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1)]),
    );
  }
  return value;
}

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

function write(level: Level, message: string, fields: Record<string, unknown>): void {
  if (process.env.LOG_LEVEL === 'SILENT') return;
  const line = JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...(redact(fields) as object) });
  if (level === 'ERROR' || level === 'WARN') console.error(line);
  else console.log(line);
}

export const log = {
  info: (message: string, fields: Record<string, unknown> = {}) => write('INFO', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('WARN', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('ERROR', message, fields),
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
