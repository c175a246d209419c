import { type IdempotentRun, type Outcome, runIdempotent } from '../idempotent';
import type { Caller } from './caller';
import { nowOf, type PortalDependencies } from './dependencies';

export type { Outcome } from '../idempotent';

/** The portal's Idempotency-Key handling: the one runner (core/idempotent.ts) with the caller's key and the portal's lifetime. */
export class IdempotentRequests {
  constructor(private readonly deps: Pick<PortalDependencies, 'idempotency' | 'clock' | 'settings'>) {}

  run<T>(caller: Caller, key: string | undefined, operation: string, input: unknown, run: IdempotentRun<T>): Promise<Outcome<T>> {
    return runIdempotent(
      this.deps.idempotency,
      { userId: caller.userId, key, operation, input, now: nowOf(this.deps), ttlSeconds: this.deps.settings.idempotencyTtlSeconds },
      run,
    );
  }
}
