import { RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HandlerFunction } from './handler-function';
import { checkRotationDays, rotateSecretWith } from './secret-rotation';

export interface HmacKeyProps {
  /** What the key derives or signs, for the secret's description. */
  readonly purpose: string;
  /** The rotation function's handler module under lambdas/handlers. */
  readonly rotationHandler: string;
  readonly rotationDays: number;
  readonly production: boolean;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
}

/**
 * An HMAC key ring in Secrets Manager (current and previous key, see
 * `lambdas/core/hmac-key-ring.ts`): 64 random characters made by Secrets
 * Manager at creation, never in the template, then rotated every
 * `rotationDays` by its rotation function (protocol in
 * `lambdas/adapters/keys/hmac-key-rotation.ts`), the way the signing key is.
 * Each rotation keeps the old current key as previous, so what was derived
 * with it keeps verifying for a whole period. Only the functions whose route
 * declares the key may read it.
 */
export class HmacKey extends Construct {
  public readonly secret: Secret;
  public readonly rotation: HandlerFunction;
  public readonly schedule: CfnRotationSchedule;

  constructor(scope: Construct, id: string, props: HmacKeyProps) {
    super(scope, id);
    checkRotationDays('HmacKey', props.rotationDays);
    this.secret = new Secret(this, 'Secret', {
      description: `LoginBridge ${props.purpose} (HMAC key ring: current and previous key). Written only by its rotation function; never edit by hand.`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.rotation = new HandlerFunction(this, 'Rotation', {
      handler: props.rotationHandler,
      description: `Rotates the LoginBridge ${props.purpose.split(' (')[0]} (Secrets Manager rotation protocol)`,
      environment: {},
      logRetention: props.logRetention,
      tracing: props.tracing,
      retainLogs: props.production,
    });
    // Nothing was derived yet at creation; on an existing stack the first rotation keeps the generated key as previous.
    this.schedule = rotateSecretWith(this, this.secret, this.rotation, { rotationDays: props.rotationDays, rotateImmediatelyOnUpdate: false });
  }
}
