import { NestedStack } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ROUTES } from '../../lambdas/routes';
import { groupRoutesByArea, routeArea, STACK_RESOURCE_BUDGET } from '../../lib/constructs/route-areas';
import { grownRoutes } from './support/grown-routes';
import { resourcesOf, synthesize } from './support/synth';

const countOf = (resources: Record<string, { Type: string }>, type: string) => Object.values(resources).filter((resource) => resource.Type === type).length;

describe('Stack size', () => {
  it('groups the current routes into their areas by the first path segment', () => {
    // Act
    const areas = groupRoutesByArea(ROUTES);

    // Assess
    expect([...areas.keys()].sort()).toEqual(['Admin', 'Discovery', 'LoginFlow', 'Portal', 'Sso', 'WebPages']);
    expect(routeArea({ path: '/admin/users/{id}' })).toBe('Admin');
    expect(routeArea({ path: '/email-verification/confirm' })).toBe('EmailVerification');
    expect([...areas.values()].flat()).toHaveLength(ROUTES.length);
  });

  // Every per-route resource (function, role, log group, alarms, API resource, method, OPTIONS, 405 mock, invoke
  // permission: about 11) lives in its area's nested stack, so the parent no longer grows with routes. The ceiling is an
  // area's stack (about 41 routes each): with the growth below, 120 routes fit; LoginFlow, the fullest area, has room for about 8 more routes of its own before it must be split (docs/infrastructure.md).
  it.each([[ROUTES.length], [110], [120]])('keeps the parent and every nested stack under the budget with %i routes', (total) => {
    // Prepare
    const routes = total === ROUTES.length ? ROUTES : grownRoutes(total);

    // Act
    const synth = synthesize({ routes });

    // Assess
    expect(routes).toHaveLength(total);
    expect(synth.stackTemplates.size).toBe(1 + groupRoutesByArea(routes).size);
    for (const [path, template] of synth.stackTemplates) {
      const count = Object.keys(resourcesOf(template)).length;
      expect({ path, count, underBudget: count <= STACK_RESOURCE_BUDGET }).toEqual({ path, count, underBudget: true });
    }
    // Beside the routes: the rotations of the signing key, the refresh-token key and the invitation key, and the scheduled team clean-up.
    expect(countOf(resourcesOf(synth.template), 'AWS::Lambda::Function')).toBe(total + 4);
  });

  it('keeps the parent the same size however many routes there are: a new area adds only its nested stack', () => {
    // Prepare
    const sizes = [ROUTES, grownRoutes(110), grownRoutes(120)].map((routes) => {
      const synth = synthesize({ routes });
      return { areas: groupRoutesByArea(routes).size, parent: Object.keys(resourcesOf(synth.stackTemplates.get(synth.stack.node.path)!)).length };
    });

    // Act
    const withoutAreaStacks = sizes.map(({ areas, parent }) => parent - areas);

    // Assess
    expect(new Set(withoutAreaStacks).size).toBe(1);
    expect(sizes[0].parent).toBeLessThan(100);
  });

  it('keeps the API resources and methods, with their invoke permissions, out of the parent', () => {
    // Act
    const synth = synthesize({ routes: ROUTES });
    const parent = resourcesOf(synth.stackTemplates.get(synth.stack.node.path)!);

    // Assess
    for (const type of ['AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method']) expect({ type, count: countOf(parent, type) }).toEqual({ type, count: 0 });
    const fromApi = Object.values(parent).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission' && resource.Properties?.Principal === 'apigateway.amazonaws.com',
    );
    expect(fromApi).toEqual([]);
    expect(countOf(parent, 'AWS::ApiGateway::Deployment')).toBe(1);
    expect(countOf(parent, 'AWS::ApiGateway::Stage')).toBe(1);
  });

  it('stops synth with a message naming the stack over the budget: at 194 routes that is LoginFlowRoutes, the area that grows fastest', () => {
    // Act
    const attempt = () => synthesize({ routes: grownRoutes(194) });

    // Assess
    expect(attempt).toThrow(
      new RegExp(`LoginBridge-dev/Default/LoginFlowRoutes holds \\d+ CloudFormation resources, over the budget of ${STACK_RESOURCE_BUDGET}`),
    );
    expect(attempt).not.toThrow(/LoginBridge-dev holds/);
  });

  it("puts each area's functions, and only those, in its nested stack", () => {
    // Prepare
    const routes = grownRoutes(70);
    const synth = synthesize({ routes });

    // Act
    const areas = groupRoutesByArea(routes);

    // Assess
    for (const [area, members] of areas) {
      const nested = synth.stack.areaStacks.get(area) as NestedStack;
      const resources = resourcesOf(synth.stackTemplates.get(nested.node.path)!);
      expect(countOf(resources, 'AWS::Lambda::Function')).toBe(members.length);
      expect(countOf(resources, 'AWS::IAM::Role')).toBe(members.length);
      expect(countOf(resources, 'AWS::CloudWatch::Alarm')).toBe(2 * members.length);
      for (const route of members) expect(NestedStack.of(synth.stack.routeFunctions.forRoute(route))).toBe(nested);
    }
    // The parent holds the three key rotations and the team clean-up.
    expect(countOf(resourcesOf(synth.stackTemplates.get(synth.stack.node.path)!), 'AWS::Lambda::Function')).toBe(4);
  });

  it('has cdk-nag check the nested stacks too: an unacknowledged finding in one fails synth', () => {
    // Prepare
    const synth = synthesize({ context: { stage: 'nestednag' } });
    new Secret(synth.stack.areaStacks.get('LoginFlow') as NestedStack, 'UnrotatedSecret');

    // Act
    const attempt = () => synth.app.synth({ force: true });

    // Assess
    expect(attempt).toThrow(/AwsSolutions-SMG4/);
  });
});
