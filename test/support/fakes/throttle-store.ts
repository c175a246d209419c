import type { TakeOutcome, TakeRule, ThrottleCounter, ThrottleStore } from '../../../lambdas/core/ports';

interface StoredCounter extends ThrottleCounter {
  expiresAt: number;
}

/**
 * ThrottleStore in memory, with the conditions the DynamoDB adapter writes:
 * a take counts only under the limit (or past a hold that has ended), a
 * counter past its `expiresAt` starts again from one, a give-back never goes
 * below zero, and a hold is set only while the count is still the one given.
 */
export class InMemoryThrottleStore implements ThrottleStore {
  readonly counters = new Map<string, StoredCounter>();

  async read(keys: string[]): Promise<Map<string, ThrottleCounter>> {
    const found = new Map<string, ThrottleCounter>();
    for (const key of keys) {
      const counter = this.counters.get(key);
      if (counter) found.set(key, { ...counter });
    }
    return found;
  }

  async increment(key: string, now: number, expiresAt: number): Promise<ThrottleCounter> {
    const current = this.counters.get(key);
    const counter = { count: (current?.count ?? 0) + 1, lastAt: now, expiresAt, ...(current?.heldUntil !== undefined ? { heldUntil: current.heldUntil } : {}) };
    this.counters.set(key, counter);
    return { ...counter };
  }

  async take(key: string, rule: TakeRule): Promise<TakeOutcome> {
    const current = this.counters.get(key);
    const live = current && current.expiresAt > rule.now ? current : undefined;
    const hold = rule.holdSeconds !== undefined ? { heldUntil: rule.now + rule.holdSeconds } : {};
    const holdEnded = rule.holdSeconds !== undefined && live?.heldUntil !== undefined && live.heldUntil <= rule.now;
    if (live && live.count >= rule.limit && !holdEnded) return { taken: false, counter: { ...live } };
    const counter: StoredCounter = { ...live, count: (live?.count ?? 0) + 1, lastAt: rule.now, expiresAt: rule.expiresAt, ...hold };
    this.counters.set(key, counter);
    return { taken: true, counter: { ...counter } };
  }

  async giveBack(key: string): Promise<void> {
    const counter = this.counters.get(key);
    if (counter && counter.count > 0) counter.count -= 1;
  }

  async holdUntil(key: string, count: number, until: number): Promise<void> {
    const counter = this.counters.get(key);
    if (counter && counter.count === count) counter.heldUntil = until;
  }

  async clear(key: string): Promise<void> {
    this.counters.delete(key);
  }
}
