import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type Synthesized, synthesize } from './support/synth';

interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
}

function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const findings = (synth: Synthesized) =>
  new AwsSolutionsChecks(synth.app)
    .validateScope(synth.app)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));

/** A dense configuration: production, WAF, tracing, SES configuration set, listed origins, imported secrets. */
const PRODUCTION_CONTEXT = {
  stage: 'prod',
  publicBaseUrl: 'https://login.streamco.tv',
  senderEmail: 'no-reply@streamco.tv',
  wafWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/loginbridge/0123abcd',
  tracing: 'true',
  sesConfigurationSet: 'loginbridge',
  allowedOrigins: 'https://app.example.com,https://tv.example.com',
  'partnerSecrets.astrato': 'shared/astrato',
  'partnerSecrets.auth0-production': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:auth0-prod-Ab12Cd',
};

/** The stack's own web ACL with account takeover prevention, alarm mail, tracing. */
const EDGE_CONTEXT = { stage: 'edge', waf: '{"accountTakeoverPrevention":true,"signInRateLimit":100}', alarmEmail: 'ops@example.com', tracing: 'true' };

/** A stage that opts out of WAF (the APIG3 finding is acknowledged then). */
const NO_WAF_CONTEXT = { stage: 'nowaf', 'waf.enabled': 'false' };

describe('cdk-nag AWS Solutions checks', () => {
  it.each([
    ['the default configuration', {}],
    ['a production configuration with WAF, tracing and imported secrets', PRODUCTION_CONTEXT],
    ['a stage with its own web ACL, account takeover prevention and alarm mail', EDGE_CONTEXT],
    ['a stage without WAF', NO_WAF_CONTEXT],
  ])('leaves no finding unacknowledged in %s', (_name, context) => {
    // Prepare
    const synth = synthesize({ context });

    // Act
    const open = findings(synth);

    // Assess
    expect(open).toEqual([]);
  });

  it('acknowledges each finding with a real reason, and only findings that occur', () => {
    // Prepare
    const apps = [
      synthesize().app,
      synthesize({ context: PRODUCTION_CONTEXT }).app,
      synthesize({ context: EDGE_CONTEXT }).app,
      synthesize({ context: NO_WAF_CONTEXT }).app,
    ];
    const acknowledged = apps.flatMap((app) => acknowledgments(app));
    // The same checks, blind to acknowledgments: what cdk-nag would report without them.
    const blind = new AwsSolutionsChecks();
    (blind as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;

    // Act
    const raw = apps.flatMap((app) =>
      blind
        .validateScope(app)
        .violations.flatMap((violation) => violation.violatingResources.map((resource) => ({ id: violation.ruleName, path: resource.constructPath ?? '' }))),
    );

    // Assess
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, path, reason } of acknowledged) {
      expect(reason.length).toBeGreaterThan(60);
      // An acknowledgment covers its construct and everything below it; each must cover a real finding.
      expect(raw.some((finding) => finding.id === id && (finding.path === path || finding.path.startsWith(`${path}/`)))).toBe(true);
    }
  });

  it('makes synthesis fail with the report when a finding is not acknowledged', () => {
    // Prepare
    const synth = synthesize({ context: { stage: 'nagged' } });
    new Secret(synth.stack, 'UnrotatedSecret');

    // Act
    const attempt = () => synth.app.synth({ force: true });

    // Assess
    expect(attempt).toThrow(/AwsSolutions-SMG4/);
  });

  it.each([
    ['a production configuration', PRODUCTION_CONTEXT],
    ['its own web ACL with account takeover prevention, alarms and dashboard', EDGE_CONTEXT],
  ])('passes the CloudFormation schema validation cdk synth runs with %s', (_name, context) => {
    // Prepare
    const synth = synthesize({ context, cloudFormationValidation: true });

    // Act
    const attempt = () => synth.app.synth({ force: true });

    // Assess
    expect(attempt).not.toThrow();
  });
});
