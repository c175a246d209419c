import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface RefreshTokenKeyProps {
  readonly production: boolean;
}

/**
 * The key TOTP secrets are sealed with at rest (AES-256-GCM under an HKDF of
 * it, `lambdas/core/factors/secret-box.ts`): 64 random characters made by
 * Secrets Manager, read only by the functions whose route declares `factorKey`.
 */
export class FactorKey extends Construct {
  public readonly secret: Secret;

  constructor(scope: Construct, id: string, props: RefreshTokenKeyProps) {
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

/**
 * The key successor refresh tokens are derived from (HMAC-SHA256 of the
 * presented token, `lambdas/core/sessions.ts`): 64 random characters made by
 * Secrets Manager at creation, never in the template. Only the functions
 * whose route declares `refreshKey` may read it.
 */
export class RefreshTokenKey extends Construct {
  public readonly secret: Secret;

  constructor(scope: Construct, id: string, props: RefreshTokenKeyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'LoginBridge refresh-token key: successor refresh tokens are derived from it. Never rotate or edit: the grace for retried refreshes and reuse detection rely on it.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'This key derives the successor of each refresh token; rotating it would make every retry within the grace window look like reuse and sign users out. It never leaves Secrets Manager and the two refreshing functions.',
    });
  }
}
