import { readFileSync, statSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import { type PublicKeySet, parsePublicKeySet } from '../../core/key-set';
import type { PublicKeySetSource } from '../../core/ports';

/**
 * The public-keys-only document from Secrets Manager (written by the
 * rotation function with each key set), cached per instance like the key set.
 */
export class SecretsManagerPublicKeySource implements PublicKeySetSource {
  private cached?: { set: PublicKeySet; at: number };
  private inflight?: Promise<PublicKeySet>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  async get(): Promise<PublicKeySet> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.set;
    return this.reload();
  }

  reload(): Promise<PublicKeySet> {
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(): Promise<PublicKeySet> {
    let text: string | undefined;
    try {
      ({ SecretString: text } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })));
    } catch (error) {
      throw new ServiceUnavailableError('The token verification keys cannot be read right now.', { cause: error });
    }
    const set = parsePublicKeySet(text);
    if (!set) throw new ServiceUnavailableError('The token verification keys have not been provisioned yet.');
    this.cached = { set, at: Date.now() };
    return set;
  }
}

export function createSecretsManagerPublicKeySource(secretId: string): SecretsManagerPublicKeySource {
  return new SecretsManagerPublicKeySource(new SecretsManagerClient({}), secretId);
}

/** The local stack's public document: the file FileKeySource writes next to the private one, re-read when it changes. */
export class FilePublicKeySource implements PublicKeySetSource {
  private cached?: { set: PublicKeySet; mtimeMs: number };

  constructor(private readonly path: string) {}

  async get(): Promise<PublicKeySet> {
    if (this.cached && this.mtime() === this.cached.mtimeMs) return this.cached.set;
    return this.reload();
  }

  async reload(): Promise<PublicKeySet> {
    const mtimeMs = this.mtime();
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (this.cached) return this.cached.set;
      throw new ServiceUnavailableError('The token verification keys cannot be read right now.', { cause: error });
    }
    const set = parsePublicKeySet(text);
    if (!set) {
      if (this.cached) return this.cached.set;
      throw new ServiceUnavailableError(`The public key file ${this.path} is not a valid public key set.`);
    }
    this.cached = { set, mtimeMs };
    return set;
  }

  private mtime(): number {
    try {
      return statSync(this.path).mtimeMs;
    } catch {
      return -1;
    }
  }
}
