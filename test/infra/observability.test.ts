import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../lambdas/http/metrics';
import { ROUTES } from '../../lambdas/routes';
import { ALARMED_PARTNERS, DEFAULT_ALARMS } from '../../lib/config';
import { METRICS_SERVICE, metricsNamespace, TABLE_OPERATIONS } from '../../lib/constructs/observability';
import { STACK_RESOURCE_BUDGET } from '../../lib/constructs/route-areas';
import { grownRoutes } from './support/grown-routes';
import { logicalId, type Resources, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

type Query = {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] }; Stat: string; Period: number };
};
type AlarmProps = Record<string, any> & { Metrics?: Query[] };

const alarmsOf = (synth: Synthesized): Map<string, AlarmProps> =>
  new Map(
    Object.values(resourcesOf(synth.template))
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map((resource) => [(resource.Properties?.AlarmName as string).replace(/^LoginBridge-[a-z0-9-]+?-(?=[A-Z])/, ''), resource.Properties as AlarmProps]),
  );

/** The query whose value the alarm compares, and the metrics it reads (as `Namespace MetricName dim=value,...`). */
function readsOf(alarm: AlarmProps, names: ReadonlyMap<string, string>): { expression?: string; metrics: string[] } {
  // A plain-metric alarm without a label is written without the Metrics list.
  const queries: Query[] = alarm.Metrics ?? [
    {
      Id: 'm',
      MetricStat: {
        Metric: { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions },
        Stat: alarm.Statistic,
        Period: alarm.Period,
      },
    },
  ];
  const returned = queries.find((query) => query.ReturnData !== false);
  const metrics = queries
    .filter((query) => query.MetricStat)
    .map((query) => {
      const { Metric, Stat, Period } = query.MetricStat!;
      const dimensions = (Metric.Dimensions ?? []).map((dimension) => `${dimension.Name}=${render(dimension.Value, names)}`).join(',');
      return `${Metric.Namespace} ${Metric.MetricName} ${dimensions} ${Stat}/${Period}`;
    });
  return { expression: returned?.Expression, metrics: metrics.sort() };
}

function namesOf(synth: Synthesized): Map<string, string> {
  return new Map<string, string>([
    [logicalId(synth.stack.data.table), 'TABLE'],
    [logicalId(synth.stack.api.api.deploymentStage), 'STAGE'],
    ...ROUTES.map((route) => [logicalId(synth.stack.routeFunctions.forRoute(route)), `${route.method} ${route.path}`] as [string, string]),
    [logicalId(synth.stack.signingKey.rotation.fn), 'ROTATION'],
    [logicalId(synth.stack.refreshTokenKey.rotation.fn), 'REFRESH_KEY_ROTATION'],
    [logicalId(synth.stack.invitationKey.rotation.fn), 'INVITATION_KEY_ROTATION'],
    [logicalId(synth.stack.teamCleanup.handler.fn), 'TEAM_CLEANUP'],
  ]);
}

const topicRef = (synth: Synthesized) => [{ Ref: logicalId(synth.stack.observability.topic) }];

describe('Alarms', () => {
  let synth: Synthesized;
  let alarms: Map<string, AlarmProps>;
  let names: Map<string, string>;
  beforeAll(() => {
    synth = synthesize();
    alarms = alarmsOf(synth);
    names = namesOf(synth);
  });

  it.each([
    [
      'Api5xxRate',
      `IF(requests >= ${DEFAULT_ALARMS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      ['AWS/ApiGateway 5XXError ApiName=loginbridge-dev,Stage=STAGE Sum/300', 'AWS/ApiGateway Count ApiName=loginbridge-dev,Stage=STAGE Sum/300'],
      DEFAULT_ALARMS.api5xxRatePercent,
      [3, 2],
    ],
    [
      'TableThrottles',
      'FILL(reads, 0) + FILL(writes, 0)',
      ['AWS/DynamoDB ReadThrottleEvents TableName=TABLE Sum/300', 'AWS/DynamoDB WriteThrottleEvents TableName=TABLE Sum/300'],
      DEFAULT_ALARMS.tableThrottles,
      [1, 1],
    ],
    [
      'TableSystemErrors',
      expect.stringContaining('getitem + batchgetitem'),
      TABLE_OPERATIONS.map((operation) => `AWS/DynamoDB SystemErrors Operation=${operation},TableName=TABLE Sum/300`).sort(),
      DEFAULT_ALARMS.tableSystemErrors,
      [1, 1],
    ],
    ['RefreshReuseSpike', undefined, [`LoginBridge/dev RefreshReuseDetected service=${METRICS_SERVICE} Sum/300`], DEFAULT_ALARMS.refreshReuse, [1, 1]],
    ['SignInDelayedSpike', undefined, [`LoginBridge/dev SignInDelayed service=${METRICS_SERVICE} Sum/300`], DEFAULT_ALARMS.signInDelayed, [1, 1]],
    ['PasskeyCloneDetected', undefined, [`LoginBridge/dev PasskeyCloneDetected service=${METRICS_SERVICE} Sum/300`], DEFAULT_ALARMS.passkeyClones, [1, 1]],
  ] as const)(
    '%s reads %s from its metrics, alarms at >= its threshold and notifies the topic',
    (name, expression, metrics, threshold, [periods, datapoints]) => {
      // Act
      const alarm = alarms.get(name)!;

      // Assess
      expect(alarm).toBeDefined();
      expect(alarm.AlarmName).toBe(`LoginBridge-dev-${name}`);
      const reads = readsOf(alarm, names);
      if (expression !== undefined) expect(reads.expression).toEqual(expression);
      expect(reads.metrics).toEqual([...metrics].sort());
      expect(alarm.Threshold).toBe(threshold);
      expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect([alarm.EvaluationPeriods, alarm.DatapointsToAlarm]).toEqual([periods, datapoints]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmActions).toEqual(topicRef(synth));
      expect(alarm.OKActions).toEqual(topicRef(synth));
      expect(alarm.AlarmDescription).toMatch(/docs\/operations\.md#/);
    },
  );

  it.each(ALARMED_PARTNERS.map((partner) => [partner]))(
    'PartnerFailures-%s is the failure rate of the partner over the invocations of its callers',
    (partner) => {
      // Prepare
      const callers = [
        ...ROUTES.filter((route) => (route.access.reportsFailuresOf ?? route.access.secrets)?.includes(partner)).map(
          (route) => `AWS/Lambda Invocations FunctionName=${route.method} ${route.path} Sum/300`,
        ),
        // The scheduled team clean-up calls both Auth0 tenants.
        ...(partner.startsWith('auth0-') ? ['AWS/Lambda Invocations FunctionName=TEAM_CLEANUP Sum/300'] : []),
      ];

      // Act
      const alarm = alarms.get(`PartnerFailures-${partner}`)!;
      const reads = readsOf(alarm, names);

      // Assess
      expect(callers.length).toBeGreaterThan(0);
      expect(reads.metrics).toEqual([`LoginBridge/dev PartnerCallFailed partner=${partner},service=${METRICS_SERVICE} Sum/300`, ...callers].sort());
      expect(reads.expression).toMatch(
        new RegExp(`^IF\\(failed\\d+ >= ${DEFAULT_ALARMS.partnerMinFailures}, 100 \\* failed\\d+ / MAX\\(\\[failed\\d+, calls\\d+\\]\\), 0\\)$`),
      );
      expect(alarm.Threshold).toBe(DEFAULT_ALARMS.partnerFailureRatePercent);
      expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.AlarmActions).toEqual(topicRef(synth));
    },
  );

  it.each([
    ['Errors', 'FunctionErrors', DEFAULT_ALARMS.functionErrors],
    ['Throttles', 'FunctionThrottles', DEFAULT_ALARMS.functionThrottles],
  ] as const)(
    'watches %s of every function, and one composite alarm notifies for all of them (through one composite per area stack)',
    (metric, composite, threshold) => {
      // Prepare
      const functions = [
        ...ROUTES.map((route) => `${route.method} ${route.path}`),
        'ROTATION',
        'REFRESH_KEY_ROTATION',
        'INVITATION_KEY_ROTATION',
        'TEAM_CLEANUP',
      ];
      const resources = resourcesOf(synth.template);
      const idOf = (alarm: AlarmProps) => Object.keys(resources).find((id) => resources[id].Properties === alarm) as string;
      const membersOf = (alarm: AlarmProps) => [...render(alarm.AlarmRule).matchAll(/ALARM\("(\w+)\.Arn"\)/g)].map((match) => match[1]);

      // Act
      const perFunction = [...alarms.entries()].filter(([name]) => name.startsWith(`${metric}-`)).map(([, alarm]) => alarm);
      const combined = alarms.get(composite)!;
      const areaComposites = [...synth.stack.areaStacks.keys()].map((area) => alarms.get(`${composite}-${area}Routes`)!);
      const read = [...membersOf(combined), ...areaComposites.flatMap(membersOf)];

      // Assess
      expect(perFunction.map((alarm) => readsOf(alarm, names).metrics[0]).sort()).toEqual(
        functions.map((fn) => `AWS/Lambda ${metric} FunctionName=${fn} Sum/300`).sort(),
      );
      for (const alarm of perFunction) {
        expect(alarm.Threshold).toBe(threshold);
        expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
        expect(alarm.AlarmActions).toBeUndefined();
      }
      // Every per-function alarm is read once: the parent's four by the notifying composite, the rest by their area's composite, which the notifying composite reads.
      expect(read.filter((id) => !areaComposites.map(idOf).includes(id)).sort()).toEqual(perFunction.map(idOf).sort());
      expect(membersOf(combined)).toHaveLength(4 + areaComposites.length);
      for (const area of areaComposites) {
        expect(membersOf(combined)).toContain(idOf(area));
        expect([area.AlarmActions, area.OKActions]).toEqual([undefined, undefined]);
      }
      expect(combined.AlarmActions).toEqual(topicRef(synth));
      expect(combined.OKActions).toEqual(topicRef(synth));
    },
  );

  it("keeps every composite alarm rule under CloudWatch's 10,240 characters with 190 routes, a 20-character stage and long alarm ARNs", () => {
    // Prepare
    const stage = 'staging-eu-west-long';
    // The new rows go to new areas: an existing area would pass the stack budget first (stack-size.test.ts).
    const grown = synthesize({ routes: grownRoutes(190, ['billing', 'oauth', 'reports', 'devices', 'teams', 'webhooks']), context: { stage } });
    const resources = resourcesOf(grown.template);
    const arnOf = (id: string) => `arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:${resources[id].Properties?.AlarmName}`;

    // Act
    const lengths = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map((resource) => ({
        name: resource.Properties?.AlarmName as string,
        length: render(resource.Properties?.AlarmRule).replace(/ALARM\("(\w+)\.Arn"\)/g, (_whole, id: string) => `ALARM("${arnOf(id)}")`).length,
      }));

    // Assess
    expect(lengths.length).toBe(2 + 2 * grown.stack.areaStacks.size);
    for (const { name, length } of lengths) expect({ name, underLimit: length <= 10_240 }).toEqual({ name, underLimit: true });
    // The longest area rule: an area holds at most STACK_RESOURCE_BUDGET resources, and a route costs more than ten of them.
    const longestMember = Math.max(
      ...Object.keys(resources)
        .filter((id) => resources[id].Type === 'AWS::CloudWatch::Alarm')
        .map((id) => `ALARM("${arnOf(id)}") OR `.length),
    );
    expect(longestMember * Math.ceil(STACK_RESOURCE_BUDGET / 10)).toBeLessThan(10_240);
  });

  it('warns when team clean-ups stay pending for four scheduled runs in a row', () => {
    // Act
    const alarm = [...alarms.values()].find((candidate) => candidate.AlarmName === 'LoginBridge-dev-TeamCleanupsPending')!;

    // Assess
    expect(alarm).toBeDefined();
    expect(readsOf(alarm, names).metrics).toEqual([`LoginBridge/dev PendingTeamCleanups service=${METRICS_SERVICE} Minimum/900`]);
    expect(alarm.Threshold).toBe(1);
    expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect([alarm.EvaluationPeriods, alarm.DatapointsToAlarm]).toEqual([4, 4]);
    expect(alarm.AlarmActions).toEqual(topicRef(synth));
  });

  it('has no alarm the tests above do not cover', () => {
    // Assess
    const covered = (name: string) =>
      [
        'Api5xxRate',
        'TableThrottles',
        'TableSystemErrors',
        'RefreshReuseSpike',
        'SignInDelayedSpike',
        'PasskeyCloneDetected',
        'FunctionErrors',
        'FunctionThrottles',
        'TeamCleanupsPending',
      ].includes(name) || /^(Errors|Throttles|PartnerFailures|FunctionErrors|FunctionThrottles)-/.test(name);
    expect([...alarms.keys()].filter((name) => !covered(name))).toEqual([]);
  });
});

describe('Alarm cost', () => {
  it('is what docs/operations.md ("Cost of the alarms") states: CloudWatch bills every metric an alarm reads, and each composite alarm', () => {
    // Prepare
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
    const [, stated, statedAlarms, statedComposites, statedCost] = (
      /\*\*(\d+) alarm metrics\*\* \((\d+) alarms\) and (\d+) composite alarms: \d+ x \$0\.10 \+ \d+ x \$0\.50 = \*\*\$(\d+\.\d\d) per month\*\*/.exec(doc) ??
      []
    ).map(Number);

    // Act
    const resources = Object.values(resourcesOf(synthesize().template));
    const alarms = resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
    const composites = resources.filter((resource) => resource.Type === 'AWS::CloudWatch::CompositeAlarm');
    const metrics = alarms.reduce(
      (total, alarm) => total + ((alarm.Properties?.Metrics as Query[] | undefined)?.filter((query) => query.MetricStat).length ?? 1),
      0,
    );

    // Assess
    expect([metrics, alarms.length, composites.length]).toEqual([stated, statedAlarms, statedComposites]);
    expect(statedCost).toBeCloseTo(metrics * 0.1 + composites.length * 0.5, 2);
  });
});

describe('Alarm configuration', () => {
  it('takes every threshold from configuration', () => {
    // Prepare
    const thresholds = {
      api5xxRatePercent: 2.5,
      api5xxMinRequests: 50,
      functionErrors: 3,
      functionThrottles: 4,
      tableThrottles: 6,
      tableSystemErrors: 7,
      refreshReuse: 8,
      signInDelayed: 9,
      partnerFailureRatePercent: 25,
      partnerMinFailures: 11,
    };

    // Act
    const synth = synthesize({ context: { alarms: JSON.stringify(thresholds), alarmEmail: 'ops@example.com' } });
    const alarms = alarmsOf(synth);

    // Assess
    expect(alarms.get('Api5xxRate')?.Threshold).toBe(2.5);
    expect(readsOf(alarms.get('Api5xxRate')!, new Map()).expression).toBe('IF(requests >= 50, 100 * errors / requests, 0)');
    expect(alarms.get('Errors-LoginFlowLogin')?.Threshold).toBe(3);
    expect(alarms.get('Throttles-LoginFlowLogin')?.Threshold).toBe(4);
    expect(alarms.get('TableThrottles')?.Threshold).toBe(6);
    expect(alarms.get('TableSystemErrors')?.Threshold).toBe(7);
    expect(alarms.get('RefreshReuseSpike')?.Threshold).toBe(8);
    expect(alarms.get('SignInDelayedSpike')?.Threshold).toBe(9);
    expect(alarms.get('PartnerFailures-astrato')?.Threshold).toBe(25);
    expect(readsOf(alarms.get('PartnerFailures-astrato')!, new Map()).expression).toMatch(/^IF\(failed\d+ >= 11,/);
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(synth.stack.observability.topic) },
    });
  });
});

describe('Alarm topic', () => {
  let synth: Synthesized;
  let resources: Resources;
  beforeAll(() => {
    synth = synthesize();
    resources = resourcesOf(synth.template);
  });

  it('is encrypted with a rotated customer managed key that CloudWatch may use', () => {
    // Act
    const topic = resources[logicalId(synth.stack.observability.topic)].Properties as Record<string, any>;
    const key = resources[logicalId(synth.stack.observability.key)].Properties as Record<string, any>;

    // Assess
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(synth.stack.observability.key), 'Arn'] });
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
      ]),
    );
  });

  it('refuses publishing without TLS', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalId(synth.stack.observability.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('has no subscription until alarmEmail is configured', () => {
    // Assess
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('is an output, with the dashboard name', () => {
    // Act
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: logicalId(synth.stack.observability.topic) });
    expect(render(outputs.DashboardName.Value)).toBe(render({ Ref: logicalId(synth.stack.observability.dashboard) }));
  });
});

describe('Dashboard', () => {
  let body: string;
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
    const dashboards = Object.values(resourcesOf(synth.template)).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties?.DashboardName).toBe('LoginBridge-dev');
    body = render(dashboards[0].Properties?.DashboardBody, namesOf(synth));
  });

  it('is valid JSON once deployed', () => {
    // Assess
    expect(() => JSON.parse(body.replace(/\$\{AWS::Region\}/g, 'eu-west-1'))).not.toThrow();
  });

  it.each([
    [
      'API requests, latency, 4xx and 5xx',
      [
        '"AWS/ApiGateway","Count"',
        '"AWS/ApiGateway","Latency"',
        '"AWS/ApiGateway","IntegrationLatency"',
        '"AWS/ApiGateway","4XXError"',
        '"AWS/ApiGateway","5XXError"',
      ],
    ],
    [
      'Lambda errors, throttles and duration of the login function',
      [
        '"AWS/Lambda","Errors","FunctionName","POST /login-flow/login"',
        '"AWS/Lambda","Throttles","FunctionName","POST /login-flow/login"',
        '"AWS/Lambda","Duration","FunctionName","POST /login-flow/login"',
      ],
    ],
    [
      'DynamoDB capacity, throttles and system errors',
      ['"ConsumedReadCapacityUnits"', '"ConsumedWriteCapacityUnits"', '"ReadThrottleEvents"', '"WriteThrottleEvents"', '"SystemErrors"'],
    ],
    ['every business metric', METRIC_NAMES.map((name) => `"LoginBridge/dev","${name}"`)],
    ['partner failures per partner', ALARMED_PARTNERS.map((partner) => `"PartnerCallFailed","partner","${partner}"`)],
    [
      'WAF allowed and blocked requests',
      [
        '"AWS/WAFV2","AllowedRequests","Region","${AWS::Region}","Rule","ALL","WebACL","loginbridge-dev"',
        '"AWS/WAFV2","BlockedRequests","Region","${AWS::Region}","Rule","ALL","WebACL","loginbridge-dev"',
        '"Rule","loginbridge-dev-SignInRateLimit"',
      ],
    ],
  ])('shows %s', (_what, fragments) => {
    // Assess
    for (const fragment of fragments) expect([fragment, body.includes(fragment)]).toEqual([fragment, true]);
  });

  it('lists every alarm in alarm status widgets of at most 100 alarms each', () => {
    // Prepare
    const widgets = (JSON.parse(body.replace(/\$\{AWS::Region\}/g, 'eu-west-1')).widgets as { properties: { alarms?: string[]; title?: string } }[]).filter(
      (candidate) => candidate.properties.alarms,
    );
    const listed = widgets.flatMap((widget) => widget.properties.alarms as string[]);
    const alarmIds = Object.entries(resourcesOf(synth.template))
      .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' || resource.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map(([id]) => `${id}.Arn`);

    // Assess
    expect(listed.sort()).toEqual(alarmIds.sort());
    for (const widget of widgets) expect(widget.properties.alarms!.length).toBeLessThanOrEqual(100);
  });
});

describe('Business metrics as the functions write them', () => {
  it('reach the alarms: the namespace, name and dimensions of real EMF lines equal what the alarms read', () => {
    // Prepare
    const synth = synthesize();
    const env = resourcesOf(synth.template)[logicalId(synth.stack.routeFunctions.forRoute(ROUTES[0]))].Properties?.Environment.Variables as Record<
      string,
      string
    >;
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const saved = process.env.POWERTOOLS_METRICS_NAMESPACE;
    process.env.POWERTOOLS_METRICS_NAMESPACE = env.POWERTOOLS_METRICS_NAMESPACE;

    // Act
    try {
      jest.isolateModules(() => {
        const metrics = require('../../lambdas/http/metrics') as typeof import('../../lambdas/http/metrics');
        metrics.count('SignInDelayed');
        metrics.count('RefreshReuseDetected');
        metrics.flushMetrics();
        metrics.count('PartnerCallFailed', { partner: 'acronis' });
      });
    } finally {
      write.mockRestore();
      if (saved === undefined) delete process.env.POWERTOOLS_METRICS_NAMESPACE;
      else process.env.POWERTOOLS_METRICS_NAMESPACE = saved;
    }
    const emitted = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .flatMap((line) => {
        const record = JSON.parse(line) as Record<string, any>;
        return (record._aws.CloudWatchMetrics as { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[]).flatMap((directive) =>
          directive.Metrics.map(
            (metric) =>
              `${directive.Namespace} ${metric.Name} ${directive.Dimensions[0]
                .sort()
                .map((name) => `${name}=${record[name]}`)
                .join(',')} Sum/300`,
          ),
        );
      });
    const alarms = alarmsOf(synth);
    const read = [alarms.get('SignInDelayedSpike')!, alarms.get('RefreshReuseSpike')!, alarms.get('PartnerFailures-acronis')!].flatMap((alarm) =>
      readsOf(alarm, new Map()).metrics.filter((metric) => !metric.startsWith('AWS/')),
    );

    // Assess
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(metricsNamespace('dev'));
    expect(metricsNamespace('dev').startsWith(METRICS_NAMESPACE)).toBe(true);
    expect(emitted.sort()).toEqual(read.sort());
  });

  it('go to one namespace per stage, set on every route function', () => {
    // Act
    const synth = synthesize({ context: { stage: 'qa' } });

    // Assess
    for (const route of ROUTES) {
      const env = resourcesOf(synth.template)[logicalId(synth.stack.routeFunctions.forRoute(route))].Properties?.Environment.Variables as Record<
        string,
        string
      >;
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('LoginBridge/qa');
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'LoginBridge-qa-SignInDelayedSpike' });
  });
});
