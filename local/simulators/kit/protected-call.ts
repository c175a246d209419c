import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultPlan, readBody } from '../common';
import { answerFault, type FaultAnswers } from './faults';
import { type AccessTokens, jsonObject } from './tokens';

/** A partner API call that needs a Bearer token and a JSON object body. */
export interface ProtectedJsonCall {
  readonly path: string;
  readonly plan: FaultPlan;
  readonly faults: FaultAnswers;
  readonly tokens: AccessTokens<unknown>;
  /** The partner's 401 for a missing, unknown, revoked or expired token. */
  unauthorized(response: ServerResponse): void;
  /** The partner's 400 for a body that is not a JSON object. */
  notJson(response: ServerResponse): void;
}

/**
 * The body of a protected call, checked in the partners' order: an injected
 * fault first, then the token, then the JSON. Undefined when the request is
 * already answered.
 */
export async function protectedJsonBody(
  request: IncomingMessage,
  response: ServerResponse,
  call: ProtectedJsonCall,
): Promise<Record<string, unknown> | undefined> {
  const text = await readBody(request);
  if (await answerFault(call.plan.take(call.path), response, call.path, call.faults)) return undefined;
  if (!call.tokens.holder(request)) return void call.unauthorized(response);
  const body = jsonObject(text);
  if (!body) return void call.notJson(response);
  return body;
}
