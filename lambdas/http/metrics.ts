import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics, as CloudWatch Embedded Metric Format lines through
 * Powertools Metrics (namespace `LoginBridge`). The alarms and the dashboard
 * in `lib/` read exactly these names.
 */
export const METRIC_NAMES = [
  'SignInSucceeded',
  'SignInFailed',
  'SignInDelayed',
  'Registration',
  'RefreshRotated',
  'RefreshReuseDetected',
  'DeviceCodeIssued',
  'DeviceCodeApproved',
  'PartnerCallFailed',
  'AdminAction',
  'PasskeyCloneDetected',
] as const;

/** Written by the scheduled team clean-up after each run; its alarm fires when clean-ups stay pending. */
export const PENDING_CLEANUPS_METRIC = 'PendingTeamCleanups';

export type MetricName = (typeof METRIC_NAMES)[number];

export const METRICS_NAMESPACE = 'LoginBridge';

let metrics: Metrics | undefined;
let pending = 0;

function instance(): Metrics {
  metrics ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName: 'loginbridge' });
  return metrics;
}

/** Counts one event; with dimensions (e.g. `{ partner: 'astrato' }`) it is written at once as its own EMF line. */
export function count(name: MetricName, dimensions?: Record<string, string>): void {
  if (dimensions) {
    const single = instance().singleMetric();
    single.addDimensions(dimensions);
    single.addMetric(name, MetricUnit.Count, 1);
    return;
  }
  instance().addMetric(name, MetricUnit.Count, 1);
  pending += 1;
}

/** Writes what the invocation counted; the pipeline calls it after every request. */
export function flushMetrics(): void {
  if (!pending) return;
  pending = 0;
  instance().publishStoredMetrics();
}

/** A level rather than an event (e.g. clean-ups still pending), written at once as its own EMF line. */
export function gauge(name: typeof PENDING_CLEANUPS_METRIC, value: number): void {
  const single = instance().singleMetric();
  single.addMetric(name, MetricUnit.Count, value);
}
