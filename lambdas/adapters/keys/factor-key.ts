import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import type { FactorKey } from '../../core/factors/ports';
import { readOrCreateSecretFile } from './secret-file';

/** Shorter than this is not a key we seal TOTP secrets with. */
const MIN_KEY_CHARS = 32;

function toKey(text: string | undefined, where: string, what: string): Uint8Array {
  const trimmed = text?.trim();
  if (!trimmed || trimmed.length < MIN_KEY_CHARS) throw new ServiceUnavailableError(`The ${what} in ${where} is missing or too short.`);
  return Buffer.from(trimmed, 'utf8');
}

/**
 * The deployed key: a dedicated Secrets Manager secret (random, made by the
 * stack, never rotated: sealed TOTP secrets would no longer open), read once
 * per instance. Only the functions whose route declares `factorKey` are granted it.
 */
export class SecretsManagerFactorKey implements FactorKey {
  private key?: Promise<Uint8Array>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    /** What the key is, for messages: the same loader reads the factor key (docs/security.md). */
    private readonly what = 'factor key',
  ) {}

  get(): Promise<Uint8Array> {
    this.key ??= this.fetch().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async fetch(): Promise<Uint8Array> {
    let text: string | undefined;
    try {
      ({ SecretString: text } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })));
    } catch (error) {
      throw new ServiceUnavailableError(`The ${this.what} cannot be read right now.`, { cause: error });
    }
    return toKey(text, 'its secret', this.what);
  }
}

/** The local stack's key: a file (mode 600) in the data directory, made on first use and kept, like the signing keys. */
export class FileFactorKey implements FactorKey {
  private key?: Uint8Array;

  constructor(
    private readonly path: string,
    private readonly what = 'factor key',
  ) {}

  async get(): Promise<Uint8Array> {
    this.key ??= toKey(this.readOrCreate(), this.path, this.what);
    return this.key;
  }

  private readOrCreate(): string {
    return readOrCreateSecretFile(this.path, this.what);
  }
}

/** The deployed key source, with its own SDK client. */
export function createSecretsManagerFactorKey(secretId: string, what?: string): SecretsManagerFactorKey {
  return new SecretsManagerFactorKey(new SecretsManagerClient({}), secretId, what);
}
