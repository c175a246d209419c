import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PENDING_CLEANUPS_METRIC } from '../../lambdas/http/metrics';
import { TEAM_CLEANUP_ACCESS } from '../../lambdas/routes';
import { HandlerFunction } from './handler-function';
import { type AccessTargets, applyRouteAccess } from './route-access';

export interface TeamCleanupProps {
  readonly targets: AccessTargets;
  readonly environment: Readonly<Record<string, string>>;
  /** The stage's business-metrics namespace (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  readonly alarmPrefix: string;
  /** How often the rule runs the function. */
  readonly every?: Duration;
  /** Runs in a row that must still report pending clean-ups before the alarm fires. */
  readonly pendingRuns?: number;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
  readonly retainLogs: boolean;
}

/**
 * The scheduled team clean-up (lambdas/handlers/ops/team-cleanup.ts): an
 * EventBridge rule runs it every `every`; it deletes the Auth0 clients of
 * teams left without members that account deletion could not finish (Auth0
 * slow or down), and reports how many stay pending. Its grants are
 * TEAM_CLEANUP_ACCESS in the route table, applied like any route's.
 */
export class TeamCleanup extends Construct {
  public readonly handler: HandlerFunction;
  public readonly rule: Rule;
  /** Clean-ups still pending after `pendingRuns` runs in a row (Auth0 unreachable, or a credential it refuses to delete). */
  public readonly pendingAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TeamCleanupProps) {
    super(scope, id);
    const every = props.every ?? Duration.minutes(15);
    const pendingRuns = props.pendingRuns ?? 4;
    if (!Number.isInteger(pendingRuns) || pendingRuns < 1) throw new Error(`TeamCleanup: pendingRuns must be a positive integer (got ${pendingRuns}).`);
    this.handler = new HandlerFunction(this, 'Cleanup', {
      handler: 'ops/team-cleanup',
      description: 'LoginBridge scheduled clean-up: Auth0 clients of teams left without members',
      // Each pending team may take several Auth0 calls within PARTNER_BUDGET_MS.
      timeout: Duration.minutes(5),
      environment: { ...props.environment, POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace },
      logRetention: props.logRetention,
      tracing: props.tracing,
      retainLogs: props.retainLogs,
    });
    applyRouteAccess(this.handler.fn, TEAM_CLEANUP_ACCESS, props.targets);
    this.rule = new Rule(this, 'Schedule', {
      description: 'Runs the LoginBridge team clean-up (Auth0 clients of emptied teams)',
      schedule: Schedule.rate(every),
      targets: [new LambdaFunction(this.handler.fn, { retryAttempts: 2 })],
    });
    this.pendingAlarm = new Alarm(this, 'PendingAlarm', {
      alarmName: `${props.alarmPrefix}-TeamCleanupsPending`,
      alarmDescription: `Team clean-ups (Auth0 clients of deleted accounts' teams) stayed pending for ${pendingRuns} runs in a row: those credentials may still work. See docs/operations.md#team-clean-ups-pending.`,
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: PENDING_CLEANUPS_METRIC,
        dimensionsMap: { service: 'loginbridge' },
        statistic: 'Minimum',
        period: every,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: pendingRuns,
      datapointsToAlarm: pendingRuns,
      // No data means the function did not report: its error alarm covers a function that fails before reporting.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
