import { ConflictError, FormRejectedError } from './errors';
import { idempotencyKeyHash, openResponse, requestFingerprint, sealResponse } from './portal/idempotency';
import type { IdempotencyStore } from './portal/ports';
import { newId } from './random';

/** Where Idempotency-Key records live (the portal's items; the console uses the same). */
export type IdempotencyRecords = IdempotencyStore;

/** A handler's answer: status and body, and whether it replays a stored first answer. */
export interface Outcome<T = unknown> {
  statusCode: number;
  body: T;
  replayed?: boolean;
}

/** The idempotency record's completion for an answer: stored in the same write as the work it records, when there is one. */
export interface SealedCompletion {
  userId: string;
  keyHash: string;
  operationId: string;
  response: { statusCode: number; sealed: string };
}

/** Seals an answer under the request's Idempotency-Key; undefined when the request had none. */
export type Seal = (statusCode: number, body: unknown) => SealedCompletion | undefined;

/** `completed`: the operation already stored its completion (in its own transaction). */
export type IdempotentRun<T> = (operationId: string, seal: Seal, previous?: { operationId: string }) => Promise<Outcome<T> & { completed?: boolean }>;

/** One request under an Idempotency-Key: whose key, which operation, and the input its fingerprint is taken from. */
export interface IdempotentRequest {
  userId: string;
  key: string | undefined;
  operation: string;
  input: unknown;
  now: number;
  ttlSeconds: number;
}

const PENDING_LOCK_SECONDS = 60;

/**
 * The one idempotency runner (portal and console): runs an operation at most
 * once per user and Idempotency-Key. A retry with the same key and request
 * gets the first answer (opened from its sealed copy); the same key with
 * another request is refused; a retry while the first attempt still runs is
 * told to wait. A failed attempt releases the key.
 */
export async function runIdempotent<T>(records: IdempotencyRecords, request: IdempotentRequest, run: IdempotentRun<T>): Promise<Outcome<T>> {
  const { userId, key, operation, now } = request;
  const operationId = newId();
  if (!key) {
    const { completed: _completed, ...outcome } = await run(operationId, () => undefined);
    return outcome;
  }
  const keyHash = idempotencyKeyHash(key, userId);
  const fingerprint = requestFingerprint(operation, request.input);
  const begun = await records.beginIdempotent(
    { userId, keyHash, fingerprint, operationId, state: 'pending', lockedUntil: now + PENDING_LOCK_SECONDS, expiresAt: now + request.ttlSeconds },
    now,
  );
  if (begun.outcome === 'exists') {
    const existing = begun.existing;
    if (existing.fingerprint !== fingerprint) {
      throw new FormRejectedError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request. Use a new key for each new request.',
        {
          'Idempotency-Key': 'Already used for a different request.',
        },
      );
    }
    if (existing.state !== 'done' || !existing.response)
      throw new ConflictError('A request with this Idempotency-Key is still being processed. Try again in a few seconds.');
    let body: unknown;
    try {
      body = openResponse(existing.response.sealed, key, userId, operation);
    } catch (error) {
      throw new ConflictError('The stored answer for this Idempotency-Key cannot be read. Use a new key.', { cause: error });
    }
    // The sealed copy is the first answer to this very operation, so it has the operation's shape.
    return { statusCode: existing.response.statusCode, body: body as T, replayed: true };
  }
  const seal = (statusCode: number, body: unknown): SealedCompletion => ({
    userId,
    keyHash,
    operationId,
    response: { statusCode, sealed: sealResponse(body, key, userId, operation) },
  });
  try {
    const { completed, ...outcome } = await run(operationId, seal, begun.outcome === 'taken-over' ? { operationId: begun.previous.operationId } : undefined);
    if (!completed) await records.completeIdempotent(userId, keyHash, operationId, seal(outcome.statusCode, outcome.body).response);
    return outcome;
  } catch (error) {
    await records.releaseIdempotent(userId, keyHash, operationId).catch(() => undefined);
    throw error;
  }
}
