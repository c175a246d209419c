import { PARTNER_SECRET_ENV, ROUTES, type Route } from '../../lambdas/routes';
import { routeKey } from '../../lib/constructs/route-functions';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './support/synth';

/** The least privilege of each portal route, written out: a change to ROUTES must change this on purpose. */
const EXPECTED: Record<string, Route['access']> = {
  'GET /portal/credentials': { table: ['GetItem', 'PutItem', 'UpdateItem'], verifyKey: true, secrets: ['auth0-sandbox', 'auth0-production'] },
  // mail: the verified-email check sends a never-verified account its first link.
  'POST /portal/credentials': {
    // Query: a full team's lapsed reservations are given back before the create is refused.
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    verifyKey: true,
    secrets: ['auth0-sandbox', 'auth0-production'],
    mail: true,
  },
  'POST /portal/credentials/{clientId}/rotate': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    verifyKey: true,
    secrets: ['auth0-sandbox', 'auth0-production'],
    mail: true,
  },
  'DELETE /portal/credentials/{clientId}': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    verifyKey: true,
    secrets: ['auth0-sandbox', 'auth0-production'],
  },
  // is_admin: the production tenant's app_metadata names portal admins.
  'GET /portal/team': { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem'], verifyKey: true, secrets: ['auth0-production'] },
  // mail: invitations are emailed to the invited address. invitationKey: links are signed with their own key, never the signing key set.
  'POST /portal/team/invitations': { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], invitationKey: true, verifyKey: true, mail: true },
  // auth0-production: an admin invitation's sender must still be an admin, which the production tenant's app_metadata may say;
  // the admin directory turns any Auth0 failure into "not an admin", so the function reports none (not a caller in the alarm).
  'POST /portal/team/join': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    invitationKey: true,
    verifyKey: true,
    mail: true,
    secrets: ['auth0-production'],
    reportsFailuresOf: [],
  },
  // Query: the removed member's pending invitations are withdrawn.
  'DELETE /portal/team/members/{userId}': { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], verifyKey: true },
  'DELETE /portal/team/invitations/{inviteId}': { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], verifyKey: true },
  'GET /portal/admin/teams': { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], verifyKey: true, secrets: ['auth0-sandbox', 'auth0-production'] },
  'POST /portal/admin/invitations': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    invitationKey: true,
    verifyKey: true,
    mail: true,
    secrets: ['auth0-production'],
  },
  // auth0-production: whether the caller is an admin (app_metadata); the directory reports no failures.
  'GET /portal/admin/invitations': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
    verifyKey: true,
    secrets: ['auth0-production'],
    reportsFailuresOf: [],
  },
  'DELETE /portal/admin/invitations/{inviteId}': {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    verifyKey: true,
    secrets: ['auth0-production'],
    reportsFailuresOf: [],
  },
  'GET /portal': {},
};

const portalRoutes = () => ROUTES.filter((route) => route.path === '/portal' || route.path.startsWith('/portal/'));

describe('the portal routes', () => {
  it('are exactly the endpoints of the portal, each with its least privilege', () => {
    const declared = Object.fromEntries(portalRoutes().map((route) => [`${route.method} ${route.path}`, route.access]));

    expect(declared).toEqual(EXPECTED);
  });

  it('give the Auth0 secrets to no route outside the portal except account deletion (self or console), which cleans up an emptied team', () => {
    const others = ROUTES.filter((route) => !portalRoutes().includes(route) && route.access.secrets?.some((secret) => secret.startsWith('auth0-')));

    expect(others.map((route) => `${route.method} ${route.path}`).sort()).toEqual(['DELETE /admin/users/{userId}', 'POST /login-flow/delete-account']);
  });

  describe('in the synthesized stack', () => {
    let synth: Synthesized;
    beforeAll(() => {
      synth = synthesize();
    });

    it.each(portalRoutes().map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s knows the Auth0 secrets only when it calls Auth0',
      (_name, route) => {
        const props = resourcesOf(synth.template)[logicalId(synth.stack.routeFunctions.forRoute(route))].Properties as Record<string, any>;
        const variables = Object.keys(props.Environment.Variables as Record<string, unknown>);
        expect(variables.includes(PARTNER_SECRET_ENV['auth0-sandbox'])).toBe(!!route.access.secrets?.includes('auth0-sandbox'));
        expect(variables.includes(PARTNER_SECRET_ENV['auth0-production'])).toBe(!!route.access.secrets?.includes('auth0-production'));
        expect(variables.some((name) => /AUTH0_MANAGEMENT_CLIENT/.test(name))).toBe(false);
        expect(synth.stack.routeFunctions.handlerFunctions.get(routeKey(route))).toBeDefined();
      },
    );
  });
});
