import type { TakeAllOutcome, TakeOutcome, TakeRule, ThrottleCounter, ThrottleRelease, ThrottleStore } from '../../../lambdas/core/ports';

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

  /** As the DynamoDB transaction: all or none, no counts on success, a stale counter leaves it undecided. */
  async takeAll(takes: { key: string; rule: TakeRule }[]): Promise<TakeAllOutcome> {
    const refused: { key: string; counter: ThrottleCounter }[] = [];
    let stale = false;
    for (const { key, rule } of takes) {
      const current = this.counters.get(key);
      if (!current) continue;
      if (current.expiresAt <= rule.now) stale = true;
      else if (current.count >= rule.limit && !(rule.holdSeconds !== undefined && current.heldUntil !== undefined && current.heldUntil <= rule.now))
        refused.push({ key, counter: { ...current } });
    }
    if (refused.length) return { decided: true, taken: false, refused };
    if (stale) return { decided: false };
    for (const { key, rule } of takes) await this.take(key, rule);
    return { decided: true, taken: true };
  }

  async release(release: ThrottleRelease): Promise<void> {
    for (const key of release.clear) await this.clear(key);
    for (const { key } of release.giveBack) await this.giveBack(key);
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
