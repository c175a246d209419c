import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { type Alarm, type AlarmBase, AlarmRule, AlarmState, CompositeAlarm, type Dashboard, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { PartnerSecret } from '../../lambdas/routes';
import type { AlarmThresholds } from '../config';
import {
  type FunctionAlarmKind,
  functionAlarmKinds,
  type MetricAlarmDefinition,
  notifyingAlarms,
  signals,
  thresholdAlarm,
  type WatchedFunction,
} from './observability-alarms';
import { observabilityDashboard } from './observability-dashboard';

export { ALARM_PERIOD, METRICS_SERVICE, metricsNamespace, TABLE_OPERATIONS, type WatchedFunction } from './observability-alarms';

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
 * It reads one composite per area stack (areaComposites), so its rule stays
 * short however many routes there are.
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
  /** Per area stack and kind, the composite of its per-function alarms (no action; the kind's notifying composite reads it). */
  public readonly areaFunctionAlarms: readonly IAlarm[];

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
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Alarms', { displayName: `${this.prefix} alarms`, masterKey: this.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const notify = new SnsAction(this.topic);

    const measured = signals(props);
    const perFunction = functionAlarmKinds(thresholds).map((kind) => ({
      kind,
      alarms: props.functions.map((watched) =>
        this.functionAlarm(watched.fn, `${kind.kind}-${watched.id}`, {
          metric: kind.metric(watched.fn),
          threshold: kind.threshold,
          description: kind.description(watched.label),
        }),
      ),
    }));
    [this.functionErrorAlarms, this.functionThrottleAlarms] = perFunction.map(({ alarms }) => alarms);
    const compositeMembers = perFunction.map(({ kind, alarms }) => ({ kind, alarms: this.areaComposites(kind, alarms) }));
    this.areaFunctionAlarms = compositeMembers.flatMap(({ alarms }) => alarms.filter((alarm) => alarm instanceof CompositeAlarm));

    const alarms: Record<string, AlarmBase> = { ...props.extraAlarms };
    for (const definition of notifyingAlarms(measured, thresholds, compositeMembers)) {
      alarms[definition.name] =
        'anyOf' in definition
          ? new CompositeAlarm(this, definition.name, {
              compositeAlarmName: `${this.prefix}-${definition.name}`,
              alarmDescription: definition.description,
              alarmRule: anyAlarm(definition.anyOf),
            })
          : thresholdAlarm(this, definition.name, `${this.prefix}-${definition.name}`, {
              ...definition,
              evaluation: definition.evaluation ?? { periods: 1, datapoints: 1 },
            });
    }
    for (const alarm of Object.values(alarms)) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
    this.alarms = alarms;

    this.dashboard = observabilityDashboard(this, 'Dashboard', {
      prefix: this.prefix,
      signals: measured,
      api: props.api,
      table: props.table,
      functions: props.functions,
      thresholds,
      notifyingAlarms: Object.values(alarms),
      functionAlarms: [...this.areaFunctionAlarms, ...this.functionErrorAlarms, ...this.functionThrottleAlarms],
      webAclMetricName: props.webAclMetricName,
    });
  }

  /**
   * What a kind's notifying composite reads: the per-function alarms of this
   * stack as they are, and for each nested stack one composite of its own
   * alarms (no action), named `<prefix>-<FunctionErrors>-<Area>Routes`. CloudWatch caps an alarm rule at
   * 10,240 characters and a rule names each alarm by ARN (~110 characters
   * with a long region and stage), so one rule over every function would
   * stop deploys at about 95 routes; an area holds about 41 routes
   * (docs/infrastructure.md), and the top rule names one alarm per area.
   */
  private areaComposites(kind: FunctionAlarmKind, alarms: readonly Alarm[]): IAlarm[] {
    const byStack = new Map<Stack, Alarm[]>();
    for (const alarm of alarms) byStack.set(Stack.of(alarm), [...(byStack.get(Stack.of(alarm)) ?? []), alarm]);
    return [...byStack].flatMap(([home, members]): IAlarm[] => {
      if (home === Stack.of(this)) return members;
      const name = `${kind.composite.name}-${home.node.id}`;
      return [
        new CompositeAlarm(this.alarmScope(home), name, {
          compositeAlarmName: `${this.prefix}-${name}`,
          alarmDescription: `${kind.kind} of any function in ${home.node.id}. No action of its own: ${this.prefix}-${kind.composite.name} notifies.`,
          alarmRule: anyAlarm(members),
        }),
      ];
    });
  }

  /** Where alarms of the `home` stack are built: this construct in its own stack, else one scope per nested stack. */
  private alarmScope(home: Stack): Construct {
    if (home === Stack.of(this)) return this;
    return (home.node.tryFindChild('FunctionAlarms') as Construct | undefined) ?? new Construct(home, 'FunctionAlarms');
  }

  /**
   * A per-function alarm lives in the function's own stack (its area's nested
   * stack), so the parent stack's resource count does not grow per route; the
   * composites in this stack read it through a nested-stack output.
   */
  private functionAlarm(fn: IFunction, name: string, definition: Omit<MetricAlarmDefinition, 'name'>): Alarm {
    return thresholdAlarm(this.alarmScope(Stack.of(fn)), name, `${this.prefix}-${name}`, definition);
  }
}

/** In ALARM while any of `members` is. */
const anyAlarm = (members: readonly IAlarm[]) => AlarmRule.anyOf(...members.map((member) => AlarmRule.fromAlarm(member, AlarmState.ALARM)));
