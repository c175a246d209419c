import { Duration, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { TeamCleanup } from '../../lib/constructs/team-cleanup';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './support/synth';

describe('TeamCleanup (the scheduled clean-up of emptied teams)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('is a function without a route that an EventBridge rule runs every 15 minutes', () => {
    // Act
    const resources = resourcesOf(synth.template);
    const rule = resources[logicalId(synth.stack.teamCleanup.rule)].Properties as Record<string, any>;
    const fnId = logicalId(synth.stack.teamCleanup.handler.fn);

    // Assess
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(rule.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2 });
    const permissions = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission' && JSON.stringify(resource.Properties).includes(fnId),
    );
    expect(permissions.map((permission) => permission.Properties?.Principal)).toEqual(['events.amazonaws.com']);
    const methods = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::ApiGateway::Method' && JSON.stringify(resource.Properties).includes(fnId),
    );
    expect(methods).toEqual([]);
  });

  it('runs the ops/team-cleanup handler with a timeout long enough for several Auth0 calls per team', () => {
    // Act
    const fn = resourcesOf(synth.template)[logicalId(synth.stack.teamCleanup.handler.fn)].Properties as Record<string, any>;

    // Assess
    expect(fn.Timeout).toBe(300);
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(Object.keys(fn.Environment.Variables)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'SANDBOX_AUTH0_SECRET_ARN', 'PRODUCTION_AUTH0_SECRET_ARN', 'POWERTOOLS_METRICS_NAMESPACE']),
    );
    expect(Object.keys(fn.Environment.Variables)).not.toContain('SIGNING_KEY_SECRET_ARN');
    expect(Object.keys(fn.Environment.Variables)).not.toContain('MAIL_FROM');
  });

  it('refuses a pendingRuns that is not a positive integer', () => {
    // Prepare
    const stack = new Stack();
    const table = new Table(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const secret = new Secret(stack, 'S');
    const targets = {
      table,
      indexNames: [],
      signingKey: secret,
      verifyKeys: secret,
      partnerSecrets: { astrato: secret, acronis: secret, 'auth0-sandbox': secret, 'auth0-production': secret, apple: secret, google: secret },
      mail: { senderEmail: 'no-reply@example.com' },
    };

    // Act / Assess
    expect(
      () =>
        new TeamCleanup(stack, 'C', {
          targets,
          environment: {},
          metricsNamespace: 'LoginBridge/test',
          alarmPrefix: 'LoginBridge-test',
          every: Duration.minutes(5),
          pendingRuns: 0,
          logRetention: RetentionDays.ONE_WEEK,
          tracing: false,
          retainLogs: false,
        }),
    ).toThrow(/pendingRuns/);
  });
});
