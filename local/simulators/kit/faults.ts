import type { ServerResponse } from 'node:http';
import { type Fault, type FaultKind, sendJson, waitOut } from '../common';

/** The faults that answer with the partner's error body. */
export type ErrorFaultKind = Exclude<FaultKind, 'slow' | 'malformed'>;

/** The status each error fault answers with (`server-error`: the fault's own `status`, default 500). */
const FAULT_STATUS: Record<ErrorFaultKind, (fault: Fault) => number> = {
  'reject-credentials': () => 401,
  unauthorized: () => 401,
  'rate-limit': () => 429,
  'server-error': (fault) => fault.status ?? 500,
};

/** How one partner answers injected faults. */
export interface FaultAnswers {
  /** The 200 body of a `malformed` fault that sets none. */
  readonly malformedBody: string;
  /** The partner's documented error body for a fault at `path`, answered with `status`. */
  errorBody(kind: ErrorFaultKind, path: string, status: number): unknown;
  /** Headers the partner adds to an error fault's answer (e.g. its rate-limit headers on a 429). */
  errorHeaders?(fault: Fault): Record<string, string>;
}

/**
 * Answers an injected fault the way the partner would; true when the request
 * is fully handled (a `slow` fault waits, then lets the request go on unless
 * the client gave up meanwhile).
 */
export async function answerFault(fault: Fault | undefined, response: ServerResponse, path: string, answers: FaultAnswers): Promise<boolean> {
  if (!fault) return false;
  if (fault.kind === 'slow') return !(await waitOut(fault, response));
  if (fault.kind === 'malformed') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(fault.body ?? answers.malformedBody);
    return true;
  }
  const headers: Record<string, string> = {
    ...(fault.kind === 'rate-limit' ? { 'Retry-After': String(fault.retryAfterSeconds ?? 1) } : {}),
    ...answers.errorHeaders?.(fault),
  };
  const status = FAULT_STATUS[fault.kind](fault);
  sendJson(response, status, answers.errorBody(fault.kind, path, status), headers);
  return true;
}
