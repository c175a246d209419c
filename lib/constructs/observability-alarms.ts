import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IAlarm, type IMetric, MathExpression, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, type MetricName } from '../../lambdas/http/metrics';
import type { PartnerSecret } from '../../lambdas/routes';
import type { AlarmThresholds } from '../config';

/** Every alarm looks at 5-minute periods: short enough to page during an attack, long enough to smooth single requests. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Powertools Metrics adds this `service` dimension to every business metric (serviceName in lambdas/http/metrics.ts). */
export const METRICS_SERVICE = 'loginbridge';

/**
 * The namespace a stage's functions write their business metrics to
 * (`POWERTOOLS_METRICS_NAMESPACE`): one per stage, so a load test on `dev`
 * never moves the alarms of `prod` in the same account and region. Locally
 * (no variable) the functions use METRICS_NAMESPACE itself.
 */
export const metricsNamespace = (stage: string): string => `${METRICS_NAMESPACE}/${stage}`;

/** The DynamoDB operations the adapters use (ConditionCheckItem runs inside TransactWriteItems). */
export const TABLE_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.QUERY,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/** CloudWatch allows at most 10 metrics in one alarm: the partner failure count plus up to 9 callers. */
const MAX_ALARM_METRICS = 10;

const SUM = { statistic: Stats.SUM, period: ALARM_PERIOD };

/** A function to watch, named for people (`POST /login-flow/login`) and for alarm names (`LoginFlowLogin`). */
export interface WatchedFunction {
  readonly label: string;
  readonly id: string;
  readonly fn: IFunction;
  /** Partner secrets the function reads: its invocations bound that partner's calls. */
  readonly partners?: readonly PartnerSecret[];
}

/** What the stack measures, built once: the alarms and the dashboard read the same metric objects. */
export interface Signals {
  readonly namespace: string;
  readonly requests: Metric;
  readonly serverErrors: Metric;
  readonly clientErrors: Metric;
  readonly errorRate: IMetric;
  readonly tableThrottles: IMetric;
  readonly systemErrors: IMetric;
  /** Failed calls in percent of the callers' invocations, per partner (in the order of `partners`). */
  readonly partnerRates: readonly { readonly partner: PartnerSecret; readonly rate: IMetric }[];
  business(name: MetricName, dimensions?: Record<string, string>): IMetric;
}

export interface SignalSources {
  readonly stageName: string;
  readonly api: RestApi;
  readonly table: Table;
  readonly functions: readonly WatchedFunction[];
  readonly partners: readonly PartnerSecret[];
  readonly thresholds: AlarmThresholds;
}

export function signals({ stageName, api, table, functions, partners, thresholds }: SignalSources): Signals {
  const stage = api.deploymentStage;
  const requests = stage.metricCount(SUM);
  const serverErrors = stage.metricServerError(SUM);
  const namespace = metricsNamespace(stageName);
  const business = (name: MetricName, dimensions: Record<string, string> = {}) =>
    new Metric({ namespace, metricName: name, dimensionsMap: { service: METRICS_SERVICE, ...dimensions }, ...SUM, label: dimensions.partner ?? name });
  return {
    namespace,
    requests,
    serverErrors,
    clientErrors: stage.metricClientError(SUM),
    errorRate: new MathExpression({
      expression: `IF(requests >= ${thresholds.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: ALARM_PERIOD,
      label: '5xx %',
    }),
    tableThrottles: new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: table.metric('ReadThrottleEvents', SUM), writes: table.metric('WriteThrottleEvents', SUM) },
      period: ALARM_PERIOD,
      label: 'throttle events',
    }),
    systemErrors: table.metricSystemErrorsForOperations({ operations: [...TABLE_OPERATIONS], ...SUM, label: 'system errors' }),
    partnerRates: partners.map((partner, p) => ({ partner, rate: partnerFailureRate(partner, p, functions, thresholds, business) })),
    business,
  };
}

/** Expression ids are unique per partner (`p` is its index): the dashboard draws all partners in one graph. */
function partnerFailureRate(
  partner: PartnerSecret,
  p: number,
  functions: readonly WatchedFunction[],
  thresholds: AlarmThresholds,
  business: Signals['business'],
): IMetric {
  const callers = functions.filter((watched) => watched.partners?.includes(partner));
  const failedId = `failed${p}`;
  const failed = new MathExpression({
    expression: `FILL(failures${p}, 0)`,
    usingMetrics: { [`failures${p}`]: business('PartnerCallFailed', { partner }) },
    period: ALARM_PERIOD,
  });
  if (callers.length === 0 || callers.length >= MAX_ALARM_METRICS) {
    // More callers than one alarm can read: a failure count is the signal then.
    return new MathExpression({
      expression: `IF(${failedId} >= ${thresholds.partnerMinFailures}, 100, 0)`,
      usingMetrics: { [failedId]: failed },
      period: ALARM_PERIOD,
      label: `${partner} failing`,
    });
  }
  return new MathExpression({
    // Invocations of the functions that may call the partner bound its calls from above, so the rate errs low, never high.
    expression: `IF(${failedId} >= ${thresholds.partnerMinFailures}, 100 * ${failedId} / MAX([${failedId}, calls${p}]), 0)`,
    usingMetrics: {
      [failedId]: failed,
      [`calls${p}`]: new MathExpression({
        expression: callers.map((_caller, index) => `FILL(c${p}_${index}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(callers.map((caller, index) => [`c${p}_${index}`, caller.fn.metricInvocations(SUM)])),
        period: ALARM_PERIOD,
      }),
    },
    period: ALARM_PERIOD,
    label: `${partner} failed %`,
  });
}

/** One alarm that notifies the topic: what it reads, when it fires, and its docs/operations.md section (in the description). */
export interface MetricAlarmDefinition {
  readonly name: string;
  readonly metric: IMetric;
  /** Fires at or above this value (from `alarms` in the stack config). */
  readonly threshold: number;
  /** How many of the last `periods` five-minute periods must breach; default 1 of 1. */
  readonly evaluation?: { readonly periods: number; readonly datapoints: number };
  readonly description: string;
}

/** A notifying alarm over per-function alarms that have no action of their own. */
export interface CompositeAlarmDefinition {
  readonly name: string;
  readonly anyOf: readonly IAlarm[];
  readonly description: string;
}

export type NotifyingAlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition;

/**
 * An alarm per watched function and kind. They have no action: to keep a
 * region-wide event (the account's concurrency exhausted) from sending one
 * mail per function, the composite named here notifies.
 */
export interface FunctionAlarmKind {
  /** Prefix of the per-function alarm's name (`Errors-LoginFlowLogin`). */
  readonly kind: 'Errors' | 'Throttles';
  readonly metric: (fn: IFunction) => IMetric;
  readonly threshold: number;
  readonly description: (label: string) => string;
  readonly composite: { readonly name: string; readonly description: string };
}

export const functionAlarmKinds = (thresholds: AlarmThresholds): readonly FunctionAlarmKind[] => [
  {
    kind: 'Errors',
    metric: (fn) => fn.metricErrors(SUM),
    threshold: thresholds.functionErrors,
    description: (label) => `${label}: ${thresholds.functionErrors}+ unhandled errors (crash, timeout, out of memory) in 5 minutes.`,
    composite: {
      name: 'FunctionErrors',
      description:
        "A function failed unhandled (crash, timeout, out of memory); see docs/operations.md#function-errors. The dashboard's alarm list names the function.",
    },
  },
  {
    kind: 'Throttles',
    metric: (fn) => fn.metricThrottles(SUM),
    threshold: thresholds.functionThrottles,
    description: (label) => `${label}: ${thresholds.functionThrottles}+ throttled invocations in 5 minutes.`,
    composite: {
      name: 'FunctionThrottles',
      description:
        "Lambda throttled a function (account or reserved concurrency exhausted); see docs/operations.md#function-throttles. The dashboard's alarm list names the function.",
    },
  },
];

/**
 * The alarms that notify, in the order the dashboard lists them. `perFunction`
 * holds the per-function alarms of each kind of functionAlarmKinds, in that order.
 */
export function notifyingAlarms(
  s: Signals,
  thresholds: AlarmThresholds,
  perFunction: readonly { readonly kind: FunctionAlarmKind; readonly alarms: readonly IAlarm[] }[],
): NotifyingAlarmDefinition[] {
  return [
    {
      name: 'Api5xxRate',
      metric: s.errorRate,
      threshold: thresholds.api5xxRatePercent,
      evaluation: { periods: 3, datapoints: 2 },
      description: `At least ${thresholds.api5xxRatePercent}% of API requests answered 5xx (502/503/504 from functions, or gateway errors) in 2 of 3 five-minute periods with ${thresholds.api5xxMinRequests}+ requests. See docs/operations.md#api-5xx-rate.`,
    },
    ...perFunction.map(({ kind, alarms }) => ({ ...kind.composite, anyOf: alarms })),
    {
      name: 'TableThrottles',
      metric: s.tableThrottles,
      threshold: thresholds.tableThrottles,
      description: `The table throttled ${thresholds.tableThrottles}+ reads or writes in 5 minutes. See docs/operations.md#table-throttles.`,
    },
    {
      name: 'TableSystemErrors',
      metric: s.systemErrors,
      threshold: thresholds.tableSystemErrors,
      description: `DynamoDB answered ${thresholds.tableSystemErrors}+ requests with a system error (HTTP 500) in 5 minutes. See docs/operations.md#table-system-errors.`,
    },
    {
      name: 'RefreshReuseSpike',
      metric: s.business('RefreshReuseDetected'),
      threshold: thresholds.refreshReuse,
      description: `${thresholds.refreshReuse}+ refresh tokens presented again after rotation in 5 minutes (each revoked its session). See docs/operations.md#refresh-reuse-spike.`,
    },
    {
      name: 'SignInDelayedSpike',
      metric: s.business('SignInDelayed'),
      threshold: thresholds.signInDelayed,
      description: `${thresholds.signInDelayed}+ sign-ins refused by the back-off in 5 minutes: password guessing. See docs/operations.md#sign-in-delayed-spike.`,
    },
    {
      name: 'PasskeyCloneDetected',
      metric: s.business('PasskeyCloneDetected'),
      threshold: thresholds.passkeyClones,
      description: `${thresholds.passkeyClones}+ passkey sign-ins refused in 5 minutes because the authenticator's signature counter went backwards (a cloned authenticator). See docs/operations.md#passkey-clone-detected.`,
    },
    ...s.partnerRates.map(({ partner, rate }) => ({
      name: `PartnerFailures-${partner}`,
      metric: rate,
      threshold: thresholds.partnerFailureRatePercent,
      description: `Calls to ${partner} failed (timeout, 5xx, refused credentials): ${thresholds.partnerFailureRatePercent}%+ of its callers' invocations, ${thresholds.partnerMinFailures}+ failures, in 5 minutes. See docs/operations.md#partner-failures.`,
    })),
  ];
}

/**
 * Every alarm fires at or above its threshold, and quiet hours (no data
 * points) are not an outage. Without `evaluation` the alarm looks at one
 * period and leaves `DatapointsToAlarm` unset (CloudWatch reads that as 1 of 1).
 */
export function thresholdAlarm(scope: Construct, id: string, alarmName: string, definition: Omit<MetricAlarmDefinition, 'name'>): Alarm {
  return new Alarm(scope, id, {
    alarmName,
    alarmDescription: definition.description,
    metric: definition.metric,
    threshold: definition.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: definition.evaluation?.periods ?? 1,
    datapointsToAlarm: definition.evaluation?.datapoints,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
