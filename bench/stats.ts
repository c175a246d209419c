/** Small statistics helpers for the benchmark: percentiles of raw samples and medians of rounds. */

/** The p-th percentile (0-100) of `samples`, linearly interpolated; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Latency summary of one run, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  return { count: latenciesMs.length, p50: percentile(latenciesMs, 50), p99: percentile(latenciesMs, 99) };
}

/** Rounds a figure for printing and for the JSON report. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
