import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { OverloadedError } from '../core/errors';
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
export interface Argon2QueueOptions {
  /** Hashes computed at once; more wait their turn. */
  maxConcurrent?: number;
  /**
   * How long a caller may wait for its hash to finish (queue plus work), in
   * ms: the client's patience. Work that cannot finish in time is refused at
   * once with OverloadedError (503 + Retry-After), not queued to time out.
   */
  budgetMs?: number;
}

/** What a hash costs before the first one has been timed (OWASP parameters on one core: ~15-60 ms). */
const FIRST_GUESS_MS = 50;

/**
 * argon2id through the native @node-rs/argon2 (about 7x faster than WASM on
 * Lambda, so the same latency buys stronger parameters). `verify` compares in
 * constant time inside the library.
 *
 * The queue in front of it is bounded by time: from the measured cost of a
 * hash (a moving average) and the work ahead, a new request that could not
 * finish within `budgetMs` is shed before it waits, and a queued one whose
 * wait already used up the budget is shed when its turn comes (its client has
 * likely given up). Shedding is a designed answer, never a 500 or a dropped
 * connection.
 */
export class Argon2Hasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private averageMs = FIRST_GUESS_MS;
  private readonly maxConcurrent: number;
  private readonly budgetMs: number;

  /**
   * @param queue `maxConcurrent` defaults to one per CPU: more threads than
   * cores only slow every hash down and starve the event loop (and, locally,
   * DynamoDB Local) of CPU. `budgetMs` defaults to 5 s.
   */
  constructor(
    private readonly parameters: Argon2Parameters = OWASP_ARGON2ID,
    queue: number | Argon2QueueOptions = {},
  ) {
    const options = typeof queue === 'number' ? { maxConcurrent: queue } : queue;
    this.maxConcurrent = options.maxConcurrent ?? Math.max(1, availableParallelism());
    this.budgetMs = options.budgetMs ?? 5000;
  }

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password, { algorithm: ARGON2ID, ...this.parameters }));
  }

  async verify(hashed: string, password: string): Promise<boolean> {
    // Outside the try: an overload is an answer of its own, not a wrong password.
    const release = await this.acquire();
    try {
      return await this.timed(() => verify(hashed, password));
    } catch {
      // A corrupt or foreign hash string must read as "wrong password", never as a 500.
      return false;
    } finally {
      release();
    }
  }

  /** Work waiting or running now; for tests and metrics. */
  get queued(): number {
    return this.running + this.waiting.length;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await this.timed(work);
    } finally {
      release();
    }
  }

  private async acquire(): Promise<() => void> {
    const ahead = this.running + this.waiting.length;
    // Rounds of work before a slot frees for us, then our own.
    const expectedMs = (Math.floor(ahead / this.maxConcurrent) + 1) * this.averageMs;
    if (ahead >= this.maxConcurrent && expectedMs > this.budgetMs) throw new OverloadedError(Math.max(1, Math.ceil((expectedMs - this.budgetMs) / 1000)));
    if (this.running >= this.maxConcurrent) {
      const queuedAt = performance.now();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (performance.now() - queuedAt + this.averageMs > this.budgetMs) {
        this.waiting.shift()?.();
        throw new OverloadedError(1);
      }
    }
    this.running += 1;
    return () => {
      this.running -= 1;
      this.waiting.shift()?.();
    };
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
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
