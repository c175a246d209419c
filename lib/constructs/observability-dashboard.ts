import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { METRIC_NAMES } from '../../lambdas/http/metrics';
import type { AlarmThresholds } from '../config';
import { ALARM_PERIOD, type Signals, type WatchedFunction } from './observability-alarms';

const SUM = { statistic: Stats.SUM, period: ALARM_PERIOD };

/** The rules of the stack's web ACL whose blocks the dashboard draws, by rule name (see Edge). */
const WAF_BLOCKS_BY_RULE: readonly (readonly [rule: string, label: string])[] = [
  ['SignInRateLimit', 'sign-in rate limit'],
  ['AmazonIpReputationList', 'IP reputation'],
  ['KnownBadInputs', 'known bad inputs'],
  ['CommonRuleSet', 'core rule set'],
  ['BodyPatternsOutsidePasswords', 'body patterns'],
];

export interface ObservabilityDashboardProps {
  /** `LoginBridge-<stage>`: the dashboard's name and heading. */
  readonly prefix: string;
  readonly signals: Signals;
  readonly api: RestApi;
  readonly table: Table;
  readonly functions: readonly WatchedFunction[];
  readonly thresholds: AlarmThresholds;
  readonly notifyingAlarms: readonly IAlarm[];
  readonly functionAlarms: readonly IAlarm[];
  /** The `WebACL` metric dimension of the stack's own web ACL. */
  readonly webAclMetricName?: string;
}

/** One dashboard: alarms first, then the API, functions, table, business metrics and the web ACL, two graphs a row. */
export function observabilityDashboard(scope: Construct, id: string, props: ObservabilityDashboardProps): Dashboard {
  const { prefix, signals: s, thresholds } = props;
  const stage = props.api.deploymentStage;
  const dashboard = new Dashboard(scope, id, { dashboardName: prefix, defaultInterval: Duration.hours(3) });
  const wide = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
    new GraphWidget({ title, left, width: 12, height: 6, ...extra });
  const perFunction = (metric: (fn: IFunction) => IMetric) => props.functions.map((watched) => metric(watched.fn));
  const rows: IWidget[][] = [
    [
      new TextWidget({
        markdown: `# ${prefix}\nAlarms go to the SNS topic \`${prefix}\` alarms. What each alarm means and what to do: docs/operations.md. Business metrics: namespace \`${s.namespace}\`.`,
        width: 24,
        height: 2,
      }),
    ],
    [new AlarmStatusWidget({ title: 'Alarms that notify', alarms: [...props.notifyingAlarms], width: 24, height: 4 })],
    // An alarm status widget shows at most 100 alarms.
    ...chunks(props.functionAlarms, 100).map((part, index) => [
      new AlarmStatusWidget({
        title: index ? 'Per-function alarms (continued)' : 'Per-function alarms (the composites above notify)',
        alarms: part,
        width: 24,
        height: 6,
      }),
    ]),
    [
      wide('API requests and errors', [s.requests.with({ label: 'requests' })], {
        right: [s.clientErrors.with({ label: '4xx' }), s.serverErrors.with({ label: '5xx' })],
      }),
      wide('API latency (ms)', [
        stage.metricLatency({ statistic: Stats.p(50), period: ALARM_PERIOD, label: 'p50' }),
        stage.metricLatency({ statistic: Stats.p(99), period: ALARM_PERIOD, label: 'p99' }),
        stage.metricIntegrationLatency({ statistic: Stats.p(99), period: ALARM_PERIOD, label: 'integration p99' }),
      ]),
    ],
    [
      wide('API 5xx rate (%)', [s.errorRate], { leftAnnotations: [{ value: thresholds.api5xxRatePercent, label: 'alarm' }] }),
      wide(
        'Function errors',
        perFunction((fn) => fn.metricErrors(SUM)),
        { legendPosition: undefined },
      ),
    ],
    [
      wide(
        'Function throttles',
        perFunction((fn) => fn.metricThrottles(SUM)),
      ),
      wide(
        'Function duration p99 (ms)',
        perFunction((fn) => fn.metricDuration({ statistic: Stats.p(99), period: ALARM_PERIOD })),
      ),
    ],
    [
      wide('DynamoDB consumed capacity', [
        props.table.metricConsumedReadCapacityUnits(SUM).with({ label: 'read units' }),
        props.table.metricConsumedWriteCapacityUnits(SUM).with({ label: 'write units' }),
      ]),
      wide('DynamoDB throttles and system errors', [s.tableThrottles, s.systemErrors], {
        leftAnnotations: [{ value: thresholds.tableThrottles, label: 'throttle alarm' }],
      }),
    ],
    [
      wide('Sign-ins', [s.business('SignInSucceeded'), s.business('SignInFailed'), s.business('SignInDelayed'), s.business('Registration')], {
        leftAnnotations: [{ value: thresholds.signInDelayed, label: 'delayed alarm' }],
      }),
      wide(
        'Sessions and TV sign-in',
        [s.business('RefreshRotated'), s.business('RefreshReuseDetected'), s.business('DeviceCodeIssued'), s.business('DeviceCodeApproved')],
        {
          leftAnnotations: [{ value: thresholds.refreshReuse, label: 'reuse alarm' }],
        },
      ),
    ],
    [
      wide(
        'Partner call failures',
        s.partnerRates.map(({ partner }) => s.business('PartnerCallFailed', { partner })),
      ),
      wide(
        'Partner failure rate (%)',
        s.partnerRates.map(({ rate }) => rate),
        { leftAnnotations: [{ value: thresholds.partnerFailureRatePercent, label: 'alarm' }] },
      ),
    ],
    [
      new SingleValueWidget({
        title: 'Last 3 hours',
        metrics: METRIC_NAMES.filter((name) => name !== 'PartnerCallFailed').map((name) => s.business(name)),
        width: 24,
        height: 4,
        setPeriodToTimeRange: true,
      }),
    ],
  ];
  const webAcl = props.webAclMetricName;
  if (webAcl) {
    const waf = (metricName: string, rule: string, label: string) =>
      new Metric({ namespace: 'AWS/WAFV2', metricName, dimensionsMap: { WebACL: webAcl, Region: Stack.of(scope).region, Rule: rule }, ...SUM, label });
    rows.push([
      wide('WAF', [waf('AllowedRequests', 'ALL', 'allowed'), waf('BlockedRequests', 'ALL', 'blocked'), waf('CountedRequests', 'ALL', 'counted')]),
      wide(
        'WAF blocks by rule',
        WAF_BLOCKS_BY_RULE.map(([rule, label]) => waf('BlockedRequests', `${webAcl}-${rule}`, label)),
      ),
    ]);
  }
  for (const row of rows) dashboard.addWidgets(...row);
  return dashboard;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let index = 0; index < items.length; index += size) parts.push(items.slice(index, index + size));
  return parts;
}
