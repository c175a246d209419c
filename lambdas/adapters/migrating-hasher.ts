import { availableParallelism } from 'node:os';
import { parsePasswordHash } from '../core/password-formats';
import type { PasswordHasher } from '../core/ports';
import type { Argon2Hasher } from './argon2-hasher';
import { verifyForeignHash } from './foreign-hash-verifiers';

/**
 * The password hasher of the running service: new hashes are argon2id at the
 * configured parameters; stored hashes are verified in whatever format they
 * came in with (imported users keep their old system's hash until their first
 * sign-in). Anything that is not argon2id at the current parameters
 * `needsRehash`, so the sign-in that proves the password replaces it.
 */
export class MigratingHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly argon2: Argon2Hasher,
    /** Foreign verifications at once (bcrypt, scrypt and PBKDF2 are CPU-bound like argon2). */
    private readonly maxConcurrent = Math.max(1, availableParallelism()),
  ) {}

  hash(password: string): Promise<string> {
    return this.argon2.hash(password);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    if (stored.startsWith('$argon2')) return this.argon2.verify(stored, password);
    // A hash out of bounds never reaches a verifier: it was refused at import, and one slipped in later must not cost a minute of CPU.
    const parsed = parsePasswordHash(stored);
    if (!parsed.ok) return false;
    try {
      return await this.limited(() => verifyForeignHash(parsed.hash, password));
    } catch {
      return false;
    }
  }

  needsRehash(stored: string): boolean {
    return this.argon2.needsRehash(stored);
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
