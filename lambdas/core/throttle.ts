import { backoffDelaySeconds, type BackoffPolicy, type WindowPolicy } from './backoff';
import { clientNetwork } from './client-network';
import { TooManyAttemptsError } from './errors';
import type { ThrottleStore } from './ports';

/** Counter keys. Email-keyed counters exist for unknown emails too, so they reveal nothing. Address keys group IPv6 by /64. */
export const throttleKeys = {
  loginAccount: (email: string) => `login#acct#${email}`,
  loginIp: (ip: string, windowIndex: number) => `login#ip#${clientNetwork(ip)}#${windowIndex}`,
  resetEmail: (email: string, windowIndex: number) => `reset#email#${email}#${windowIndex}`,
};

/** How long a failure streak is remembered once failures stop. */
const STREAK_MEMORY_SECONDS = 24 * 60 * 60;

export interface SignInThrottleSettings {
  account: BackoffPolicy;
  ip: WindowPolicy;
}

/** One password check that has been counted and may now run. */
export interface SignInAttempt {
  keys: { account: string; ip: string };
  /** The account's attempts without a success, this one included. */
  accountCount: number;
  /** The address's attempts in the window without a success, this one included. */
  addressCount: number;
  now: number;
}

/**
 * Per-account exponential back-off plus a fixed window per client address,
 * shared by every Lambda instance through the store. Each attempt is taken
 * (counted) before the password is checked, with one conditional write per
 * counter, so a burst of parallel attempts checks at most what the limits
 * allow; a success clears the account's streak and gives its address unit back.
 */
export class SignInThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly settings: SignInThrottleSettings,
  ) {}

  keysFor(email: string, ip: string, now: number): { account: string; ip: string } {
    return { account: throttleKeys.loginAccount(email), ip: throttleKeys.loginIp(ip, Math.floor(now / this.settings.ip.windowSeconds)) };
  }

  /** Counts one attempt on both counters, or throws TooManyAttemptsError having counted nothing. */
  async take(email: string, ip: string, now: number): Promise<SignInAttempt> {
    const { account: backoff, ip: window } = this.settings;
    const keys = this.keysFor(email, ip, now);
    const windowEnd = (Math.floor(now / window.windowSeconds) + 1) * window.windowSeconds;
    const fields = { email: true, password: true } as const;

    const address = await this.store.take(keys.ip, { limit: window.maxFailures, now, expiresAt: windowEnd });
    if (!address.taken) throw new TooManyAttemptsError(Math.max(1, windowEnd - now), fields);

    // Past the free failures each taken attempt holds the account at least `baseDelaySeconds`, in the same write,
    // so the attempts of a burst that arrive together after a hold ends cannot all pass.
    const account = await this.store.take(keys.account, {
      limit: backoff.freeFailures,
      now,
      expiresAt: now + STREAK_MEMORY_SECONDS,
      holdSeconds: backoff.baseDelaySeconds,
    });
    if (!account.taken) {
      await this.store.giveBack(keys.ip);
      throw new TooManyAttemptsError(Math.max(1, (account.counter.heldUntil ?? now + 1) - now), fields);
    }
    const count = account.counter.count;
    const delay = backoffDelaySeconds(count, backoff);
    if (delay > backoff.baseDelaySeconds) await this.store.holdUntil(keys.account, count, now + delay);
    return { keys, accountCount: count, addressCount: address.counter.count, now };
  }

  /**
   * The attempt's password was wrong: its units stay taken, and past the free
   * failures the account's hold runs from now (the failure), not from the take.
   * Returns the wait now in force, for the message.
   */
  async failed(attempt: SignInAttempt, now: number): Promise<number> {
    const delay = backoffDelaySeconds(attempt.accountCount, this.settings.account);
    if (delay > 0 && now > attempt.now) await this.store.holdUntil(attempt.keys.account, attempt.accountCount, now + delay);
    return this.waitAfterFailure(attempt);
  }

  /** The wait in force after `attempt` failed, for the message. */
  waitAfterFailure(attempt: SignInAttempt): number {
    const accountWait = backoffDelaySeconds(attempt.accountCount, this.settings.account);
    const { windowSeconds, maxFailures } = this.settings.ip;
    const windowEnd = (Math.floor(attempt.now / windowSeconds) + 1) * windowSeconds;
    const addressWait = attempt.addressCount >= maxFailures ? windowEnd - attempt.now : 0;
    return Math.max(accountWait, addressWait);
  }

  /** The password was right: the account's streak ends and the address gets its unit back. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await Promise.all([this.store.clear(attempt.keys.account), this.store.giveBack(attempt.keys.ip)]);
  }
}
