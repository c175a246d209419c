import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type PartnerName, PartnerNotConfiguredError, ServiceUnavailableError } from '../../core/errors';
import { sha256 } from '../../core/random';

/** A partner's API client credentials: `{baseUrl, clientId, clientSecret}`, the JSON kept in its secret. */
export interface PartnerCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Where credentials come from, and which settings an operator must check
 * when the partner rejects them (named in errors; values never are).
 */
export interface PartnerCredentialSource {
  readonly partner: PartnerName;
  /** What to check when the partner rejects the credentials. */
  readonly credentialsHint: string;
  /** Current credentials, possibly cached for a short time. */
  get(): Promise<PartnerCredentials>;
  /** Read again, bypassing the cache: after the partner rejected them, a rotated secret is picked up at once. */
  reload(): Promise<PartnerCredentials>;
}

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  });

const credentialsSchema = z.object({
  // The stack creates the secret with empty values: an empty baseUrl means "the default".
  baseUrl: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), httpUrl.optional()),
  clientId: z.string().trim().min(1),
  clientSecret: z.string().min(1),
});

/** Validates a secret's JSON; `undefined` when it is empty, a placeholder or malformed (which fields are wrong is said, values never). */
export function parseCredentials(text: string | undefined, defaultBaseUrl: string | undefined): { credentials?: PartnerCredentials; problem?: string } {
  if (!text?.trim()) return { problem: 'is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON' };
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) return { problem: `lacks a valid ${[...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))].join(', ')}` };
  const baseUrl = parsed.data.baseUrl ?? defaultBaseUrl;
  if (!baseUrl) return { problem: 'lacks a valid baseUrl' };
  return { credentials: { baseUrl: baseUrl.replace(/\/+$/, ''), clientId: parsed.data.clientId, clientSecret: parsed.data.clientSecret } };
}

/** A cache key that changes when any part of the credentials changes, without holding the secret in clear. */
export function credentialsKey(credentials: PartnerCredentials): string {
  return sha256(`${credentials.baseUrl}\n${credentials.clientId}\n${credentials.clientSecret}`);
}

export interface SecretsManagerSourceOptions {
  partner: PartnerName;
  /** The variable that holds the ARN, for messages. */
  arnVariable: string;
  defaultBaseUrl?: string;
  /** How long a read secret is reused. */
  ttlMs: number;
  /** Forced re-reads happen at most this often, so wrong credentials cannot hammer Secrets Manager. */
  minReloadIntervalMs?: number;
  now?: () => number;
}

/** Credentials from Secrets Manager, cached per Lambda instance for a short TTL. */
export class SecretsManagerCredentialSource implements PartnerCredentialSource {
  readonly partner: PartnerName;
  readonly credentialsHint: string;
  private cached?: { credentials: PartnerCredentials; at: number };
  private inflight?: Promise<PartnerCredentials>;
  private lastForced = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretId: string,
    private readonly options: SecretsManagerSourceOptions,
  ) {
    this.partner = options.partner;
    this.credentialsHint = `the clientId and clientSecret in the ${options.partner} secret (${options.arnVariable})`;
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<PartnerCredentials> {
    if (this.cached && this.now() - this.cached.at < this.options.ttlMs) return this.cached.credentials;
    return this.read();
  }

  async reload(): Promise<PartnerCredentials> {
    if (this.cached && this.now() - this.lastForced < (this.options.minReloadIntervalMs ?? 5000)) return this.cached.credentials;
    this.lastForced = this.now();
    return this.read();
  }

  private read(): Promise<PartnerCredentials> {
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(): Promise<PartnerCredentials> {
    let text: string | undefined;
    try {
      ({ SecretString: text } = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }))) as { SecretString?: string });
    } catch (error) {
      throw new ServiceUnavailableError(`The ${this.partner} credentials cannot be read right now. Please try again shortly.`, { cause: error });
    }
    const { credentials, problem } = parseCredentials(text, this.options.defaultBaseUrl);
    if (!credentials)
      throw new PartnerNotConfiguredError(
        this.partner,
        `the JSON {baseUrl, clientId, clientSecret} in the secret of ${this.options.arnVariable} (it ${problem})`,
      );
    this.cached = { credentials, at: this.now() };
    return credentials;
  }
}

export interface EnvSourceOptions {
  partner: PartnerName;
  /** Variable prefix: ASTRATO -> ASTRATO_BASE_URL, ASTRATO_CLIENT_ID, ASTRATO_CLIENT_SECRET. */
  prefix: string;
  defaultBaseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/** Local runs: credentials from plain variables, read on every call so an edited environment takes effect at once. */
export class EnvCredentialSource implements PartnerCredentialSource {
  readonly partner: PartnerName;
  readonly credentialsHint: string;

  constructor(private readonly options: EnvSourceOptions) {
    this.partner = options.partner;
    this.credentialsHint = `${options.prefix}_CLIENT_ID and ${options.prefix}_CLIENT_SECRET`;
  }

  async get(): Promise<PartnerCredentials> {
    const env = this.options.env ?? process.env;
    const { prefix } = this.options;
    const { credentials, problem } = parseCredentials(
      JSON.stringify({
        baseUrl: env[`${prefix}_BASE_URL`] || undefined,
        clientId: env[`${prefix}_CLIENT_ID`] ?? '',
        clientSecret: env[`${prefix}_CLIENT_SECRET`] ?? '',
      }),
      this.options.defaultBaseUrl,
    );
    if (!credentials) {
      throw new PartnerNotConfiguredError(
        this.partner,
        `${prefix}_BASE_URL, ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET (the environment ${problem?.replace(/^lacks a valid /, 'lacks ')})`,
      );
    }
    return credentials;
  }

  reload(): Promise<PartnerCredentials> {
    return this.get();
  }
}
