import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { PartnerName } from '../../core/errors';
import { EnvCredentialSource, type PartnerCredentialSource, SecretsManagerCredentialSource } from './credentials';

export interface CredentialSourceOptions {
  partner: PartnerName;
  /** ASTRATO_SECRET_ARN: set by the stack together with the read grant. */
  arnVariable: string;
  /** ASTRATO: the prefix of the local variables. */
  envPrefix: string;
  defaultBaseUrl?: string;
  ttlMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Secrets Manager when the function was given a secret ARN (in AWS), else plain variables (local runs). */
export function partnerCredentialSource(options: CredentialSourceOptions): PartnerCredentialSource {
  const env = options.env ?? process.env;
  const arn = env[options.arnVariable];
  if (arn) {
    return new SecretsManagerCredentialSource(new SecretsManagerClient({}), arn, {
      partner: options.partner,
      arnVariable: options.arnVariable,
      defaultBaseUrl: options.defaultBaseUrl,
      ttlMs: options.ttlMs,
    });
  }
  return new EnvCredentialSource({ partner: options.partner, prefix: options.envPrefix, defaultBaseUrl: options.defaultBaseUrl, env: options.env });
}
