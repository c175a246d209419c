/** Messages between the benchmark and its load-generator process (bench/load-client.ts). */

/** A password every benchmark account shares: long enough for the policy, not a common one. */
export const BENCH_PASSWORD = 'benchmark horse battery staple';

export type Scenario = 'register' | 'login' | 'refresh';

export interface LoadCommand {
  type: 'run';
  scenario: Scenario;
  url: string;
  connections: number;
  durationSeconds: number;
}

/** Hands the parent refresh tokens of registered accounts (for the DynamoDB floor) and removes them from the client's pool. */
export interface ReserveCommand {
  type: 'reserve';
  count: number;
}

/** A sample of the accounts registered so far (they stay usable by the client). */
export interface AccountsCommand {
  type: 'accounts';
  count: number;
}

export type ClientCommand = LoadCommand | ReserveCommand | AccountsCommand | { type: 'exit' };

export interface LoadResult {
  type: 'result';
  scenario: Scenario;
  connections: number;
  durationSeconds: number;
  /** Completed requests of any status per second. */
  requestsPerSecond: number;
  /** 2xx answers per second: the figure that counts. */
  okPerSecond: number;
  /** Latencies of 2xx answers, in ms (autocannon's own histogram keeps whole milliseconds only). */
  latency: { count: number; p50: number; p99: number };
  statuses: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Pool sizes after the run: accounts that can log in, unused refresh tokens. */
  accounts: number;
  tokens: number;
}

export interface ReserveResult {
  type: 'reserved';
  tokens: string[];
}

export type ClientMessage = LoadResult | ReserveResult | { type: 'accounts'; emails: string[] } | { type: 'error'; message: string };
