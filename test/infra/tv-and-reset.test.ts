import { ROUTES } from '../../lambdas/routes';
import { parseConfig, StackConfigurationError } from '../../lib/config';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, render, resourcesOf, type Synthesized, synthesize } from './support/synth';

/** Every action the function of `method path` may take, read from the IAM policies of its role. */
function actionsOf(synth: Synthesized, method: string, path: string): string[] {
  const route = ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  const role = logicalId(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))!.role);
  const actions = new Set<string>();
  for (const resource of Object.values(resourcesOf(synth.template))) {
    if (resource.Type !== 'AWS::IAM::Policy' || !(resource.Properties?.Roles as unknown[]).some((candidate) => render(candidate) === role)) continue;
    for (const statement of resource.Properties?.PolicyDocument.Statement as { Action: string | string[] }[]) {
      for (const action of ([] as string[]).concat(statement.Action)) if (!action.startsWith('logs:')) actions.add(action);
    }
  }
  return [...actions].sort();
}

const environmentOf = (synth: Synthesized, method: string, path: string): Record<string, unknown> => {
  const route = ROUTES.find((candidate) => candidate.method === method && candidate.path === path)!;
  const fn = synth.stack.routeFunctions.forRoute(route);
  return resourcesOf(synth.template)[logicalId(fn)].Properties?.Environment.Variables;
};

const table = (...actions: string[]) => actions.map((action) => `dynamodb:${action}`);
const SIGNING_KEY = 'secretsmanager:GetSecretValue';
const MAIL = 'ses:SendEmail';

describe('TV sign-in and password reset in the stack', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      context: {
        handlerSettings: { DEVICE_CLIENT_IDS: 'acme-tv=Acme TV', DEVICE_CODE_TTL_SECONDS: 900, DEVICE_POLL_INTERVAL_SECONDS: 5, ACTIVATE_MAX_FAILURES: 20 },
      },
    });
  });

  it.each([
    ['GET', '/.well-known/oauth-authorization-server', []],
    ['POST', '/oauth/device_authorization', table('PutItem')],
    // MAIL on the token and decision functions: with LOGIN_REQUIRES_VERIFIED_EMAIL, a refused never-verified account gets its first link.
    // Query and the factor key: the token exchange (docs/native-sign-in.md) asks an account with a second factor for its code.
    ['POST', '/oauth/token', [...table('ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'), SIGNING_KEY, MAIL]],
    ['POST', '/oauth/revoke', [...table('DeleteItem', 'GetItem'), SIGNING_KEY]],
    ['GET', '/activate', []],
    ['GET', '/activate/qr.svg', []],
    ['POST', '/activate/lookup', table('GetItem', 'UpdateItem')],
    // Query and the factor key (GetSecretValue on one more secret): the code of an account with a second factor (docs/security.md).
    [
      'POST',
      '/activate/decision',
      [...table('BatchGetItem', 'ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'), SIGNING_KEY, MAIL],
    ],
    ['GET', '/reset-password', table('GetItem')],
    ['POST', '/login-flow/reset-password/confirm', [...table('BatchWriteItem', 'DeleteItem', 'GetItem', 'Query', 'UpdateItem'), MAIL]],
  ])('lets %s %s do exactly what it needs', (method, path, expected) => {
    // Act
    const actions = actionsOf(synth, method, path);

    // Assess
    expect(actions).toEqual([...expected].sort());
  });

  it('gives neither the code lookup nor the device authorization a signing key or a table it does not need', () => {
    // Act
    const lookup = environmentOf(synth, 'POST', '/activate/lookup');
    const authorize = environmentOf(synth, 'POST', '/oauth/device_authorization');
    const metadata = environmentOf(synth, 'GET', '/.well-known/oauth-authorization-server');

    // Assess
    expect(lookup.SIGNING_KEY_SECRET_ARN).toBeUndefined();
    expect(authorize.SIGNING_KEY_SECRET_ARN).toBeUndefined();
    expect(metadata.TABLE_NAME).toBeUndefined();
    expect(metadata.SIGNING_KEY_SECRET_ARN).toBeUndefined();
  });

  it('passes the device settings from handlerSettings to the functions as strings', () => {
    // Act
    const token = environmentOf(synth, 'POST', '/oauth/token');

    // Assess
    expect(token).toMatchObject({
      DEVICE_CLIENT_IDS: 'acme-tv=Acme TV',
      DEVICE_CODE_TTL_SECONDS: '900',
      DEVICE_POLL_INTERVAL_SECONDS: '5',
      ACTIVATE_MAX_FAILURES: '20',
    });
  });

  it.each([
    ['DEVICE_CODE_TTL_SECONDS', 0],
    ['DEVICE_POLL_INTERVAL_SECONDS', 'five'],
    ['DEVICE_CLIENT_IDS', 'tv one,<script>'],
    ['DEVICE_VERIFICATION_URI', 'not a url'],
    ['ACTIVATE_WINDOW_SECONDS', 10],
  ])('refuses a bad %s before anything is deployed', (key, value) => {
    // Act
    const attempt = () => parseConfig({ publicBaseUrl: 'https://login.example.com', senderEmail: 'no-reply@example.com', handlerSettings: { [key]: value } });

    // Assess
    expect(attempt).toThrow(StackConfigurationError);
    expect(attempt).toThrow(new RegExp(`handlerSettings\\.${key}`));
  });
});
