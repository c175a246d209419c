import { ConflictError, FormRejectedError } from '../errors';
import { idempotencyKeyHash, openResponse, requestFingerprint, sealResponse } from '../portal/idempotency';
import type { PortalStore } from '../portal/ports';
import { newId } from '../random';

export type IdempotencyRecords = Pick<PortalStore, 'beginIdempotent' | 'completeIdempotent' | 'releaseIdempotent'>;

export interface ConsoleOutcome {
  statusCode: number;
  body: Record<string, unknown>;
  replayed?: boolean;
}

const PENDING_LOCK_SECONDS = 60;

/**
 * Runs `run` at most once per operator and Idempotency-Key, with the portal's
 * records (same item, same sealing): a retry with the same key and request
 * gets the first answer, the same key with another request is refused, a
 * retry while the first attempt runs is told to wait, a failure releases the key.
 */
export async function oncePerKey(
  records: IdempotencyRecords,
  input: { operatorId: string; key?: string; operation: string; request: unknown; now: number; ttlSeconds: number },
  run: () => Promise<ConsoleOutcome>,
): Promise<ConsoleOutcome> {
  const { operatorId, key, operation, now } = input;
  if (!key) return run();
  const keyHash = idempotencyKeyHash(key, operatorId);
  const fingerprint = requestFingerprint(operation, input.request);
  const operationId = newId();
  const begun = await records.beginIdempotent(
    { userId: operatorId, keyHash, fingerprint, operationId, state: 'pending', lockedUntil: now + PENDING_LOCK_SECONDS, expiresAt: now + input.ttlSeconds },
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
    try {
      return {
        statusCode: existing.response.statusCode,
        body: openResponse(existing.response.sealed, key, operatorId, operation) as Record<string, unknown>,
        replayed: true,
      };
    } catch (error) {
      throw new ConflictError('The stored answer for this Idempotency-Key cannot be read. Use a new key.', { cause: error });
    }
  }
  try {
    const outcome = await run();
    await records.completeIdempotent(operatorId, keyHash, operationId, {
      statusCode: outcome.statusCode,
      sealed: sealResponse(outcome.body, key, operatorId, operation),
    });
    return outcome;
  } catch (error) {
    await records.releaseIdempotent(operatorId, keyHash, operationId).catch(() => undefined);
    throw error;
  }
}
