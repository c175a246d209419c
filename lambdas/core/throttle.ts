import { backoffDelaySeconds, type BackoffPolicy, type WindowPolicy } from './backoff';
import type { ThrottleCounter, ThrottleStore } from './ports';

/** Counter keys. Email-keyed counters exist for unknown emails too, so they reveal nothing. */
export const throttleKeys = {
  loginAccount: (email: string) => `login#acct#${email}`,
  loginIp: (ip: string, windowIndex: number) => `login#ip#${ip}#${windowIndex}`,
  resetEmail: (email: string, windowIndex: number) => `reset#email#${email}#${windowIndex}`,
};

/** How long a failure streak is remembered once failures stop. */
const STREAK_MEMORY_SECONDS = 24 * 60 * 60;

export interface SignInThrottleSettings {
  account: BackoffPolicy;
  ip: WindowPolicy;
}

/**
 * Per-account exponential back-off plus a fixed window per client IP, shared
 * by every Lambda instance through the store.
 */
export class SignInThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly settings: SignInThrottleSettings,
  ) {}

  keysFor(email: string, ip: string, now: number): { account: string; ip: string } {
    return { account: throttleKeys.loginAccount(email), ip: throttleKeys.loginIp(ip, Math.floor(now / this.settings.ip.windowSeconds)) };
  }

  /** Seconds to wait before the next attempt; 0 when an attempt may go ahead. */
  waitSeconds(counters: Map<string, ThrottleCounter>, keys: { account: string; ip: string }, now: number): number {
    return Math.max(this.accountWait(counters.get(keys.account), now), this.ipWait(counters.get(keys.ip), now));
  }

  async read(keys: { account: string; ip: string }): Promise<Map<string, ThrottleCounter>> {
    return this.store.read([keys.account, keys.ip]);
  }

  /** Counts one failure on both counters and returns the wait now in force. */
  async recordFailure(keys: { account: string; ip: string }, now: number): Promise<number> {
    const windowEnd = (Math.floor(now / this.settings.ip.windowSeconds) + 1) * this.settings.ip.windowSeconds;
    const [account, ip] = await Promise.all([
      this.store.increment(keys.account, now, now + STREAK_MEMORY_SECONDS),
      this.store.increment(keys.ip, now, windowEnd),
    ]);
    const counters = new Map([
      [keys.account, account],
      [keys.ip, ip],
    ]);
    return this.waitSeconds(counters, keys, now);
  }

  async recordSuccess(keys: { account: string }, counters: Map<string, ThrottleCounter>): Promise<void> {
    if (counters.get(keys.account)?.count) await this.store.clear(keys.account);
  }

  private accountWait(counter: ThrottleCounter | undefined, now: number): number {
    if (!counter) return 0;
    const delay = backoffDelaySeconds(counter.count, this.settings.account);
    return Math.max(0, counter.lastAt + delay - now);
  }

  private ipWait(counter: ThrottleCounter | undefined, now: number): number {
    if (!counter || counter.count < this.settings.ip.maxFailures) return 0;
    const windowEnd = (Math.floor(counter.lastAt / this.settings.ip.windowSeconds) + 1) * this.settings.ip.windowSeconds;
    return Math.max(0, windowEnd - now);
  }
}
