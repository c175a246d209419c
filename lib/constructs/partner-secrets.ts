import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PartnerSecret } from '../../lambdas/routes';
import type { PartnerSecretSource } from '../config';

/** What each partner secret holds, and where its values come from. */
export const PARTNER_SECRET_SHAPES: Readonly<Record<PartnerSecret, { fields: readonly string[]; source: string }>> = {
  astrato: {
    fields: ['baseUrl', 'clientId', 'clientSecret'],
    source: 'Astrato OEM Management API key and secret (Astrato Administration -> System Settings -> OEM Management API)',
  },
  acronis: { fields: ['baseUrl', 'clientId', 'clientSecret'], source: 'Acronis Cyber Platform API client (data center URL, client id and secret)' },
  'auth0-sandbox': { fields: ['domain', 'clientId', 'clientSecret'], source: 'Auth0 sandbox tenant Management API machine-to-machine client' },
  'auth0-production': { fields: ['domain', 'clientId', 'clientSecret'], source: 'Auth0 production tenant Management API machine-to-machine client' },
  apple: {
    fields: ['clientIds', 'teamId', 'keyId', 'privateKey'],
    source: 'Sign in with Apple: allowed client ids (bundle ids, service ids; comma-separated), team id, key id and the PKCS8 PEM key (docs/native-sign-in.md)',
  },
  google: {
    fields: ['clientIds', 'clientSecret', 'hostedDomain'],
    source:
      'Google sign-in: allowed OAuth client ids (web, Android, iOS; comma-separated), the web client secret, optional Workspace domain (docs/native-sign-in.md)',
  },
};

export interface PartnerSecretsProps {
  readonly stage: string;
  readonly sources: Readonly<Record<PartnerSecret, PartnerSecretSource>>;
  readonly production: boolean;
}

/** The name a created partner secret gets: predictable, so the put-secret-value commands can be copied. */
export const partnerSecretName = (stage: string, partner: PartnerSecret): string => `loginbridge/${stage}/${partner}`;

/**
 * One Secrets Manager secret per partner. A created secret starts with the
 * expected JSON shape and empty values (its description says how to fill it);
 * an imported one is used as it is. Either way the functions only ever get
 * read access to the secrets their routes declare.
 */
export class PartnerSecrets extends Construct {
  public readonly secrets: Readonly<Record<PartnerSecret, ISecret>>;
  /** The secrets this stack created (the others were imported). */
  public readonly created: readonly PartnerSecret[];

  constructor(scope: Construct, id: string, props: PartnerSecretsProps) {
    super(scope, id);
    const secrets = {} as Record<PartnerSecret, ISecret>;
    const created: PartnerSecret[] = [];
    for (const partner of Object.keys(PARTNER_SECRET_SHAPES) as PartnerSecret[]) {
      const source = props.sources[partner] ?? 'create';
      const constructId = partner.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
      if (source === 'create') {
        secrets[partner] = this.create(constructId, partner, props);
        created.push(partner);
      } else if (source.import.startsWith('arn:')) {
        secrets[partner] = Secret.fromSecretCompleteArn(this, constructId, source.import);
      } else {
        secrets[partner] = Secret.fromSecretNameV2(this, constructId, source.import);
      }
    }
    this.secrets = secrets;
    this.created = created;
  }

  private create(id: string, partner: PartnerSecret, props: PartnerSecretsProps): Secret {
    const shape = PARTNER_SECRET_SHAPES[partner];
    const name = partnerSecretName(props.stage, partner);
    const example = JSON.stringify(Object.fromEntries(shape.fields.map((field) => [field, '...'])));
    const secret = new Secret(this, id, {
      secretName: name,
      description: `LoginBridge: ${shape.source}. Fill with: aws secretsmanager put-secret-value --secret-id ${name} --secret-string '${example}'`.slice(
        0,
        2048,
      ),
      // Empty values in the expected shape, not credentials. CloudFormation only writes this when the
      // secret is created (the value never changes in the template), so a filled-in secret survives deploys.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(Object.fromEntries(shape.fields.map((field) => [field, ''])))),
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `The ${partner} credentials are issued by the partner and can only be rotated there; the new values are written with put-secret-value and the functions re-read them after the partner rejects the old ones.`,
    });
    return secret;
  }
}
