import type { z } from 'zod';
import { PartnerBusyError, type PartnerName, PartnerProtocolError, PartnerTimeoutError, PartnerUnavailableError } from '../../core/errors';
import { parseRetryAfter, type RetryPolicy, retryDecision } from '../../core/sso/retry';
import { describeError, log } from '../../http/log';

export interface PartnerHttpOptions {
  /** Each attempt is aborted after this long (AbortSignal). */
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface PartnerRequest {
  method: 'GET' | 'POST';
  /** Full URL; never logged (a path may one day carry something secret). */
  url: string;
  /** A fixed label for logs, such as `/oem/setup`. */
  label: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PartnerResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** The end of one hand-off's time budget: every attempt and wait must fit before it. */
export class Deadline {
  private readonly endsAt: number;
  constructor(
    budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.endsAt = now() + budgetMs;
  }
  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HTTP to a partner with bounded time: each attempt has a timeout, 429 and
 * the partner's 5xx are retried with back-off (Retry-After honoured within
 * the bound), and the whole call never outlives the hand-off's deadline.
 * Any other status is returned for the client to interpret. Logs carry the
 * correlation id, the label, status and timing: never bodies or headers.
 */
export class PartnerHttp {
  constructor(
    readonly partner: PartnerName,
    private readonly options: PartnerHttpOptions,
  ) {}

  async send(request: PartnerRequest, correlationId: string, deadline: Deadline): Promise<PartnerResponse> {
    for (let retries = 0; ; retries += 1) {
      const remaining = deadline.remainingMs();
      if (remaining <= 0) throw new PartnerTimeoutError(this.partner);
      const outcome = await this.attempt(request, correlationId, Math.min(this.options.timeoutMs, remaining), retries + 1);
      const busy = outcome.status === 429 || (outcome.status === 503 && outcome.headers.has('retry-after'));
      const failing = outcome.status === 0 || outcome.status >= 500;
      if (!busy && !failing) return outcome;

      const retryAfterMs = parseRetryAfter(outcome.headers.get('retry-after'), Date.now());
      const decision = retryDecision(this.options.retry, retries, retryAfterMs, deadline.remainingMs());
      if (!decision.retry) {
        log.warn('partner call gave up', { correlationId, partner: this.partner, call: request.label, status: outcome.status, attempts: retries + 1 });
        if (busy) throw new PartnerBusyError(this.partner, decision.retryAfterSeconds);
        throw new PartnerUnavailableError(this.partner, { cause: outcome.cause });
      }
      await sleep(decision.delayMs);
    }
  }

  /** One attempt. Status 0 means the partner could not be reached. */
  private async attempt(request: PartnerRequest, correlationId: string, timeoutMs: number, attempt: number): Promise<PartnerResponse & { cause?: unknown }> {
    const started = Date.now();
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'manual' });
      const text = await response.text();
      log.info('partner call', {
        correlationId,
        partner: this.partner,
        call: request.label,
        status: response.status,
        attempt,
        durationMs: Date.now() - started,
      });
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (signal.aborted) {
        log.warn('partner call timed out', { correlationId, partner: this.partner, call: request.label, attempt, timeoutMs });
        throw new PartnerTimeoutError(this.partner, { cause: error });
      }
      log.warn('partner unreachable', { correlationId, partner: this.partner, call: request.label, attempt, ...describeError(error) });
      return { status: 0, headers: new Headers(), text: '', cause: error };
    }
  }
}

/** Parses a partner's JSON answer against `schema`; anything else is a PartnerProtocolError that says what was missing. */
export function readJson<S extends z.ZodType>(partner: PartnerName, response: PartnerResponse, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch (error) {
    throw new PartnerProtocolError(partner, `${what} was not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new PartnerProtocolError(
      partner,
      `${what} lacked ${[...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'the expected shape'))].join(', ')}`,
    );
  return parsed.data;
}
