import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnRotationSchedule, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';

/** The rotation period a key construct accepts: whole days, at least daily, at most yearly (`owner` names the construct in the error). */
export function checkRotationDays(owner: string, rotationDays: number): void {
  if (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > 365) {
    throw new Error(`${owner}: rotationDays must be an integer from 1 to 365 (got ${rotationDays}).`);
  }
}

/**
 * A key secret rotated by its own function (the signing key, the HMAC key
 * rings): the function may make exactly the four rotation steps' calls on that
 * secret, only Secrets Manager may invoke it for that secret, and the schedule
 * waits for both. `scope` owns the schedule (construct id `Schedule`).
 */
export function rotateSecretWith(
  scope: Construct,
  secret: ISecret,
  rotation: HandlerFunction,
  options: { rotationDays: number; rotateImmediatelyOnUpdate: boolean },
): CfnRotationSchedule {
  const fn = rotation.fn;
  // Exactly the calls of the four rotation steps, on this secret only (the L2 RotationSchedule would add GetRandomPassword on *).
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      resources: [secret.secretArn],
    }),
  );
  // Only Secrets Manager, and only for this secret, may invoke it (no confused deputy).
  fn.addPermission('InvokedBySecretsManager', {
    principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
    sourceArn: secret.secretArn,
    action: 'lambda:InvokeFunction',
  });
  const schedule = new CfnRotationSchedule(scope, 'Schedule', {
    secretId: secret.secretArn,
    rotationLambdaArn: fn.functionArn,
    rotationRules: { automaticallyAfterDays: options.rotationDays },
    rotateImmediatelyOnUpdate: options.rotateImmediatelyOnUpdate,
  });
  // Secrets Manager may invoke the function as soon as the schedule exists: its permissions must be in place first.
  schedule.node.addDependency(fn.node.findChild('InvokedBySecretsManager'), rotation.role);
  return schedule;
}
