import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import type { Environment } from '../../core/portal/ports';

/** One tenant's management client, as kept in Secrets Manager: JSON `{domain, clientId, clientSecret}`. */
export interface TenantCredentials {
  /** `tenant.eu.auth0.com`, a custom domain, or a full `http://127.0.0.1:PORT` URL for a local simulator. */
  domain: string;
  clientId: string;
  clientSecret: string;
}

export interface TenantCredentialSource {
  /** Possibly cached. */
  get(): Promise<TenantCredentials>;
  /** Read again (after Auth0 rejected what we had: the secret may have been rotated). */
  reload(): Promise<TenantCredentials>;
  /** Where an operator fixes these credentials; named in error messages, never the values. */
  readonly setting: string;
}

const prefixOf = (environment: Environment) => environment.toUpperCase();

/** The variable names of an environment: SANDBOX_AUTH0_SECRET_ARN, SANDBOX_AUTH0_MANAGEMENT_CLIENT_DOMAIN, ... */
export function credentialVariables(environment: Environment) {
  const prefix = prefixOf(environment);
  return {
    secretArn: `${prefix}_AUTH0_SECRET_ARN`,
    domain: `${prefix}_AUTH0_MANAGEMENT_CLIENT_DOMAIN`,
    clientId: `${prefix}_AUTH0_MANAGEMENT_CLIENT_ID`,
    clientSecret: `${prefix}_AUTH0_MANAGEMENT_CLIENT_SECRET`,
  };
}

function checked(value: unknown, setting: string, environment: Environment): TenantCredentials {
  const record = (value ?? {}) as Record<string, unknown>;
  const missing = (['domain', 'clientId', 'clientSecret'] as const).filter((field) => typeof record[field] !== 'string' || !(record[field] as string).trim());
  if (missing.length) {
    throw new ServiceUnavailableError(`The ${environment} environment is not configured yet: ${setting} lacks ${missing.join(', ')}.`);
  }
  return { domain: (record.domain as string).trim(), clientId: (record.clientId as string).trim(), clientSecret: record.clientSecret as string };
}

/** Local runs: plain variables (from the environment or .env). */
export class EnvTenantCredentials implements TenantCredentialSource {
  readonly setting: string;

  constructor(
    private readonly environment: Environment,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const names = credentialVariables(environment);
    this.setting = `${names.domain}, ${names.clientId} and ${names.clientSecret}`;
  }

  async get(): Promise<TenantCredentials> {
    const names = credentialVariables(this.environment);
    return checked(
      { domain: this.env[names.domain], clientId: this.env[names.clientId], clientSecret: this.env[names.clientSecret] },
      this.setting,
      this.environment,
    );
  }

  reload(): Promise<TenantCredentials> {
    return this.get();
  }
}

/**
 * In AWS: the tenant's secret, read with the function's own grant and cached
 * for a few minutes, so a rotated management secret is picked up without a
 * redeploy (at once when Auth0 rejects the old one).
 */
export class SecretsManagerTenantCredentials implements TenantCredentialSource {
  readonly setting: string;
  private cached?: { value: TenantCredentials; readAt: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
    private readonly environment: Environment,
    private readonly maxAgeMs = 5 * 60 * 1000,
  ) {
    this.setting = `the ${environment} Auth0 secret (${credentialVariables(environment).secretArn})`;
  }

  async get(): Promise<TenantCredentials> {
    if (this.cached && Date.now() - this.cached.readAt < this.maxAgeMs) return this.cached.value;
    return this.reload();
  }

  async reload(): Promise<TenantCredentials> {
    let text: string | undefined;
    try {
      text = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }))).SecretString;
    } catch (error) {
      throw new ServiceUnavailableError(`The ${this.environment} Auth0 credentials cannot be read right now. Please try again shortly.`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ServiceUnavailableError(
        `The ${this.environment} environment is not configured correctly: ${this.setting} is not JSON {domain, clientId, clientSecret}.`,
      );
    }
    const value = checked(parsed, this.setting, this.environment);
    this.cached = { value, readAt: Date.now() };
    return value;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * `https://{domain}`, or the URL itself when the domain is a full URL. Plain
 * http is accepted for loopback hosts only (the local simulator): anything
 * else would send the management secret in clear.
 */
export function tenantBaseUrl(domain: string): string {
  const text = domain.trim().replace(/\/+$/, '');
  if (!/^[a-z]+:\/\//i.test(text)) return `https://${text}`;
  const url = new URL(text);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return `${url.protocol}//${url.host}`;
  throw new ServiceUnavailableError('An Auth0 domain must be a host name or an https URL (plain http only on 127.0.0.1, for a local simulator).');
}

/** The deployed credential source of one tenant, with its own SDK client. */
export function createSecretsManagerTenantCredentials(
  arn: string,
  environment: ConstructorParameters<typeof SecretsManagerTenantCredentials>[2],
  maxAgeMs: number,
): SecretsManagerTenantCredentials {
  return new SecretsManagerTenantCredentials(new SecretsManagerClient({}), arn, environment, maxAgeMs);
}
