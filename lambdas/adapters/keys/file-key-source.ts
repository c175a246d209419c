import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServiceUnavailableError } from '../../core/errors';
import { type KeySet, newKeySet, parseKeySet, publicKeySet, rotateKeySet } from '../../core/key-set';
import type { KeySetSource } from '../../core/ports';

/** Where the public-keys-only document of a local key file lives: next to it (`signing-keys.json` -> `signing-keys.public.json`). */
export function publicKeyFileFor(path: string): string {
  return path.replace(/(\.json)?$/, '.public.json');
}

/**
 * The local stack's key set: a JSON file (mode 600) under `.local/`, made on
 * first use and kept, in the same format as the Secrets Manager secret.
 */
export class FileKeySource implements KeySetSource {
  private cached?: KeySet;
  private cachedMtimeMs = -1;
  private checkedAt = 0;

  constructor(private readonly path: string) {}

  /** The cached set, re-read when the file changed (`npm run rotate-key` while the stack runs); checked at most once a second. */
  async get(): Promise<KeySet> {
    if (this.cached && Date.now() - this.checkedAt < 1000) return this.cached;
    this.checkedAt = Date.now();
    if (this.cached && this.mtime() === this.cachedMtimeMs) return this.cached;
    return this.reload();
  }

  private mtime(): number {
    try {
      return statSync(this.path).mtimeMs;
    } catch {
      return -1;
    }
  }

  async reload(): Promise<KeySet> {
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      // Only a missing file means "first start". Any other failure (EMFILE under load, EACCES) must never
      // replace the keys: that would invalidate every token already issued.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        if (this.cached) return this.cached;
        throw new ServiceUnavailableError('The signing key file cannot be read right now.', { cause: error });
      }
    }
    const parsed = parseKeySet(text);
    if (!parsed && text !== undefined) {
      if (this.cached) return this.cached;
      throw new ServiceUnavailableError(`The signing key file ${this.path} is not a valid key set; move it away to make a new one.`);
    }
    const set = parsed ?? (await this.write(await newKeySet(new Date())));
    // A key file from before the public document existed gets its document now.
    if (parsed && !existsSync(publicKeyFileFor(this.path))) this.writePublic(parsed);
    this.cached = set;
    this.cachedMtimeMs = this.mtime();
    return set;
  }

  /** What the deployed rotation function does, for the local stack: `npm run rotate-key`. */
  async rotate(): Promise<KeySet> {
    const rotated = await rotateKeySet(await this.reload(), new Date());
    this.cached = await this.write(rotated);
    this.cachedMtimeMs = this.mtime();
    return rotated;
  }

  private async write(set: KeySet): Promise<KeySet> {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, JSON.stringify(set, null, 2), { mode: 0o600 });
    // Public document first: a verifier never meets a kid that the private set signs with but it cannot see.
    this.writePublic(set);
    renameSync(temporary, this.path);
    return set;
  }

  private writePublic(set: KeySet): void {
    const path = publicKeyFileFor(this.path);
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, JSON.stringify(publicKeySet(set), null, 2), { mode: 0o644 });
    renameSync(temporary, path);
  }
}
