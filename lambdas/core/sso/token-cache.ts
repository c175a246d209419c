import type { Clock } from '../clock';

/** A partner access token and how long the partner says it lives. */
export interface ExpiringToken {
  value: string;
  /** Lifetime in seconds, counted from when the token was fetched. */
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  /** Refresh this many seconds before the token expires (clock skew, request time). */
  refreshMarginSeconds: number;
  /** Never use more than this share of a token's life (short-lived tokens keep a proportional margin). */
  maxLifeShare?: number;
}

/**
 * One cached partner token per Lambda instance. A token is used until shortly
 * before it expires; concurrent callers share one fetch (single flight); a
 * rejected token is dropped with `invalidate()`. A cache key (the client id
 * and base URL) makes a credential rotation start afresh.
 */
export class TokenCache {
  private cached?: { key: string; value: string; refreshAt: number };
  private inflight?: { key: string; promise: Promise<string> };

  constructor(
    private readonly clock: Clock,
    private readonly options: TokenCacheOptions,
  ) {}

  /** The cached token for `key`, or a new one from `fetch`. */
  async get(key: string, fetch: () => Promise<ExpiringToken>): Promise<string> {
    const now = this.clock.now();
    if (this.cached && this.cached.key === key && now < this.cached.refreshAt) return this.cached.value;
    if (this.inflight && this.inflight.key === key) return this.inflight.promise;
    const promise = fetch()
      .then((token) => {
        this.cached = { key, value: token.value, refreshAt: this.clock.now() + usableLifeMs(token.expiresInSeconds, this.options) };
        return token.value;
      })
      .finally(() => {
        if (this.inflight?.promise === promise) this.inflight = undefined;
      });
    this.inflight = { key, promise };
    return promise;
  }

  /** Drops `token` if it is still the cached one (a 401 from the partner says it is no good). */
  invalidate(token?: string): void {
    if (!token || this.cached?.value === token) this.cached = undefined;
  }
}

/** How long a token may be used: its life minus the margin, and at most `maxLifeShare` of it; never negative. */
export function usableLifeMs(expiresInSeconds: number, options: TokenCacheOptions): number {
  const byMargin = expiresInSeconds - options.refreshMarginSeconds;
  const byShare = expiresInSeconds * (options.maxLifeShare ?? 0.9);
  return Math.max(0, Math.min(byMargin, byShare)) * 1000;
}
