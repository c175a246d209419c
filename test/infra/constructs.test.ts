import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Route } from '../../lambdas/routes';
import { Api } from '../../lib/constructs/api';
import { DataTable } from '../../lib/constructs/data-table';
import { RouteFunctions, validateRoutes } from '../../lib/constructs/route-functions';
import { SigningKey } from '../../lib/constructs/signing-key';
import { logicalId } from './support/synth';

const JWKS: Route = { method: 'GET', path: '/.well-known/jwks.json', handler: 'well-known/jwks', summary: 'keys', access: { signingKey: true } };
const logs = { logRetention: RetentionDays.ONE_WEEK, tracing: false, retainLogs: false };

const newStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

function functionsFor(stack: Stack, routes: Route[], indexed = false) {
  const data = new DataTable(stack, 'Data', {
    production: false,
    ...(indexed
      ? {
          design: {
            partitionKey: 'pk',
            sortKey: 'sk',
            ttlAttribute: 'expiresAt',
            globalSecondaryIndexes: [{ indexName: 'byClient', partitionKey: 'clientId', sortKey: 'sk' }],
          },
        }
      : {}),
  });
  const secret = new Secret(stack, 'Key');
  const partner = new Secret(stack, 'Partner');
  return {
    data,
    functions: new RouteFunctions(stack, 'Functions', {
      routes,
      targets: {
        table: data.table,
        indexNames: data.indexNames,
        signingKey: secret,
        verifyKeys: new Secret(stack, 'PublicKeys'),
        partnerSecrets: { astrato: partner, acronis: partner, 'auth0-sandbox': partner, 'auth0-production': partner, apple: partner, google: partner },
        mail: { senderEmail: 'no-reply@example.com' },
      },
      environment: {},
      ...logs,
    }),
  };
}

describe('Constructs validate their props up front', () => {
  it.each([
    ['a route listed twice', [JWKS, JWKS], /appears twice/],
    ['a path without a leading slash', [{ ...JWKS, path: 'jwks' }], /must start with/],
    ['a handler outside lambdas/handlers', [{ ...JWKS, handler: '../etc/passwd' }], /not a module path/],
    ['an empty table action list', [{ ...JWKS, access: { table: [] } }], /empty table action list/],
  ] as const)('refuses a route table with %s', (_name, routes, message) => {
    // Act
    const attempt = () => validateRoutes(routes as unknown as Route[]);

    // Assess
    expect(attempt).toThrow(message);
  });

  it('refuses a route whose memory Lambda cannot give', () => {
    // Act
    const attempt = () => functionsFor(newStack(), [{ ...JWKS, memoryMb: 64 }]);

    // Assess
    expect(attempt).toThrow(/memoryMb must be an integer from 128 to 10240/);
  });

  it('refuses a rotation period outside 1 to 365 days', () => {
    // Act
    const attempt = () => new SigningKey(newStack(), 'Key', { rotationDays: 0, production: false, logRetention: RetentionDays.ONE_WEEK, tracing: false });

    // Assess
    expect(attempt).toThrow(/rotationDays/);
  });

  it('refuses an API without allowed origins or with a burst below the rate', () => {
    // Prepare
    const stack = newStack();
    const { functions } = functionsFor(stack, [JWKS]);
    const props = { routes: [JWKS], functions, stage: 'dev', allowedOrigins: ['*'], throttling: { rateLimit: 10, burstLimit: 20 }, ...logs };

    // Act & Assess
    expect(() => new Api(stack, 'NoOrigins', { ...props, allowedOrigins: [] })).toThrow(/allowedOrigins/);
    expect(() => new Api(stack, 'Burst', { ...props, throttling: { rateLimit: 10, burstLimit: 5 } })).toThrow(/burstLimit/);
  });
});

describe('Global secondary indexes from the table design', () => {
  it('creates each declared index and grants the route actions on exactly those indexes too', () => {
    // Prepare
    const stack = newStack();
    const route: Route = { method: 'GET', path: '/things', handler: 'well-known/jwks', summary: 'things', access: { table: ['Query'] } };

    // Act
    const { data, functions } = functionsFor(stack, [route], true);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byClient',
          KeySchema: [
            { AttributeName: 'clientId', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    const tableArn = { 'Fn::GetAtt': [logicalId(data.table), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(functions.handlerFunctions.get('GET /things')!.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/byClient']] }] }]),
      },
    });
  });
});
