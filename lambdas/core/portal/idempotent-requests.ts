import { ConflictError, FormRejectedError } from '../errors';
import { newId } from '../random';
import type { Caller } from './caller';
import { nowOf, type PortalDependencies } from './dependencies';
import { idempotencyKeyHash, openResponse, requestFingerprint, sealResponse } from './idempotency';

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

const PENDING_LOCK_SECONDS = 60;

/**
 * Runs an operation at most once per Idempotency-Key: a retry with the same
 * key and request gets the first answer (opened from its sealed copy); the
 * same key with another request is refused; a retry while the first attempt
 * still runs is told to wait. A failed attempt releases the key.
 */
export class IdempotentRequests {
  constructor(private readonly deps: Pick<PortalDependencies, 'store' | 'clock' | 'settings'>) {}

  async run<T>(caller: Caller, key: string | undefined, operation: string, input: unknown, run: IdempotentRun<T>): Promise<Outcome<T>> {
    const operationId = newId();
    if (!key) {
      const { completed: _completed, ...outcome } = await run(operationId, () => undefined);
      return outcome;
    }
    const keyHash = idempotencyKeyHash(key, caller.userId);
    const fingerprint = requestFingerprint(operation, input);
    const now = nowOf(this.deps);
    const begun = await this.deps.store.beginIdempotent(
      {
        userId: caller.userId,
        keyHash,
        fingerprint,
        operationId,
        state: 'pending',
        lockedUntil: now + PENDING_LOCK_SECONDS,
        expiresAt: now + this.deps.settings.idempotencyTtlSeconds,
      },
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
        body = openResponse(existing.response.sealed, key, caller.userId, operation);
      } catch (error) {
        throw new ConflictError('The stored answer for this Idempotency-Key cannot be read. Use a new key.', { cause: error });
      }
      // The sealed copy is the first answer to this very operation, so it has the operation's shape.
      return { statusCode: existing.response.statusCode, body: body as T, replayed: true };
    }
    const seal = (statusCode: number, body: unknown): SealedCompletion => ({
      userId: caller.userId,
      keyHash,
      operationId,
      response: { statusCode, sealed: sealResponse(body, key, caller.userId, operation) },
    });
    try {
      const { completed, ...outcome } = await run(operationId, seal, begun.outcome === 'taken-over' ? { operationId: begun.previous.operationId } : undefined);
      if (!completed) await this.deps.store.completeIdempotent(caller.userId, keyHash, operationId, seal(outcome.statusCode, outcome.body).response);
      return outcome;
    } catch (error) {
      await this.deps.store.releaseIdempotent(caller.userId, keyHash, operationId).catch(() => undefined);
      throw error;
    }
  }
}
