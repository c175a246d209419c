import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function';
import { checkRotationDays, rotateSecretWith } from './secret-rotation';

export interface SigningKeyProps {
  readonly rotationDays: number;
  readonly production: boolean;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
}

/** What the secret holds until the first rotation: recognisably not a key set (`parseKeySet` rejects version 0). */
export const SIGNING_KEY_PLACEHOLDER = { version: 0, keys: [] };

/**
 * The ES256 signing key set in Secrets Manager, written only by its rotation
 * function (`lambdas/handlers/ops/rotate-signing-key.ts`, protocol in `lambdas/adapters/keys/signing-key-rotation.ts`). The template holds
 * a placeholder; the schedule rotates immediately when it is created, so the
 * deployment itself provisions the first key set, and then every
 * `rotationDays`. Each rotation publishes a new next key, promotes the
 * previous next key to current and keeps the old current as previous (see
 * `lambdas/core/key-set.ts`).
 */
export class SigningKey extends Construct {
  public readonly secret: Secret;
  /** The public-keys-only document (no private key), written by the same rotation step; what verifiers read. */
  public readonly publicKeys: Secret;
  public readonly rotation: HandlerFunction;
  public readonly schedule: CfnRotationSchedule;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    checkRotationDays('SigningKey', props.rotationDays);
    this.secret = new Secret(this, 'Secret', {
      description: 'LoginBridge access-token signing key set (ES256 JWKs: next, current, previous). Written only by its rotation function; never edit by hand.',
      // A random field is the only way to create a secret without a literal value in the template.
      generateSecretString: { secretStringTemplate: JSON.stringify(SIGNING_KEY_PLACEHOLDER), generateStringKey: 'placeholder', excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.publicKeys = new Secret(this, 'PublicKeys', {
      description: 'LoginBridge access-token verification keys (public JWKs only). Written only by the signing key rotation function; never edit by hand.',
      generateSecretString: { secretStringTemplate: JSON.stringify(SIGNING_KEY_PLACEHOLDER), generateStringKey: 'placeholder', excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.publicKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Public keys only, no secret: the signing key rotation function rewrites this document in the same rotation as the key set, so it is rotated on that schedule.',
    });

    this.rotation = new HandlerFunction(this, 'Rotation', {
      handler: 'ops/rotate-signing-key',
      description: 'Rotates the LoginBridge signing key set (Secrets Manager rotation protocol)',
      environment: { PUBLIC_KEYS_SECRET_ARN: this.publicKeys.secretArn },
      logRetention: props.logRetention,
      tracing: props.tracing,
      retainLogs: props.production,
    });
    this.schedule = rotateSecretWith(this, this.secret, this.rotation, { rotationDays: props.rotationDays, rotateImmediatelyOnUpdate: true });
    // The public document is written (never read) with each new key set.
    this.rotation.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:PutSecretValue'], resources: [this.publicKeys.secretArn] }));
  }
}
