import { PARTNER_SECRET_ENV, type PartnerSecret, ROUTES, type Route, TEAM_CLEANUP_ACCESS } from '../../lambdas/routes';
import { PARTNER_SECRETS } from '../../lib/config';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

/** Every permission of a role as `action resource [condition]` lines, read from the template. */
function grantsOf(synth: Synthesized, roleId: string, names: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const resource of Object.values(resourcesOf(synth.template))) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    if (!(resource.Properties?.Roles as unknown[]).some((role) => render(role) === roleId)) continue;
    for (const statement of resource.Properties?.PolicyDocument.Statement as Record<string, unknown>[]) {
      expect(statement.Effect).toBe('Allow');
      const actions = ([] as unknown[]).concat(statement.Action);
      const resources = ([] as unknown[]).concat(statement.Resource);
      const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
      for (const action of actions) for (const target of resources) lines.push(`${action} ${render(target, names)}${condition}`);
    }
  }
  return lines.sort();
}

function names(synth: Synthesized): Map<string, string> {
  const { stack } = synth;
  const map = new Map<string, string>([
    [logicalId(stack.data.table), 'TABLE'],
    [logicalId(stack.signingKey.secret), 'SIGNING_KEY'],
    [logicalId(stack.signingKey.publicKeys), 'PUBLIC_KEYS'],
    [logicalId(stack.refreshTokenKey.secret), 'REFRESH_KEY'],
    [logicalId(stack.invitationKey.secret), 'INVITATION_KEY'],
    [logicalId(stack.factorKey.secret), 'FACTOR_KEY'],
  ]);
  for (const partner of stack.partnerSecrets.created) map.set(logicalId(stack.partnerSecrets.secrets[partner]), `SECRET(${partner})`);
  for (const [key, handler] of stack.routeFunctions.handlerFunctions) map.set(logicalId(handler.logGroup), `LOGS(${key})`);
  return map;
}

/** What a route's `access` declares, as the same lines: the specification the stack must meet exactly. */
function expectedGrants(route: Route, synth: Synthesized, partnerResource: (partner: PartnerSecret) => string): string[] {
  const { config } = synth.stack;
  const lines = [`logs:CreateLogStream LOGS(${routeKey(route)}).Arn`, `logs:PutLogEvents LOGS(${routeKey(route)}).Arn`];
  for (const action of route.access.table ?? []) {
    lines.push(`dynamodb:${action} TABLE.Arn`);
    for (const index of synth.stack.data.indexNames) lines.push(`dynamodb:${action} TABLE.Arn/index/${index}`);
  }
  if (route.access.signingKey) lines.push('secretsmanager:GetSecretValue SIGNING_KEY');
  if (route.access.verifyKey) lines.push('secretsmanager:GetSecretValue PUBLIC_KEYS');
  if (route.access.refreshKey) lines.push('secretsmanager:GetSecretValue REFRESH_KEY');
  if (route.access.invitationKey) lines.push('secretsmanager:GetSecretValue INVITATION_KEY');
  if (route.access.factorKey) lines.push('secretsmanager:GetSecretValue FACTOR_KEY');
  if (route.access.mail) {
    const from = JSON.stringify({ StringEquals: { 'ses:FromAddress': config.senderEmail } });
    const identity = (name: string) => `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/${name}`;
    lines.push(`ses:SendEmail ${identity(config.senderEmail)} if ${from}`, `ses:SendEmail ${identity(config.senderEmail.split('@')[1])} if ${from}`);
    if (config.sesConfigurationSet)
      lines.push(`ses:SendEmail arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/${config.sesConfigurationSet}`);
  }
  for (const partner of new Set(route.access.secrets ?? [])) lines.push(`secretsmanager:GetSecretValue ${partnerResource(partner)}`);
  return lines.sort();
}

function expectedEnvironmentKeys(route: Route, synth: Synthesized): string[] {
  const { config } = synth.stack;
  return [
    'NODE_OPTIONS',
    'POWERTOOLS_METRICS_NAMESPACE',
    ...Object.keys(config.handlerEnvironment),
    ...(route.access.table ? ['TABLE_NAME'] : []),
    ...(route.access.signingKey ? ['SIGNING_KEY_SECRET_ARN'] : []),
    ...(route.access.verifyKey ? ['VERIFY_KEYS_SECRET_ARN'] : []),
    ...(route.access.refreshKey ? ['REFRESH_KEY_SECRET_ARN'] : []),
    ...(route.access.invitationKey ? ['INVITATION_KEY_SECRET_ARN'] : []),
    ...(route.access.factorKey ? ['FACTOR_KEY_SECRET_ARN'] : []),
    ...(route.access.mail ? ['MAIL_FROM', ...(config.sesConfigurationSet ? ['SES_CONFIGURATION_SET'] : [])] : []),
    ...[...new Set(route.access.secrets ?? [])].map((partner) => PARTNER_SECRET_ENV[partner]),
  ].sort();
}

const functionProps = (synth: Synthesized, route: Route) =>
  resourcesOf(synth.template)[logicalId(synth.stack.routeFunctions.forRoute(route))].Properties as Record<string, any>;

describe('Function grants and environment (computed from ROUTES)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: { sesConfigurationSet: 'loginbridge-mail', handlerSettings: { RESET_EMAILS_PER_HOUR: 3 } } });
  });

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))('%s may do exactly what its route declares', (_key, route) => {
    // Prepare
    const role = logicalId(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))!.role);

    // Act
    const granted = grantsOf(synth, role, names(synth));

    // Assess
    expect(granted).toEqual(expectedGrants(route, synth, (partner) => `SECRET(${partner})`));
  });

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))('%s knows exactly the resources it may use', (_key, route) => {
    // Act
    const variables = functionProps(synth, route).Environment.Variables as Record<string, unknown>;

    // Assess
    expect(Object.keys(variables).sort()).toEqual(expectedEnvironmentKeys(route, synth));
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(variables.RESET_EMAILS_PER_HOUR).toBe('3');
    if (route.access.table) expect(render(variables.TABLE_NAME, names(synth))).toBe('TABLE');
    if (route.access.signingKey) expect(render(variables.SIGNING_KEY_SECRET_ARN, names(synth))).toBe('SIGNING_KEY');
    if (route.access.verifyKey) expect(render(variables.VERIFY_KEYS_SECRET_ARN, names(synth))).toBe('PUBLIC_KEYS');
    if (route.access.refreshKey) expect(render(variables.REFRESH_KEY_SECRET_ARN, names(synth))).toBe('REFRESH_KEY');
    if (route.access.invitationKey) expect(render(variables.INVITATION_KEY_SECRET_ARN, names(synth))).toBe('INVITATION_KEY');
    if (route.access.factorKey) expect(render(variables.FACTOR_KEY_SECRET_ARN, names(synth))).toBe('FACTOR_KEY');
    for (const partner of route.access.secrets ?? []) expect(render(variables[PARTNER_SECRET_ENV[partner]], names(synth))).toBe(`SECRET(${partner})`);
  });

  it('gives no role an AWS managed policy except the account-wide API Gateway logging role', () => {
    // Act
    const roles = Object.entries(resourcesOf(synth.template)).filter(([, resource]) => resource.Type === 'AWS::IAM::Role');
    const withManaged = roles.filter(([, resource]) => resource.Properties?.ManagedPolicyArns).map(([id]) => id);

    // Assess
    expect(withManaged).toEqual([logicalId(synth.stack.api.cloudWatchRole!)]);
  });

  it.each(PARTNER_SECRETS.map((partner) => [partner]))('lets only the functions that declare it read the %s secret', (partner) => {
    // Prepare
    const secretId = logicalId(synth.stack.partnerSecrets.secrets[partner]);
    const expected = [
      ...ROUTES.filter((route) => route.access.secrets?.includes(partner)).map((route) =>
        logicalId(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))!.role),
      ),
      ...(TEAM_CLEANUP_ACCESS.secrets?.includes(partner) ? [logicalId(synth.stack.teamCleanup.handler.role)] : []),
    ];

    // Act
    const readers = Object.values(resourcesOf(synth.template))
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.PolicyDocument).includes(`"${secretId}"`))
      .flatMap((resource) => (resource.Properties?.Roles as unknown[]).map((role) => render(role)));

    // Assess
    expect(readers.sort()).toEqual(expected.sort());
  });

  it('lets only the two functions that rotate refresh tokens read the refresh-token key', () => {
    // Prepare
    const secretId = logicalId(synth.stack.refreshTokenKey.secret);

    // Act
    const readers = Object.values(resourcesOf(synth.template))
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.PolicyDocument).includes(`"${secretId}"`))
      .flatMap((resource) => (resource.Properties?.Roles as unknown[]).map((role) => render(role)));

    // Assess: the two refreshing functions, and its rotation function
    const refreshing = ['POST /login-flow/refresh', 'POST /oauth/token'].map((key) => logicalId(synth.stack.routeFunctions.handlerFunctions.get(key)!.role));
    expect(readers.sort()).toEqual([...refreshing, logicalId(synth.stack.refreshTokenKey.rotation.role)].sort());
  });

  it('lets only the functions that invite or join read the invitation key, and none of them the private key set', () => {
    // Prepare
    const roleOf = (key: string) => logicalId(synth.stack.routeFunctions.handlerFunctions.get(key)!.role);
    const readersOf = (secretId: string) =>
      Object.values(resourcesOf(synth.template))
        .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.PolicyDocument).includes(`"${secretId}"`))
        .flatMap((resource) => (resource.Properties?.Roles as unknown[]).map((role) => render(role)));
    const inviting = ['POST /portal/team/invitations', 'POST /portal/admin/invitations', 'POST /portal/team/join'].map(roleOf);

    // Act
    const invitationReaders = readersOf(logicalId(synth.stack.invitationKey.secret));
    const signingReaders = readersOf(logicalId(synth.stack.signingKey.secret));

    // Assess
    expect(invitationReaders.sort()).toEqual([...inviting, logicalId(synth.stack.invitationKey.rotation.role)].sort());
    for (const role of inviting) expect(signingReaders).not.toContain(role);
  });

  it.each([
    ['refresh-token key', (synth: Synthesized) => synth.stack.refreshTokenKey],
    ['invitation key', (synth: Synthesized) => synth.stack.invitationKey],
  ])('rotates the %s on the signing key schedule, by its own rotation function, only when Secrets Manager invokes it', (_name, keyOf) => {
    // Prepare
    const key = keyOf(synth);
    const resources = resourcesOf(synth.template);
    // Act
    const schedules = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::SecretsManager::RotationSchedule' && render(resource.Properties?.SecretId) === logicalId(key.secret),
    );
    const invokers = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission' && render(resource.Properties?.FunctionName).startsWith(logicalId(key.rotation.fn)),
    );
    // Assess
    expect(schedules).toHaveLength(1);
    expect(schedules[0].Properties?.RotationRules).toEqual({ AutomaticallyAfterDays: synth.stack.config.signingKeyRotationDays });
    expect(render(schedules[0].Properties?.RotationLambdaARN)).toContain(logicalId(key.rotation.fn));
    expect(invokers.map((resource) => resource.Properties?.Principal)).toEqual(['secretsmanager.amazonaws.com']);
    expect(render(invokers[0].Properties?.SourceArn)).toBe(logicalId(key.secret));
  });

  it('gives the passkey functions least privilege: no factor key (a public key is no secret), the private key set only to the sign-in, and the unauthenticated options only a counter write and the challenge', () => {
    // Prepare
    const roleOf = (key: string) => logicalId(synth.stack.routeFunctions.handlerFunctions.get(key)!.role);
    const passkeyRoutes = [
      'POST /login-flow/factors/passkeys/options',
      'POST /login-flow/factors/passkeys',
      'POST /login-flow/passkey/options',
      'POST /login-flow/passkey/login',
    ];

    // Act
    const grants = new Map(passkeyRoutes.map((key) => [key, grantsOf(synth, roleOf(key), names(synth))]));

    // Assess
    for (const [key, lines] of grants) {
      expect([key, lines.filter((line) => line.includes('FACTOR_KEY'))]).toEqual([key, []]);
      expect([key, lines.some((line) => line.includes('SIGNING_KEY'))]).toEqual([key, key === 'POST /login-flow/passkey/login']);
      expect([key, lines.some((line) => /BatchWriteItem|Scan/.test(line))]).toEqual([key, false]);
    }
    const optionsTable = grants.get('POST /login-flow/passkey/options')!.filter((line) => line.startsWith('dynamodb:') && line.endsWith('TABLE.Arn'));
    expect(optionsTable).toEqual(['dynamodb:PutItem TABLE.Arn', 'dynamodb:UpdateItem TABLE.Arn']);
    expect(grants.get('POST /login-flow/passkey/options')!.some((line) => line.startsWith('secretsmanager:') || line.startsWith('ses:'))).toBe(false);
  });

  it('lets exactly the functions that sign tokens read the private key set', () => {
    // Prepare
    const secretId = logicalId(synth.stack.signingKey.secret);
    const roleOf = (key: string) => logicalId(synth.stack.routeFunctions.handlerFunctions.get(key)!.role);
    const signers = [
      'POST /login-flow/register',
      'POST /login-flow/login',
      'POST /login-flow/login/{provider}',
      'POST /login-flow/passkey/login',
      'POST /login-flow/web-session',
      'POST /login-flow/refresh',
      'POST /oauth/token',
    ];

    // Act
    const readers = Object.values(resourcesOf(synth.template))
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.PolicyDocument).includes(`"${secretId}"`))
      .flatMap((resource) => (resource.Properties?.Roles as unknown[]).map((role) => render(role)));

    // Assess: the route functions above and the rotation function, nothing else
    expect(readers.sort()).toEqual([...signers.map(roleOf), logicalId(synth.stack.signingKey.rotation.role)].sort());
  });

  it('gives every function that verifies an access token the public keys document and not the private key set', () => {
    // Prepare
    const verifiers = [
      'POST /login-flow/delete-account',
      'POST /login-flow/sign-out-everywhere',
      'GET /.well-known/jwks.json',
      'POST /oauth/revoke',
      'POST /activate/decision',
      'POST /sso/astrato',
      'POST /sso/acronis',
      'GET /portal/credentials',
      'POST /portal/credentials',
      'POST /portal/credentials/{clientId}/rotate',
      'DELETE /portal/credentials/{clientId}',
      'GET /portal/team',
      'POST /portal/team/join',
      'DELETE /portal/team/members/{userId}',
      'GET /portal/admin/teams',
    ];

    // Act
    const access = verifiers.map((key) => {
      const variables = synth.stack.routeFunctions.handlerFunctions.get(key)!.fn;
      const environment = (resourcesOf(synth.template)[logicalId(variables)].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      return [key, 'VERIFY_KEYS_SECRET_ARN' in environment, 'SIGNING_KEY_SECRET_ARN' in environment];
    });

    // Assess
    expect(access).toEqual(verifiers.map((key) => [key, true, false]));
  });

  it('gives the rotation function only the four rotation calls on the signing key, the write of the public keys and its own log group', () => {
    // Prepare
    const rotation = synth.stack.signingKey.rotation;
    const map = names(synth).set(logicalId(rotation.logGroup), 'LOGS(rotation)');

    // Act
    const granted = grantsOf(synth, logicalId(rotation.role), map);

    // Assess
    expect(granted).toEqual(
      [
        'logs:CreateLogStream LOGS(rotation).Arn',
        'logs:PutLogEvents LOGS(rotation).Arn',
        'secretsmanager:DescribeSecret SIGNING_KEY',
        'secretsmanager:GetSecretValue SIGNING_KEY',
        'secretsmanager:PutSecretValue SIGNING_KEY',
        'secretsmanager:UpdateSecretVersionStage SIGNING_KEY',
        'secretsmanager:PutSecretValue PUBLIC_KEYS',
      ].sort(),
    );
  });
});

describe('The scheduled team clean-up', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('may do exactly TEAM_CLEANUP_ACCESS: its table actions, both Auth0 secrets and its own log group; no signing key, no mail', () => {
    // Prepare
    const cleanup = synth.stack.teamCleanup.handler;
    const map = names(synth).set(logicalId(cleanup.logGroup), 'LOGS(cleanup)');

    // Act
    const granted = grantsOf(synth, logicalId(cleanup.role), map);

    // Assess
    expect(granted).toEqual(
      [
        'logs:CreateLogStream LOGS(cleanup).Arn',
        'logs:PutLogEvents LOGS(cleanup).Arn',
        ...(TEAM_CLEANUP_ACCESS.table ?? []).map((action) => `dynamodb:${action} TABLE.Arn`),
        'secretsmanager:GetSecretValue SECRET(auth0-sandbox)',
        'secretsmanager:GetSecretValue SECRET(auth0-production)',
      ].sort(),
    );
  });
});

describe('Imported partner secrets', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/acronis-AbC123';
  let synth: Synthesized;
  beforeAll(() => {
    // As `-c partnerSecrets.astrato=... -c partnerSecrets.acronis=...` gives them.
    synth = synthesize({ context: { 'partnerSecrets.astrato': 'shared/astrato', 'partnerSecrets.acronis': arn } });
  });

  it('creates no secret for a partner whose secret is imported', () => {
    // Act
    const names = Object.values(resourcesOf(synth.template))
      .filter((resource) => resource.Type === 'AWS::SecretsManager::Secret')
      .map((resource) => resource.Properties?.Name)
      .filter(Boolean);

    // Assess
    expect(names.sort()).toEqual(['loginbridge/dev/apple', 'loginbridge/dev/auth0-production', 'loginbridge/dev/auth0-sandbox', 'loginbridge/dev/google']);
  });

  it.each(
    ROUTES.filter((route) => route.access.secrets?.some((partner) => partner === 'astrato' || partner === 'acronis')).map(
      (route) => [routeKey(route), route] as const,
    ),
  )('%s reads the imported secret by name (with the six-character suffix) or by its complete ARN', (_key, route) => {
    // Prepare
    const role = logicalId(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))!.role);
    const imported = (partner: PartnerSecret) =>
      partner === 'astrato'
        ? 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:shared/astrato-??????'
        : partner === 'acronis'
          ? arn
          : `SECRET(${partner})`;

    // Act
    const granted = grantsOf(synth, role, names(synth));
    const variables = functionProps(synth, route).Environment.Variables as Record<string, unknown>;

    // Assess
    expect(granted).toEqual(expectedGrants(route, synth, imported));
    if (route.access.secrets?.includes('astrato')) expect(variables.ASTRATO_SECRET_ARN).toBe('shared/astrato');
    if (route.access.secrets?.includes('acronis')) expect(variables.ACRONIS_SECRET_ARN).toBe(arn);
  });
});
