import { renameSync, writeFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import { type HmacKeyRing, parseHmacKeyRing, rotatedHmacKeyRing } from '../../core/hmac-key-ring';
import type { RefreshTokenKey } from '../../core/ports';
import { randomToken } from '../../core/random';
import { readOrCreateSecretFile } from './secret-file';

/** How long an instance keeps a ring before reading the secret again: far below the rotation period, which is the overlap. */
const RING_TTL_MS = 5 * 60 * 1000;

function toRing(text: string | undefined, where: string): HmacKeyRing {
  const ring = parseHmacKeyRing(text);
  if (!ring) throw new ServiceUnavailableError(`The HMAC key in ${where} is missing or too short.`);
  return ring;
}

/**
 * A deployed HMAC key ring (the refresh-token key, the invitation key): a
 * dedicated Secrets Manager secret, rotated on a schedule by its rotation
 * function (current and previous key, see lambdas/core/hmac-key-ring.ts),
 * read once per instance and again after RING_TTL_MS or on `reload`. Only
 * the functions whose route declares the key are granted it.
 */
export class SecretsManagerHmacKeyRing implements RefreshTokenKey {
  private ring?: Promise<HmacKeyRing>;
  private readAt = 0;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<HmacKeyRing> {
    if (!this.ring || this.now() - this.readAt > RING_TTL_MS) return this.reload();
    return this.ring;
  }

  reload(): Promise<HmacKeyRing> {
    this.readAt = this.now();
    const ring = this.fetch().catch((error: unknown) => {
      if (this.ring === ring) this.ring = undefined;
      throw error;
    });
    this.ring = ring;
    return ring;
  }

  private async fetch(): Promise<HmacKeyRing> {
    let text: string | undefined;
    try {
      ({ SecretString: text } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })));
    } catch (error) {
      throw new ServiceUnavailableError('The HMAC key cannot be read right now.', { cause: error });
    }
    return toRing(text, 'its secret');
  }
}

/**
 * The local stack's key ring: a file (mode 600) in the data directory, made
 * on first use. Read at every use, so `npm run rotate-key -- refresh` takes
 * effect at once, as a deployed rotation does within RING_TTL_MS.
 */
export class FileHmacKeyRing implements RefreshTokenKey {
  constructor(private readonly path: string) {}

  async get(): Promise<HmacKeyRing> {
    return toRing(this.readOrCreate(), this.path);
  }

  reload(): Promise<HmacKeyRing> {
    return this.get();
  }

  /** One rotation, as the deployed rotation function does it: a new current key, the old current kept as previous. */
  rotate(): HmacKeyRing {
    const next = rotatedHmacKeyRing(this.readOrCreate(), randomToken(32));
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${next}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
    return toRing(next, this.path);
  }

  private readOrCreate(): string {
    return readOrCreateSecretFile(this.path, 'HMAC key');
  }
}

/** A deployed key ring, with its own SDK client. */
export function createSecretsManagerHmacKeyRing(secretId: string): SecretsManagerHmacKeyRing {
  return new SecretsManagerHmacKeyRing(new SecretsManagerClient({}), secretId);
}
