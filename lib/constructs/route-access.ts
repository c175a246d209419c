import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { PARTNER_SECRET_ENV, type PartnerSecret, type RouteAccess, type TableAction } from '../../lambdas/routes';

/** What a route's `access` can point at. */
export interface AccessTargets {
  readonly table: ITable;
  /** The table's global secondary indexes; table grants cover exactly these. */
  readonly indexNames: readonly string[];
  readonly signingKey: ISecret;
  /** The public-keys-only document the rotation function writes with each key set. */
  readonly verifyKeys: ISecret;
  /** The refresh-token key; a route that declares `refreshKey` without it fails synthesis. */
  readonly refreshKey?: ISecret;
  /** The invitation key; a route that declares `invitationKey` without it fails synthesis. */
  readonly invitationKey?: ISecret;
  /** The key TOTP secrets are sealed with; a route that declares `factorKey` without it fails synthesis. */
  readonly factorKey?: ISecret;
  readonly partnerSecrets: Readonly<Record<PartnerSecret, ISecret>>;
  readonly mail: MailSender;
}

export interface MailSender {
  /** The From address (MAIL_FROM). */
  readonly senderEmail: string;
  readonly configurationSet?: string;
}

/**
 * Grants a function exactly what its route's `access` declares, and in the
 * same statement gives it the variable that names the resource. This is the
 * only place either happens, so a function can never know a resource it may
 * not use, nor be allowed one it does not know.
 */
export function applyRouteAccess(fn: LambdaFunction, access: RouteAccess, targets: AccessTargets): void {
  if (access.table?.length) grantTable(fn, access.table, targets);
  if (access.signingKey) grantSigningKey(fn, targets.signingKey);
  if (access.verifyKey) grantVerifyKeys(fn, targets.verifyKeys);
  if (access.mail) grantMail(fn, targets.mail);
  if (access.refreshKey) grantHmacKey(fn, targets.refreshKey, 'REFRESH_KEY_SECRET_ARN', 'the refresh-token key');
  if (access.invitationKey) grantHmacKey(fn, targets.invitationKey, 'INVITATION_KEY_SECRET_ARN', 'the invitation key');
  if (access.factorKey) grantFactorKey(fn, targets.factorKey);
  for (const partner of new Set(access.secrets ?? [])) grantPartnerSecret(fn, partner, targets.partnerSecrets[partner]);
}

/** `dynamodb:<Action>` for each declared action, on the table and its indexes: nothing else. */
function grantTable(fn: LambdaFunction, actions: readonly TableAction[], targets: AccessTargets): void {
  const { tableArn } = targets.table;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...new Set(actions)].map((action) => `dynamodb:${action}`),
      resources: [tableArn, ...targets.indexNames.map((name) => `${tableArn}/index/${name}`)],
    }),
  );
  fn.addEnvironment('TABLE_NAME', targets.table.tableName);
}

function grantSigningKey(fn: LambdaFunction, secret: ISecret): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretPolicyArn(secret)] }));
  fn.addEnvironment('SIGNING_KEY_SECRET_ARN', secret.secretArn);
}

function grantVerifyKeys(fn: LambdaFunction, secret: ISecret): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretPolicyArn(secret)] }));
  fn.addEnvironment('VERIFY_KEYS_SECRET_ARN', secret.secretArn);
}

function grantHmacKey(fn: LambdaFunction, secret: ISecret | undefined, variable: string, what: string): void {
  if (!secret) throw new Error(`${fn.node.path}: its route reads ${what}, but no key was given.`);
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretPolicyArn(secret)] }));
  fn.addEnvironment(variable, secret.secretArn);
}

function grantFactorKey(fn: LambdaFunction, secret: ISecret | undefined): void {
  if (!secret) throw new Error(`${fn.node.path}: its route reads the factor key, but no key was given.`);
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretPolicyArn(secret)] }));
  fn.addEnvironment('FACTOR_KEY_SECRET_ARN', secret.secretArn);
}

/**
 * `ses:SendEmail` for the sender only: on the address identity and on its
 * domain identity (SES authorises against whichever is verified), limited to
 * that From address, plus the configuration set when one is used (SESv2
 * authorises it as a resource of the call too).
 */
function grantMail(fn: LambdaFunction, mail: MailSender): void {
  const stack = Stack.of(fn);
  const identity = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  const domain = mail.senderEmail.slice(mail.senderEmail.lastIndexOf('@') + 1);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [identity(mail.senderEmail), identity(domain)],
      conditions: { StringEquals: { 'ses:FromAddress': mail.senderEmail } },
    }),
  );
  fn.addEnvironment('MAIL_FROM', mail.senderEmail);
  if (mail.configurationSet) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mail.configurationSet })],
      }),
    );
    fn.addEnvironment('SES_CONFIGURATION_SET', mail.configurationSet);
  }
}

function grantPartnerSecret(fn: LambdaFunction, partner: PartnerSecret, secret: ISecret): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretPolicyArn(secret)] }));
  // A secret imported by name has no complete ARN; GetSecretValue takes the name just as well.
  fn.addEnvironment(PARTNER_SECRET_ENV[partner], secret.secretFullArn ?? secret.secretName);
}

/** The ARN a policy must name: the complete ARN, or the name plus Secrets Manager's six-character suffix. */
export function secretPolicyArn(secret: ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}
