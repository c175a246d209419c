import { Match } from 'aws-cdk-lib/assertions';
import { TABLE_DESIGN } from '../../lambdas/adapters/dynamo/table-design';
import { ROUTES } from '../../lambdas/routes';
import { PARTNER_SECRETS } from '../../lib/config';
import { designedIndexes } from '../../lib/constructs/data-table';
import { SIGNING_KEY_PLACEHOLDER } from '../../lib/constructs/signing-key';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './support/synth';

describe('Data table', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synthesize();
    // As `-c stage=prod` gives it.
    prod = synthesize({ context: { stage: 'prod', publicBaseUrl: 'https://login.streamco.tv', senderEmail: 'no-reply@streamco.tv' } });
  });

  it('is built from TABLE_DESIGN: on demand, point-in-time recovery, TTL on expiresAt, AWS managed encryption', () => {
    // Assess
    dev.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      // SSEEnabled without a key id is KMS with the AWS managed key aws/dynamodb.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
    expect(TABLE_DESIGN.ttlAttribute).toBe('expiresAt');
  });

  it('has exactly the global secondary indexes TABLE_DESIGN declares', () => {
    // Act
    const table = Object.values(resourcesOf(dev.template)).find((resource) => resource.Type === 'AWS::DynamoDB::Table');

    // Assess
    const names = ((table?.Properties?.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((index) => index.IndexName);
    expect(names.sort()).toEqual(
      designedIndexes()
        .map((index) => index.indexName)
        .sort(),
    );
  });

  it('is destroyed with a development stack and has no deletion protection there', () => {
    // Assess
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  it('is retained and protected from deletion in a production stage', () => {
    // Assess
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.template.allResources('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    expect(prod.stack.stackName).toBe('LoginBridge-prod');
  });

  it('has termination protection in a production stage only', () => {
    // Assess
    expect(prod.stack.terminationProtection).toBe(true);
    expect(synthesize().stack.terminationProtection).toBe(false);
  });

  it('is retained in any stage when retainData is set', () => {
    // Act
    const staging = synthesize({ context: { stage: 'staging', retainData: 'true' } });

    // Assess
    staging.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
  });
});

describe('Signing key', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('is a secret that holds no key material in the template', () => {
    // Act
    const secret = resourcesOf(synth.template)[logicalId(synth.stack.signingKey.secret)];

    // Assess
    expect(secret.Properties?.SecretString).toBeUndefined();
    expect(secret.Properties?.GenerateSecretString).toEqual(
      expect.objectContaining({ SecretStringTemplate: JSON.stringify(SIGNING_KEY_PLACEHOLDER), GenerateStringKey: 'placeholder' }),
    );
    expect(JSON.stringify(synth.template.toJSON())).not.toMatch(/"d"\s*:|PRIVATE KEY|"kty"/);
  });

  it('is rotated by its rotation function every signingKeyRotationDays and once right at deployment', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: logicalId(synth.stack.signingKey.secret) },
      RotationLambdaARN: { 'Fn::GetAtt': [logicalId(synth.stack.signingKey.rotation.fn), 'Arn'] },
      RotationRules: { AutomaticallyAfterDays: synth.stack.config.signingKeyRotationDays },
      RotateImmediatelyOnUpdate: true,
    });
  });

  it('lets only Secrets Manager invoke the rotation function, and only for this secret', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [logicalId(synth.stack.signingKey.rotation.fn), 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: logicalId(synth.stack.signingKey.secret) },
    });
  });

  it('creates the schedule only after the function may be invoked and has its permissions', () => {
    // Act
    const schedule = Object.values(resourcesOf(synth.template)).find((resource) => resource.Type === 'AWS::SecretsManager::RotationSchedule');

    // Assess
    const rotation = synth.stack.signingKey.rotation;
    expect(schedule?.DependsOn).toEqual(expect.arrayContaining([logicalId(rotation.role), logicalId(rotation.role.node.findChild('DefaultPolicy'))]));
    expect(schedule?.DependsOn?.some((id) => id.includes('InvokedBySecretsManager'))).toBe(true);
  });

  it('runs the rotation from lambdas/handlers/ops/rotate-signing-key on Node.js 24, x86_64', () => {
    // Assess
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Rotates the LoginBridge signing key set'),
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
    });
  });
});

describe('Partner secrets', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it.each(PARTNER_SECRETS.map((partner) => [partner]))('creates the %s secret empty, with a description telling how to fill it', (partner) => {
    // Act
    const secret = resourcesOf(synth.template)[logicalId(synth.stack.partnerSecrets.secrets[partner])];

    // Assess
    expect(secret.Properties?.Name).toBe(`loginbridge/dev/${partner}`);
    expect(secret.Properties?.Description).toContain(`aws secretsmanager put-secret-value --secret-id loginbridge/dev/${partner}`);
    const placeholder = JSON.parse(secret.Properties?.SecretString as string) as Record<string, string>;
    expect(Object.values(placeholder).every((value) => value === '')).toBe(true);
    // Apple signs its client secret itself with the team's private key (docs/native-sign-in.md); every other partner has one.
    expect(Object.keys(placeholder)).toContain(partner === 'apple' ? 'privateKey' : 'clientSecret');
  });
});

describe('Functions', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('builds one Node.js 24 x86_64 function per route, sized by the route, with a 10 s timeout', () => {
    // Act
    const resources = resourcesOf(synth.template);

    // Assess
    for (const route of ROUTES) {
      const fn = resources[logicalId(synth.stack.routeFunctions.forRoute(route))].Properties as Record<string, unknown>;
      expect(fn).toEqual(
        expect.objectContaining({ Runtime: 'nodejs24.x', Architectures: ['x86_64'], MemorySize: route.memoryMb ?? 512, Timeout: 10, Handler: 'index.handler' }),
      );
      expect(fn.TracingConfig).toBeUndefined();
    }
    // Plus the rotations of the signing key, the refresh-token key and the invitation key, and the scheduled team clean-up.
    synth.template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + 4);
  });

  it('gives each function its own log group with the configured retention', () => {
    // Assess
    for (const route of ROUTES) {
      const handler = synth.stack.routeFunctions.handlerFunctions.get(`${route.method} ${route.path}`)!;
      synth.template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`${route.method} ${route.path.replace(/[.{}]/g, '\\$&')}:`),
        LoggingConfig: { LogGroup: { Ref: logicalId(handler.logGroup) } },
      });
      expect(resourcesOf(synth.template)[logicalId(handler.logGroup)].Properties?.RetentionInDays).toBe(synth.stack.config.logRetentionDays);
    }
  });

  it('turns X-Ray tracing on for the functions and the stage when configured', () => {
    // Act
    const traced = synthesize({ context: { tracing: 'true' } });

    // Assess
    traced.template.allResourcesProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    traced.template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});
