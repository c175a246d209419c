/** Which requests a queued failure applies to. */
export interface RequestFailureMatch {
  /** Only requests whose path starts with this (absent: every path). */
  readonly path?: string;
  /** Only requests with this method (absent: every method). */
  readonly method?: string;
}

/**
 * Failures a test queued for the next matching requests ("the next 3 POSTs
 * under /api/v2/clients"), matched by path prefix and method, oldest first;
 * what a failure answers is the simulator's business.
 */
export class RequestFailures<Failure extends RequestFailureMatch> {
  private pending: { failure: Failure; remaining: number }[] = [];

  /** The next `count` matching requests take `failure`. */
  add(count: number, failure: Failure): void {
    this.pending.push({ failure, remaining: count });
  }

  /** The failure the request takes (consumed), if any. */
  take(method: string, path: string): Failure | undefined {
    const index = this.pending.findIndex(({ failure }) => (!failure.path || path.startsWith(failure.path)) && (!failure.method || failure.method === method));
    if (index === -1) return undefined;
    const entry = this.pending[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(index, 1);
    return entry.failure;
  }

  clear(): void {
    this.pending = [];
  }
}
