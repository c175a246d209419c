import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import { type KeySet, parseKeySet } from '../../core/key-set';
import type { KeySetSource } from '../../core/ports';

/**
 * The signing key set from Secrets Manager, cached per Lambda instance for
 * `maxAgeMs`. Rotation publishes the next key one period ahead, so a cached
 * set is never missing a key that another instance signs with.
 */
export class SecretsManagerKeySource implements KeySetSource {
  private cached?: { set: KeySet; at: number };
  private inflight?: Promise<KeySet>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  async get(): Promise<KeySet> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.set;
    return this.reload();
  }

  reload(): Promise<KeySet> {
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(): Promise<KeySet> {
    let text: string | undefined;
    try {
      ({ SecretString: text } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })));
    } catch (error) {
      throw new ServiceUnavailableError('The signing key cannot be read right now.', { cause: error });
    }
    const set = parseKeySet(text);
    // Before the first rotation has run the secret holds only its placeholder.
    if (!set) throw new ServiceUnavailableError('The signing key has not been provisioned yet.');
    this.cached = { set, at: Date.now() };
    return set;
  }
}

/** The deployed key source, with its own SDK client. */
export function createSecretsManagerKeySource(secretId: string): SecretsManagerKeySource {
  return new SecretsManagerKeySource(new SecretsManagerClient({}), secretId);
}
