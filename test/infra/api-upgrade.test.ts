import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesOf, synthesize } from './support/synth';

/**
 * A stage deployed before the API's resources and methods moved into the area
 * stacks has them in the parent stack. API Gateway refuses a second resource
 * with the same path on one API, and CloudFormation creates before it deletes,
 * so the first update after the move must build the area stacks' resources on
 * a NEW RestApi: every API logical id of the old layout is gone (created anew,
 * the old deleted in the clean-up phase), except the account's CloudWatch role,
 * which stays as it is. docs/infrastructure.md "Upgrading a stage deployed
 * before the areas".
 */
const OLD_LAYOUT: Record<string, string> = JSON.parse(readFileSync(join(__dirname, 'support', 'pre-area-stacks-logical-ids.json'), 'utf8')).resources;

/** The old layout's ids that an update must replace: the API and everything that names its id. */
const REPLACED_TYPES = [
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::GatewayResponse',
];

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const idsOfType = (resources: Resources, type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);

describe('Upgrading a stage deployed before the methods moved into the area stacks', () => {
  const synth = synthesize();
  const everyStack = [...synth.stackTemplates.values()].map((template) => resourcesOf(template) as Resources);
  const merged = resourcesOf(synth.template) as Resources;

  it('gives the API and everything under it logical ids the old layout never used, in every stack', () => {
    // Prepare
    const oldIds = Object.keys(OLD_LAYOUT).filter((id) => REPLACED_TYPES.includes(OLD_LAYOUT[id]));

    // Act
    const reused = everyStack.flatMap((resources) => Object.keys(resources).filter((id) => oldIds.includes(id)));

    // Assess
    expect(oldIds.length).toBeGreaterThan(200);
    expect(reused).toEqual([]);
  });

  it('builds every path resource and method on the new RestApi, so none clashes with the old API in the same update', () => {
    // Prepare
    const [restApi] = idsOfType(merged, 'AWS::ApiGateway::RestApi');
    const onApi = [...idsOfType(merged, 'AWS::ApiGateway::Resource'), ...idsOfType(merged, 'AWS::ApiGateway::Method')];

    // Act
    const elsewhere = onApi.filter((id) => JSON.stringify(merged[id].Properties?.RestApiId) !== JSON.stringify({ Ref: restApi }));

    // Assess
    expect(idsOfType(merged, 'AWS::ApiGateway::RestApi')).toHaveLength(1);
    expect(OLD_LAYOUT[restApi]).toBeUndefined();
    expect(onApi.length).toBeGreaterThan(200);
    expect(elsewhere).toEqual([]);
  });

  it('keeps the account CloudWatch role and API Gateway account setting under their old logical ids, so the update leaves them alone', () => {
    // Prepare
    const parent = resourcesOf(synth.stackTemplates.get(synth.stack.node.path) as never) as Resources;
    const kept = Object.keys(OLD_LAYOUT).filter((id) => ['AWS::ApiGateway::Account', 'AWS::IAM::Role'].includes(OLD_LAYOUT[id]) && id.startsWith('ApiRestApi'));

    // Act
    const present = kept.filter((id) => parent[id]?.Type === OLD_LAYOUT[id]);

    // Assess
    expect(kept).toEqual(['ApiRestApiAccount598A1DA6', 'ApiRestApiCloudWatchRoleB7879BFC']);
    expect(present).toEqual(kept);
    expect(parent.ApiRestApiAccount598A1DA6.Properties?.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': ['ApiRestApiCloudWatchRoleB7879BFC', 'Arn'] });
  });

  it("keeps the API's name, so the alarms and dashboard (ApiName dimension) read the new API's metrics", () => {
    // Act
    const [restApi] = idsOfType(merged, 'AWS::ApiGateway::RestApi');

    // Assess
    expect(merged[restApi].Properties?.Name).toBe('loginbridge-dev');
  });

  it('points the WAF association, the invoke permissions and the custom domain mapping at the new API and stage', () => {
    // Prepare
    const withDomain = resourcesOf(
      synthesize({
        context: {
          publicBaseUrl: 'https://login.streamco.tv',
          customDomain: JSON.stringify({ domainName: 'login.streamco.tv', certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e' }),
        },
      }).template,
    ) as Resources;
    const [restApi] = idsOfType(withDomain, 'AWS::ApiGateway::RestApi');
    const [stage] = idsOfType(withDomain, 'AWS::ApiGateway::Stage');
    const [mapping] = idsOfType(withDomain, 'AWS::ApiGateway::BasePathMapping');
    const [association] = idsOfType(withDomain, 'AWS::WAFv2::WebACLAssociation');
    const permissions = idsOfType(withDomain, 'AWS::Lambda::Permission').filter((id) => JSON.stringify(withDomain[id].Properties).includes('execute-api'));

    // Act
    const stalePermissions = permissions.filter((id) => !JSON.stringify(withDomain[id].Properties?.SourceArn).includes(`"Ref":"${restApi}"`));

    // Assess
    // BasePathMapping: RestApiId and Stage update without interruption, so the domain keeps its mapping (same logical id) and its URL.
    expect(withDomain[mapping].Properties).toMatchObject({ RestApiId: { Ref: restApi }, Stage: { Ref: stage } });
    expect(JSON.stringify(withDomain[association].Properties?.ResourceArn)).toContain(`"Ref":"${restApi}"`);
    expect(permissions.length).toBeGreaterThan(70);
    expect(stalePermissions).toEqual([]);
  });
});
