import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface FactorKeyProps {
  readonly production: boolean;
}

/**
 * The key TOTP secrets are sealed with at rest (AES-256-GCM under an HKDF of
 * it, `lambdas/core/factors/secret-box.ts`): 64 random characters made by
 * Secrets Manager, read only by the functions whose route declares `factorKey`.
 */
export class FactorKey extends Construct {
  public readonly secret: Secret;

  constructor(scope: Construct, id: string, props: FactorKeyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'LoginBridge factor key: seals TOTP secrets at rest. Never rotate or edit: sealed secrets would no longer open.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every stored TOTP secret is sealed under this key; rotating it would lock every enrolled user out. It never leaves Secrets Manager and the functions that check codes.',
    });
  }
}
