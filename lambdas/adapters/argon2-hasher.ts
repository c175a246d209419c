import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import type { PasswordHasher } from '../core/ports';

export interface Argon2Parameters {
  /** KiB */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet, argon2id option 2: m=19 MiB, t=2, p=1. */
export const OWASP_ARGON2ID: Argon2Parameters = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** @node-rs/argon2's Algorithm.Argon2id; a literal because the enum is `const` and isolatedModules cannot inline it. */
const ARGON2ID = 2;

const PHC = /^\$argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * argon2id through the native @node-rs/argon2 (about 7x faster than WASM on
 * Lambda, so the same latency buys stronger parameters). `verify` compares in
 * constant time inside the library.
 */
export class Argon2Hasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * @param maxConcurrent hashes computed at once; more wait their turn. One
   * per CPU: more threads than cores only slow every hash down and starve the
   * event loop (and, locally, DynamoDB Local) of CPU.
   */
  constructor(
    private readonly parameters: Argon2Parameters = OWASP_ARGON2ID,
    private readonly maxConcurrent = Math.max(1, availableParallelism()),
  ) {}

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password, { algorithm: ARGON2ID, ...this.parameters }));
  }

  async verify(hashed: string, password: string): Promise<boolean> {
    try {
      return await this.limited(() => verify(hashed, password));
    } catch {
      // A corrupt or foreign hash string must read as "wrong password", never as a 500.
      return false;
    }
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

  needsRehash(hashed: string): boolean {
    const match = PHC.exec(hashed);
    if (!match) return true;
    const [, variant, version, memory, time, lanes] = match;
    return (
      variant !== 'id' ||
      Number(version) < 19 ||
      Number(memory) < this.parameters.memoryCost ||
      Number(time) < this.parameters.timeCost ||
      Number(lanes) < this.parameters.parallelism
    );
  }
}
