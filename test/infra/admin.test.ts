import { ROUTES, type Route } from '../../lambdas/routes';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

/**
 * The least privilege of each operator-console route, written out: a change to ROUTES must change this on purpose.
 * Every route may record a USER_ADMIN_EMAILS grant on first use (UpdateItem of the membership, PutItem of its audit entry).
 */
const EXPECTED: Record<string, Route['access']> = {
  'GET /admin/users': { table: ['GetItem', 'PutItem', 'UpdateItem'], verifyKey: true },
  'GET /admin/users/{userId}': { table: ['GetItem', 'Query', 'BatchGetItem', 'PutItem', 'UpdateItem'], verifyKey: true },
  'POST /admin/users/{userId}/factors/reset': { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'], verifyKey: true, mail: true },
  'POST /admin/users/{userId}/sign-out': { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PutItem'], verifyKey: true },
  'DELETE /admin/users/{userId}/sessions/{sessionId}': { table: ['GetItem', 'Query', 'DeleteItem', 'PutItem', 'UpdateItem'], verifyKey: true },
  'POST /admin/users/{userId}/unlock': { table: ['GetItem', 'Query', 'BatchGetItem', 'DeleteItem', 'PutItem', 'UpdateItem'], verifyKey: true },
  'POST /admin/users/{userId}/disable': { table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'], verifyKey: true },
  'POST /admin/users/{userId}/enable': { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], verifyKey: true },
  'POST /admin/users/{userId}/verification-email': { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], verifyKey: true, mail: true },
  'PUT /admin/users/{userId}/partners': { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'], verifyKey: true },
  'GET /admin/users/{userId}/export': { table: ['GetItem', 'Query', 'BatchGetItem', 'PutItem', 'UpdateItem'], verifyKey: true },
  'DELETE /admin/users/{userId}': {
    table: ['GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PutItem'],
    verifyKey: true,
    // Apple: a deleted account's Apple tokens are revoked (the client secret is signed with the team key), and the sealed
    // Apple refresh token is opened with the factor key (docs/native-sign-in.md).
    factorKey: true,
    secrets: ['auth0-sandbox', 'auth0-production', 'apple'],
    reportsFailuresOf: [],
  },
  'GET /admin/audit': { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], verifyKey: true },
  'POST /admin/bans/clear': { table: ['GetItem', 'UpdateItem', 'PutItem'], verifyKey: true },
};

const consoleRoutes = () => ROUTES.filter((route) => route.path.startsWith('/admin/'));

/** Every `action resource` a role's policies allow, read from the template. */
function grantsOf(synth: Synthesized, route: Route): string[] {
  const role = logicalId(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))!.role);
  const names = new Map([
    [logicalId(synth.stack.data.table), 'TABLE'],
    [logicalId(synth.stack.signingKey.secret), 'SIGNING_KEY'],
    [logicalId(synth.stack.signingKey.publicKeys), 'PUBLIC_KEYS'],
  ]);
  const lines: string[] = [];
  for (const resource of Object.values(resourcesOf(synth.template))) {
    if (resource.Type !== 'AWS::IAM::Policy' || !(resource.Properties?.Roles as unknown[]).some((candidate) => render(candidate) === role)) continue;
    for (const statement of resource.Properties?.PolicyDocument.Statement as Record<string, unknown>[]) {
      for (const action of ([] as unknown[]).concat(statement.Action)) {
        for (const target of ([] as unknown[]).concat(statement.Resource)) lines.push(`${action} ${render(target, names)}`);
      }
    }
  }
  return lines.filter((line) => !line.startsWith('logs:')).sort();
}

describe('the operator console routes', () => {
  it('are exactly the endpoints of the issue, each with its least privilege', () => {
    const declared = Object.fromEntries(consoleRoutes().map((route) => [routeKey(route), route.access]));

    expect(declared).toEqual(EXPECTED);
  });

  it('reach a partner secret only to delete (the Auth0 clean-up of an emptied team, as delete-account), and only the verification email and the factor reset notice send mail', () => {
    expect(
      consoleRoutes()
        .filter((route) => route.access.secrets?.length)
        .map(routeKey),
    ).toEqual(['DELETE /admin/users/{userId}']);
    expect(
      consoleRoutes()
        .filter((route) => route.access.mail)
        .map(routeKey),
    ).toEqual(['POST /admin/users/{userId}/factors/reset', 'POST /admin/users/{userId}/verification-email']);
  });

  describe('in a synthesized stack', () => {
    // The console's routes alone: quicker to synthesize, and each function's grants do not depend on the others.
    let synth: Synthesized;
    beforeAll(() => {
      synth = synthesize({ routes: consoleRoutes() });
    });

    it.each(consoleRoutes().map((route) => [routeKey(route), route] as const))(
      '%s may do exactly its table actions, read the public keys (never the private key set) and nothing else',
      (_key, route) => {
        // Act
        const granted = grantsOf(synth, route);

        // Assess
        const expected = [...(route.access.table ?? []).map((action) => `dynamodb:${action} TABLE.Arn`), 'secretsmanager:GetSecretValue PUBLIC_KEYS'];
        const mail = granted.filter((line) => line.startsWith('ses:'));
        const partnerSecrets = granted.filter((line) => line.startsWith('secretsmanager:') && !line.endsWith('PUBLIC_KEYS'));
        expect(partnerSecrets.length > 0).toBe(!!route.access.secrets?.length);
        expect(partnerSecrets.filter((line) => line.includes('SIGNING_KEY'))).toEqual([]);
        expect(granted.filter((line) => !line.startsWith('ses:') && !partnerSecrets.includes(line))).toEqual(expected.sort());
        expect(mail.length > 0).toBe(!!route.access.mail);
      },
    );
  });
});
