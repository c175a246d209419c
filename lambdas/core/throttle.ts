import { type BackoffPolicy, backoffDelaySeconds, type WindowPolicy } from './backoff';
import { clientNetwork } from './client-network';
import { StoreUnavailableError, TooManyAttemptsError } from './errors';
import type { ThrottleRelease, ThrottleStore } from './ports';

/** Counter keys. Email-keyed counters exist for unknown emails too, so they reveal nothing. Address keys group IPv6 by /64. */
export const throttleKeys = {
  loginAccount: (email: string) => `login#acct#${email}`,
  loginIp: (ip: string, windowIndex: number) => `login#ip#${clientNetwork(ip)}#${windowIndex}`,
  resetEmail: (email: string, windowIndex: number) => `reset#email#${email}#${windowIndex}`,
  /** A provider ID token's one use (core/federation): kept until the token expires. */
  idTokenUse: (replayKey: string) => `idtoken#${replayKey}`,
  /** An Apple server-to-server notification's one use (core/federation/apple-notifications.ts), by its event id. */
  appleNotification: (eventId: string) => `apple-notification#${eventId}`,
};

/** How long a failure streak is remembered once failures stop. */
const STREAK_MEMORY_SECONDS = 24 * 60 * 60;

const FIELDS = { email: true, password: true } as const;

export interface SignInThrottleSettings {
  account: BackoffPolicy;
  ip: WindowPolicy;
}

/** One password check that has been counted and may now run. */
export interface SignInAttempt {
  keys: { account: string; ip: string };
  /** The end of the address's window: a give-back keeps the counter's expiry. */
  windowEnd: number;
  /**
   * The account's attempts without a success and the address's attempts in
   * the window, this one included, when the take could report them: the
   * one-request take (a transaction) returns nothing on success, so a failure
   * reads them then.
   */
  accountCount?: number;
  addressCount?: number;
  now: number;
}

/** The counts a failure message is worked out from. */
export interface AttemptCounts {
  accountCount: number;
  addressCount: number;
  now: number;
}

/**
 * Per-account exponential back-off plus a fixed window per client address,
 * shared by every Lambda instance through the store. Each attempt is taken
 * (counted) on both counters before the password is checked, in one
 * conditional request (all or nothing), so a burst of parallel attempts checks
 * at most what the limits allow. When that request cannot decide (a stale
 * counter to restart, or a conflicting write at that moment) the counters are
 * taken one by one with the same conditions. A success ends the account's
 * streak and gives its address unit back, in the same request as the session
 * it starts (see `releaseOf`).
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
    const addressRule = { limit: window.maxFailures, now, expiresAt: windowEnd };
    // Past the free failures each taken attempt holds the account at least `baseDelaySeconds`, in the same write,
    // so the attempts of a burst that arrive together after a hold ends cannot all pass.
    const accountRule = { limit: backoff.freeFailures, now, expiresAt: now + STREAK_MEMORY_SECONDS, holdSeconds: backoff.baseDelaySeconds };

    const together = await this.store.takeAll([
      { key: keys.ip, rule: addressRule },
      { key: keys.account, rule: accountRule },
    ]);
    if (together.decided && together.taken) return { keys, windowEnd, now };
    if (together.decided) {
      const waits = together.refused.map(({ key, counter }) => (key === keys.ip ? windowEnd - now : (counter.heldUntil ?? now + 1) - now));
      throw new TooManyAttemptsError(Math.max(1, ...waits), FIELDS);
    }

    const address = await this.store.take(keys.ip, addressRule);
    if (!address.taken) throw new TooManyAttemptsError(Math.max(1, windowEnd - now), FIELDS);
    const account = await this.store.take(keys.account, accountRule);
    if (!account.taken) {
      await this.store.giveBack(keys.ip);
      throw new TooManyAttemptsError(Math.max(1, (account.counter.heldUntil ?? now + 1) - now), FIELDS);
    }
    const count = account.counter.count;
    const delay = backoffDelaySeconds(count, backoff);
    if (delay > backoff.baseDelaySeconds) await this.store.holdUntil(keys.account, count, now + delay);
    return { keys, windowEnd, accountCount: count, addressCount: address.counter.count, now };
  }

  /**
   * The attempt's password was wrong: its units stay taken, and past the free
   * failures the account's hold runs from now (the failure), not from the take.
   * Returns the wait now in force, for the message.
   */
  async failed(attempt: SignInAttempt, now: number): Promise<number> {
    const counted = attempt.accountCount !== undefined && attempt.addressCount !== undefined;
    try {
      const counts = counted
        ? { accountCount: attempt.accountCount ?? 0, addressCount: attempt.addressCount ?? 0, now: attempt.now }
        : await this.countsOf(attempt);
      const delay = backoffDelaySeconds(counts.accountCount, this.settings.account);
      // A one-by-one take already set the hold when the failure came at the same second; the one-request take set only the base hold.
      if (delay > 0 && (now > attempt.now || !counted)) await this.store.holdUntil(attempt.keys.account, counts.accountCount, now + delay);
      return this.waitAfterFailure(counts);
    } catch (error) {
      // The units were taken before the check and stay taken, with the base hold the take set: a store too slow to
      // record the longer hold must not turn "wrong password" into an error after the password was checked.
      if (error instanceof StoreUnavailableError) return 0;
      throw error;
    }
  }

  /** The wait in force after an attempt with these counts failed, for the message. */
  waitAfterFailure(counts: AttemptCounts): number {
    const accountWait = backoffDelaySeconds(counts.accountCount, this.settings.account);
    const { windowSeconds, maxFailures } = this.settings.ip;
    const windowEnd = (Math.floor(counts.now / windowSeconds) + 1) * windowSeconds;
    const addressWait = counts.addressCount >= maxFailures ? windowEnd - counts.now : 0;
    return Math.max(accountWait, addressWait);
  }

  /**
   * Counts a request on the client address's login window alone, before a
   * check that has no account yet (a provider's ID token); the returned
   * give-back is called when the check passed, as after a right password.
   */
  async takeAddress(ip: string, now: number): Promise<() => Promise<void>> {
    const { windowSeconds, maxFailures } = this.settings.ip;
    const key = throttleKeys.loginIp(ip, Math.floor(now / windowSeconds));
    const windowEnd = (Math.floor(now / windowSeconds) + 1) * windowSeconds;
    const taken = await this.store.take(key, { limit: maxFailures, now, expiresAt: windowEnd });
    if (!taken.taken) throw new TooManyAttemptsError(Math.max(1, windowEnd - now), { idToken: true });
    return () => this.store.release({ clear: [], giveBack: [{ key, expiresAt: windowEnd }] });
  }

  /** What a success gives back: the account's streak ends and the address gets its unit back. */
  releaseOf(attempt: SignInAttempt): ThrottleRelease {
    return { clear: [attempt.keys.account], giveBack: [{ key: attempt.keys.ip, expiresAt: attempt.windowEnd }] };
  }

  /** The password was right and no session write carries the release: give it back now. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await this.store.release(this.releaseOf(attempt));
  }

  /** The counters as they stand after a failure (they include attempts taken since, which is what the next attempt meets). */
  private async countsOf(attempt: SignInAttempt): Promise<AttemptCounts> {
    const counters = await this.store.read([attempt.keys.account, attempt.keys.ip]);
    return { accountCount: counters.get(attempt.keys.account)?.count ?? 1, addressCount: counters.get(attempt.keys.ip)?.count ?? 1, now: attempt.now };
  }
}
