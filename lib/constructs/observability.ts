import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmRule,
  AlarmState,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
  type IAlarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE, type MetricName } from '../../lambdas/http/metrics';
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

/** A function to watch, named for people (`POST /login-flow/login`) and for alarm names (`LoginFlowLogin`). */
export interface WatchedFunction {
  readonly label: string;
  readonly id: string;
  readonly fn: IFunction;
  /** Partner secrets the function reads: its invocations bound that partner's calls. */
  readonly partners?: readonly PartnerSecret[];
}

export interface ObservabilityProps {
  readonly stageName: string;
  readonly api: RestApi;
  readonly functions: readonly WatchedFunction[];
  readonly table: Table;
  readonly partners: readonly PartnerSecret[];
  readonly thresholds: AlarmThresholds;
  readonly alarmEmail?: string;
  /** The `WebACL` metric dimension of the stack's own web ACL, for the dashboard. */
  readonly webAclMetricName?: string;
  readonly production: boolean;
  /** Alarms other constructs made (e.g. pending team clean-ups), by name: they notify the topic and show on the dashboard too. */
  readonly extraAlarms?: Readonly<Record<string, Alarm>>;
}

/**
 * Alarms to an encrypted SNS topic, and one dashboard.
 *
 * Function errors and throttles are alarmed per function: CloudWatch bills an
 * alarm per metric it reads, so one metric-math alarm over 35 functions
 * would cost the same as 35 alarms (and may read only 10 metrics), while a
 * per-function alarm names the function that failed. To keep a
 * region-wide event (the account's concurrency exhausted) from sending one
 * mail per function, those alarms have no action of their own: a composite
 * alarm per kind ("any function errors", "any function throttled") notifies.
 */
export class Observability extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;
  public readonly dashboard: Dashboard;
  /** The alarms that notify, by purpose. */
  public readonly alarms: Readonly<Record<string, IAlarm>>;
  /** Per-function alarms (no action; their composite notifies). */
  public readonly functionErrorAlarms: readonly Alarm[];
  public readonly functionThrottleAlarms: readonly Alarm[];

  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.prefix = `LoginBridge-${props.stageName}`;
    const { thresholds } = props;

    this.key = new Key(this, 'TopicKey', {
      description: `${this.prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes the alarm messages, so it needs the data key of the encrypted topic (AWS managed keys cannot grant that).
    this.key.addToResourcePolicy(
      new PolicyStatement({ principals: [new ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }),
    );
    this.topic = new Topic(this, 'Alarms', { displayName: `${this.prefix} alarms`, masterKey: this.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const notify = new SnsAction(this.topic);

    const stage = props.api.deploymentStage;
    const sum = { statistic: Stats.SUM, period: ALARM_PERIOD };
    const requests = stage.metricCount(sum);
    const serverErrors = stage.metricServerError(sum);
    const clientErrors = stage.metricClientError(sum);
    const errorRate = new MathExpression({
      expression: `IF(requests >= ${thresholds.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: ALARM_PERIOD,
      label: '5xx %',
    });

    const alarms: Record<string, IAlarm> = {};
    const alarm = (name: string, metric: IMetric, threshold: number, description: string, evaluation: { periods: number; datapoints: number } = { periods: 1, datapoints: 1 }) => {
      const created = new Alarm(this, name, {
        alarmName: `${this.prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: evaluation.periods,
        datapointsToAlarm: evaluation.datapoints,
        // Quiet hours have no data points; that is not an outage.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      alarms[name] = created;
      return created;
    };

    for (const [name, extra] of Object.entries(props.extraAlarms ?? {})) {
      extra.addAlarmAction(notify);
      extra.addOkAction(notify);
      alarms[name] = extra;
    }

    alarm(
      'Api5xxRate',
      errorRate,
      thresholds.api5xxRatePercent,
      `At least ${thresholds.api5xxRatePercent}% of API requests answered 5xx (502/503/504 from functions, or gateway errors) in 2 of 3 five-minute periods with ${thresholds.api5xxMinRequests}+ requests. See docs/runbook.md#api-5xx-rate.`,
      { periods: 3, datapoints: 2 },
    );

    this.functionErrorAlarms = props.functions.map((watched) =>
      this.functionAlarm(watched.fn, `Errors-${watched.id}`, watched.fn.metricErrors(sum), thresholds.functionErrors, `${watched.label}: ${thresholds.functionErrors}+ unhandled errors (crash, timeout, out of memory) in 5 minutes.`),
    );
    this.functionThrottleAlarms = props.functions.map((watched) =>
      this.functionAlarm(watched.fn, `Throttles-${watched.id}`, watched.fn.metricThrottles(sum), thresholds.functionThrottles, `${watched.label}: ${thresholds.functionThrottles}+ throttled invocations in 5 minutes.`),
    );
    for (const [name, members, what] of [
      ['FunctionErrors', this.functionErrorAlarms, 'A function failed unhandled (crash, timeout, out of memory); see docs/runbook.md#function-errors'],
      ['FunctionThrottles', this.functionThrottleAlarms, 'Lambda throttled a function (account or reserved concurrency exhausted); see docs/runbook.md#function-throttles'],
    ] as const) {
      const composite = new CompositeAlarm(this, name, {
        compositeAlarmName: `${this.prefix}-${name}`,
        alarmDescription: `${what}. The dashboard's alarm list names the function.`,
        alarmRule: AlarmRule.anyOf(...members.map((member) => AlarmRule.fromAlarm(member, AlarmState.ALARM))),
      });
      composite.addAlarmAction(notify);
      composite.addOkAction(notify);
      alarms[name] = composite;
    }

    const table = props.table;
    const tableThrottles = new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: table.metric('ReadThrottleEvents', sum), writes: table.metric('WriteThrottleEvents', sum) },
      period: ALARM_PERIOD,
      label: 'throttle events',
    });
    alarm('TableThrottles', tableThrottles, thresholds.tableThrottles, `The table throttled ${thresholds.tableThrottles}+ reads or writes in 5 minutes. See docs/runbook.md#table-throttles.`);
    const systemErrors = table.metricSystemErrorsForOperations({ operations: [...TABLE_OPERATIONS], ...sum, label: 'system errors' });
    alarm('TableSystemErrors', systemErrors, thresholds.tableSystemErrors, `DynamoDB answered ${thresholds.tableSystemErrors}+ requests with a system error (HTTP 500) in 5 minutes. See docs/runbook.md#table-system-errors.`);

    const ns = metricsNamespace(props.stageName);
    const business = (name: MetricName, dimensions: Record<string, string> = {}) =>
      new Metric({ namespace: ns, metricName: name, dimensionsMap: { service: METRICS_SERVICE, ...dimensions }, ...sum, label: dimensions.partner ?? name });
    alarm(
      'RefreshReuseSpike',
      business('RefreshReuseDetected'),
      thresholds.refreshReuse,
      `${thresholds.refreshReuse}+ refresh tokens presented again after rotation in 5 minutes (each revoked its session). See docs/runbook.md#refresh-reuse-spike.`,
    );
    alarm(
      'SignInDelayedSpike',
      business('SignInDelayed'),
      thresholds.signInDelayed,
      `${thresholds.signInDelayed}+ sign-ins refused by the back-off in 5 minutes: password guessing. See docs/runbook.md#sign-in-delayed-spike.`,
    );

    const partnerRates: IMetric[] = [];
    for (const [p, partner] of props.partners.entries()) {
      // Expression ids are unique per partner: the dashboard draws all partners in one graph.
      const callers = props.functions.filter((watched) => watched.partners?.includes(partner));
      const failedId = `failed${p}`;
      const failed = new MathExpression({ expression: `FILL(failures${p}, 0)`, usingMetrics: { [`failures${p}`]: business('PartnerCallFailed', { partner }) }, period: ALARM_PERIOD });
      const rated = callers.length > 0 && callers.length < MAX_ALARM_METRICS;
      const rate = rated
        ? new MathExpression({
            // Invocations of the functions that may call the partner bound its calls from above, so the rate errs low, never high.
            expression: `IF(${failedId} >= ${thresholds.partnerMinFailures}, 100 * ${failedId} / MAX([${failedId}, calls${p}]), 0)`,
            usingMetrics: {
              [failedId]: failed,
              [`calls${p}`]: new MathExpression({
                expression: callers.map((_caller, index) => `FILL(c${p}_${index}, 0)`).join(' + '),
                usingMetrics: Object.fromEntries(callers.map((caller, index) => [`c${p}_${index}`, caller.fn.metricInvocations(sum)])),
                period: ALARM_PERIOD,
              }),
            },
            period: ALARM_PERIOD,
            label: `${partner} failed %`,
          })
        : // More callers than one alarm can read: a failure count is the signal then.
          new MathExpression({ expression: `IF(${failedId} >= ${thresholds.partnerMinFailures}, 100, 0)`, usingMetrics: { [failedId]: failed }, period: ALARM_PERIOD, label: `${partner} failing` });
      partnerRates.push(rate);
      alarm(
        `PartnerFailures-${partner}`,
        rate,
        thresholds.partnerFailureRatePercent,
        `Calls to ${partner} failed (timeout, 5xx, refused credentials): ${thresholds.partnerFailureRatePercent}%+ of its callers' invocations, ${thresholds.partnerMinFailures}+ failures, in 5 minutes. See docs/runbook.md#partner-failures.`,
      );
    }
    this.alarms = alarms;

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.prefix, defaultInterval: Duration.hours(3) });
    const wide = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) => new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const perFunction = (metric: (fn: IFunction) => IMetric) => props.functions.map((watched) => metric(watched.fn));
    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown: `# ${this.prefix}\nAlarms go to the SNS topic \`${this.prefix}\` alarms. What each alarm means and what to do: docs/runbook.md. Business metrics: namespace \`${ns}\`.`,
          width: 24,
          height: 2,
        }),
      ],
      [new AlarmStatusWidget({ title: 'Alarms that notify', alarms: Object.values(alarms), width: 24, height: 4 })],
      // An alarm status widget shows at most 100 alarms.
      ...chunks([...this.functionErrorAlarms, ...this.functionThrottleAlarms], 100).map((part, index) => [
        new AlarmStatusWidget({ title: index ? 'Per-function alarms (continued)' : 'Per-function alarms (the composites above notify)', alarms: part, width: 24, height: 6 }),
      ]),
      [
        wide('API requests and errors', [requests.with({ label: 'requests' })], { right: [clientErrors.with({ label: '4xx' }), serverErrors.with({ label: '5xx' })] }),
        wide('API latency (ms)', [
          stage.metricLatency({ statistic: Stats.p(50), period: ALARM_PERIOD, label: 'p50' }),
          stage.metricLatency({ statistic: Stats.p(99), period: ALARM_PERIOD, label: 'p99' }),
          stage.metricIntegrationLatency({ statistic: Stats.p(99), period: ALARM_PERIOD, label: 'integration p99' }),
        ]),
      ],
      [wide('API 5xx rate (%)', [errorRate], { leftAnnotations: [{ value: thresholds.api5xxRatePercent, label: 'alarm' }] }), wide('Function errors', perFunction((fn) => fn.metricErrors(sum)), { legendPosition: undefined })],
      [wide('Function throttles', perFunction((fn) => fn.metricThrottles(sum))), wide('Function duration p99 (ms)', perFunction((fn) => fn.metricDuration({ statistic: Stats.p(99), period: ALARM_PERIOD })))],
      [
        wide('DynamoDB consumed capacity', [table.metricConsumedReadCapacityUnits(sum).with({ label: 'read units' }), table.metricConsumedWriteCapacityUnits(sum).with({ label: 'write units' })]),
        wide('DynamoDB throttles and system errors', [tableThrottles, systemErrors], { leftAnnotations: [{ value: thresholds.tableThrottles, label: 'throttle alarm' }] }),
      ],
      [
        wide('Sign-ins', [business('SignInSucceeded'), business('SignInFailed'), business('SignInDelayed'), business('Registration')], {
          leftAnnotations: [{ value: thresholds.signInDelayed, label: 'delayed alarm' }],
        }),
        wide('Sessions and TV sign-in', [business('RefreshRotated'), business('RefreshReuseDetected'), business('DeviceCodeIssued'), business('DeviceCodeApproved')], {
          leftAnnotations: [{ value: thresholds.refreshReuse, label: 'reuse alarm' }],
        }),
      ],
      [
        wide('Partner call failures', props.partners.map((partner) => business('PartnerCallFailed', { partner }))),
        wide('Partner failure rate (%)', partnerRates, { leftAnnotations: [{ value: thresholds.partnerFailureRatePercent, label: 'alarm' }] }),
      ],
      [new SingleValueWidget({ title: 'Last 3 hours', metrics: METRIC_NAMES.filter((name) => name !== 'PartnerCallFailed').map((name) => business(name)), width: 24, height: 4, setPeriodToTimeRange: true })],
    ];
    if (props.webAclMetricName) {
      const waf = (metricName: string, rule: string, label: string) =>
        new Metric({ namespace: 'AWS/WAFV2', metricName, dimensionsMap: { WebACL: props.webAclMetricName as string, Region: Stack.of(this).region, Rule: rule }, ...sum, label });
      rows.push([
        wide('WAF', [waf('AllowedRequests', 'ALL', 'allowed'), waf('BlockedRequests', 'ALL', 'blocked'), waf('CountedRequests', 'ALL', 'counted')]),
        wide('WAF blocks by rule', [
          waf('BlockedRequests', `${props.webAclMetricName}-SignInRateLimit`, 'sign-in rate limit'),
          waf('BlockedRequests', `${props.webAclMetricName}-AmazonIpReputationList`, 'IP reputation'),
          waf('BlockedRequests', `${props.webAclMetricName}-KnownBadInputs`, 'known bad inputs'),
          waf('BlockedRequests', `${props.webAclMetricName}-CommonRuleSet`, 'core rule set'),
          waf('BlockedRequests', `${props.webAclMetricName}-BodyPatternsOutsidePasswords`, 'body patterns'),
        ]),
      ]);
    }
    for (const row of rows) this.dashboard.addWidgets(...row);
  }

  /**
   * A per-function alarm lives in the function's own stack (its area's nested
   * stack), so the parent stack's resource count does not grow per route; the
   * composites in this stack read it through a nested-stack output.
   */
  private functionAlarm(fn: IFunction, name: string, metric: IMetric, threshold: number, description: string): Alarm {
    const home = Stack.of(fn);
    const scope = home === Stack.of(this) ? this : ((home.node.tryFindChild('FunctionAlarms') as Construct | undefined) ?? new Construct(home, 'FunctionAlarms'));
    return new Alarm(scope, name, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let index = 0; index < items.length; index += size) parts.push(items.slice(index, index + size));
  return parts;
}
