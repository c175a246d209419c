/**
 * Password hashes made by other systems, read so that imported users can sign
 * in with the password they already have. Parsing and the work-factor bounds
 * live here (pure); the verification of each format is in
 * `adapters/foreign-hash-verifiers.ts`.
 *
 * To add a format: add a member to `ForeignHash`, a `HashFormat` entry to
 * `HASH_FORMATS` (its `parse` returns the parameters, its `bounds` refuses
 * absurd work factors), a verifier under the same `format` key in
 * `FOREIGN_HASH_VERIFIERS`, and a test vector made by the original system in
 * `test/unit/adapters/foreign-hash-verifiers.test.ts`.
 */

export type Pbkdf2Digest = 'sha1' | 'sha256' | 'sha512';

export type ForeignHash =
  | { format: 'argon2'; variant: 'id' | 'i' | 'd'; memoryKiB: number; timeCost: number; parallelism: number; encoded: string }
  | { format: 'bcrypt'; cost: number; encoded: string }
  | { format: 'scrypt'; logN: number; r: number; p: number; salt: Buffer; hash: Buffer }
  | { format: 'firebase-scrypt'; memCost: number; rounds: number; saltSeparator: Buffer; signerKey: Buffer; salt: Buffer; hash: Buffer }
  | { format: 'pbkdf2'; digest: Pbkdf2Digest; iterations: number; salt: Buffer; hash: Buffer };

export type HashFormatName = ForeignHash['format'];

export type ParsedHash = { ok: true; hash: ForeignHash } | { ok: false; problem: string };

interface HashFormat {
  /** Returns undefined when the string is not of this format at all. */
  parse(encoded: string): ForeignHash | string | undefined;
  /** A reason to refuse the parameters (too weak to be real, or too costly to verify), or undefined. */
  bounds(hash: ForeignHash): string | undefined;
}

/**
 * The largest work each verification may cost. A Lambda verifying one
 * password must stay within its memory and a second or so of CPU; a hash
 * beyond these is refused at import rather than timing out at every sign-in.
 */
export const WORK_FACTOR_LIMITS = {
  argon2: { maxMemoryKiB: 128 * 1024, maxTimeCost: 16, maxParallelism: 8 },
  bcrypt: { minCost: 4, maxCost: 14 },
  /** scrypt memory is 128 * N * r bytes. */
  scrypt: { maxMemoryBytes: 128 * 1024 * 1024, maxP: 4 },
  pbkdf2: { minIterations: 1000, maxIterations: 2_000_000 },
  /** Derived-key length of scrypt / PBKDF2 hashes. */
  keyBytes: { min: 16, max: 128 },
} as const;

/**
 * What one verification may cost at a sign-in, like argon2's own time budget:
 * a hash whose verification would take longer is refused at import (and, one
 * that slipped in later, at sign-in) rather than making every sign-in of its
 * user slow, and every guess at it a cheap way to load the function.
 */
export const VERIFY_BUDGET_MS = 1000;

/**
 * Milliseconds of one verification per unit of work, measured with
 * `npm run bench:hash-costs` (figures in docs/performance.md) and
 * rounded up. The work of each format is linear in its factor: bcrypt doubles
 * per cost step; scrypt and argon2 walk their memory (MiB) once per pass;
 * PBKDF2 runs its iterations.
 */
export const VERIFY_COST_MODEL = {
  /** bcryptjs (pure JavaScript) at cost 10. */
  bcryptMsAtCost10: 200,
  /** node:crypto scrypt, per MiB of 128 * N * r * p. */
  scryptMsPerMiB: 14,
  /** node:crypto PBKDF2, per 100,000 iterations. */
  pbkdf2MsPer100k: { sha1: 105, sha256: 65, sha512: 130 },
  /** @node-rs/argon2, per MiB per pass (t). */
  argon2MsPerMiBPass: 1.1,
} as const;

/** The estimated milliseconds one verification of this hash costs (see VERIFY_COST_MODEL). */
export function verificationCostMs(hash: ForeignHash): number {
  const model = VERIFY_COST_MODEL;
  const mib = (bytes: number) => bytes / 1048576;
  switch (hash.format) {
    case 'bcrypt':
      return model.bcryptMsAtCost10 * 2 ** (hash.cost - 10);
    case 'scrypt':
      return model.scryptMsPerMiB * mib(128 * 2 ** hash.logN * hash.r * hash.p);
    case 'firebase-scrypt':
      return model.scryptMsPerMiB * mib(128 * 2 ** hash.memCost * hash.rounds);
    case 'pbkdf2':
      return (model.pbkdf2MsPer100k[hash.digest] * hash.iterations) / 100_000;
    case 'argon2':
      return model.argon2MsPerMiBPass * (hash.memoryKiB / 1024) * hash.timeCost;
  }
}

/** The reason to refuse a hash too slow to verify within the budget, or undefined. */
function budgetProblem(hash: ForeignHash): string | undefined {
  const cost = verificationCostMs(hash);
  return cost > VERIFY_BUDGET_MS
    ? `too slow to verify: about ${Math.round(cost)} ms per sign-in, over the ${VERIFY_BUDGET_MS} ms budget (docs/migration.md)`
    : undefined;
}

const B64 = /^[A-Za-z0-9+/.]+={0,2}$/;

/** Standard base64 with or without padding, or passlib's variant (`.` for `+`). */
function base64Bytes(text: string): Buffer | undefined {
  if (!B64.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/\./g, '+'), 'base64');
  return bytes.length ? bytes : undefined;
}

function keyLengthProblem(hash: Buffer): string | undefined {
  const { min, max } = WORK_FACTOR_LIMITS.keyBytes;
  return hash.length < min || hash.length > max ? `hash of ${hash.length} bytes (expected ${min}-${max})` : undefined;
}

function scryptMemoryProblem(n: number, r: number, p: number): string | undefined {
  const { maxMemoryBytes, maxP } = WORK_FACTOR_LIMITS.scrypt;
  if (128 * n * r > maxMemoryBytes) return `scrypt needs ${Math.round((128 * n * r) / 1048576)} MiB (at most ${maxMemoryBytes / 1048576} MiB)`;
  if (p > maxP) return `scrypt p=${p} (at most ${maxP})`;
  return undefined;
}

const ARGON2 = /^\$argon2(id|i|d)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)(?:,[^$]*)?\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const BCRYPT = /^\$2([aby])\$(\d{2})\$[./A-Za-z0-9]{53}$/;
const SCRYPT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;
const FIREBASE = /^\$firebase-scrypt\$m=(\d+),r=(\d+)\$([^$]+)\$([^$]+)\$([^$]+)\$([^$]+)$/;
/** PHC (`i=N[,l=L]`) and passlib (`N`) forms; passlib's `$pbkdf2$` is SHA-1. */
const PBKDF2_PHC = /^\$pbkdf2(?:-(sha1|sha256|sha512))?\$(?:i=)?(\d+)(?:,l=\d+)?\$([^$]+)\$([^$]+)$/;
/** Django: the salt is text, the hash standard base64. */
const PBKDF2_DJANGO = /^pbkdf2_(sha1|sha256|sha512)\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+=*)$/;

const decodeAll = (...parts: string[]) => {
  const bytes = parts.map(base64Bytes);
  return bytes.every((value): value is Buffer => value !== undefined) ? bytes : undefined;
};

/** The formats we read, in the order they are tried. */
export const HASH_FORMATS: Record<HashFormatName, HashFormat> = {
  argon2: {
    parse(encoded) {
      const match = ARGON2.exec(encoded);
      if (!match) return undefined;
      const [, variant, , m, t, p] = match;
      return { format: 'argon2', variant: variant as 'id' | 'i' | 'd', memoryKiB: Number(m), timeCost: Number(t), parallelism: Number(p), encoded };
    },
    bounds(hash) {
      if (hash.format !== 'argon2') return undefined;
      const limits = WORK_FACTOR_LIMITS.argon2;
      if (hash.parallelism < 1 || hash.parallelism > limits.maxParallelism) return `argon2 p=${hash.parallelism} (1-${limits.maxParallelism})`;
      if (hash.timeCost < 1 || hash.timeCost > limits.maxTimeCost) return `argon2 t=${hash.timeCost} (1-${limits.maxTimeCost})`;
      if (hash.memoryKiB < 8 * hash.parallelism || hash.memoryKiB > limits.maxMemoryKiB)
        return `argon2 m=${hash.memoryKiB} KiB (at most ${limits.maxMemoryKiB})`;
      return undefined;
    },
  },
  bcrypt: {
    parse(encoded) {
      const match = BCRYPT.exec(encoded);
      if (!match) return undefined;
      // $2a$, $2b$ and $2y$ differ only in how old buggy implementations handled non-ASCII; the algorithm is the same.
      return { format: 'bcrypt', cost: Number(match[2]), encoded: `$2b$${encoded.slice(4)}` };
    },
    bounds(hash) {
      if (hash.format !== 'bcrypt') return undefined;
      const { minCost, maxCost } = WORK_FACTOR_LIMITS.bcrypt;
      return hash.cost < minCost || hash.cost > maxCost ? `bcrypt cost ${hash.cost} (${minCost}-${maxCost})` : undefined;
    },
  },
  scrypt: {
    parse(encoded) {
      const match = SCRYPT.exec(encoded);
      if (!match) return undefined;
      const bytes = decodeAll(match[4], match[5]);
      if (!bytes) return 'scrypt salt or hash is not base64';
      return { format: 'scrypt', logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]), salt: bytes[0], hash: bytes[1] };
    },
    bounds(hash) {
      if (hash.format !== 'scrypt') return undefined;
      if (hash.logN < 1 || hash.logN > 30 || hash.r < 1 || hash.p < 1) return `scrypt ln=${hash.logN},r=${hash.r},p=${hash.p}`;
      return scryptMemoryProblem(2 ** hash.logN, hash.r, hash.p) ?? keyLengthProblem(hash.hash);
    },
  },
  'firebase-scrypt': {
    parse(encoded) {
      const match = FIREBASE.exec(encoded);
      if (!match) return undefined;
      const bytes = decodeAll(match[3], match[4], match[5], match[6]);
      if (!bytes) return 'Firebase scrypt parameters are not base64';
      const [saltSeparator, signerKey, salt, hash] = bytes;
      return { format: 'firebase-scrypt', memCost: Number(match[1]), rounds: Number(match[2]), saltSeparator, signerKey, salt, hash };
    },
    bounds(hash) {
      if (hash.format !== 'firebase-scrypt') return undefined;
      if (hash.memCost < 1 || hash.memCost > 30 || hash.rounds < 1) return `Firebase scrypt mem_cost=${hash.memCost}, rounds=${hash.rounds}`;
      if (hash.hash.length !== hash.signerKey.length) return 'Firebase scrypt hash and signer key differ in length';
      return scryptMemoryProblem(2 ** hash.memCost, hash.rounds, 1);
    },
  },
  pbkdf2: {
    parse(encoded) {
      const django = PBKDF2_DJANGO.exec(encoded);
      if (django) {
        const hash = base64Bytes(django[4]);
        if (!hash) return 'Django PBKDF2 hash is not base64';
        return { format: 'pbkdf2', digest: django[1] as Pbkdf2Digest, iterations: Number(django[2]), salt: Buffer.from(django[3], 'utf8'), hash };
      }
      const phc = PBKDF2_PHC.exec(encoded);
      if (!phc) return undefined;
      const bytes = decodeAll(phc[3], phc[4]);
      if (!bytes) return 'PBKDF2 salt or hash is not base64';
      return { format: 'pbkdf2', digest: (phc[1] ?? 'sha1') as Pbkdf2Digest, iterations: Number(phc[2]), salt: bytes[0], hash: bytes[1] };
    },
    bounds(hash) {
      if (hash.format !== 'pbkdf2') return undefined;
      const { minIterations, maxIterations } = WORK_FACTOR_LIMITS.pbkdf2;
      if (hash.iterations < minIterations || hash.iterations > maxIterations)
        return `PBKDF2 with ${hash.iterations} iterations (${minIterations}-${maxIterations})`;
      return keyLengthProblem(hash.hash);
    },
  },
};

/** Reads a stored or imported hash: which format, which parameters, and whether they are within bounds. */
export function parsePasswordHash(encoded: string): ParsedHash {
  if (encoded.length > 1024) return { ok: false, problem: 'hash longer than 1024 characters' };
  for (const format of Object.values(HASH_FORMATS)) {
    const parsed = format.parse(encoded);
    if (parsed === undefined) continue;
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    const problem = format.bounds(parsed);
    if (problem) return { ok: false, problem: `work factor out of bounds: ${problem}` };
    const slow = budgetProblem(parsed);
    return slow ? { ok: false, problem: slow } : { ok: true, hash: parsed };
  }
  return { ok: false, problem: 'unknown hash format (argon2, bcrypt, scrypt, Firebase scrypt, PBKDF2 and Django PBKDF2 are read)' };
}

/** Firebase's project-wide "password hash parameters" (Authentication > Users > Password hash parameters). */
export interface FirebaseScryptProject {
  base64SignerKey: string;
  base64SaltSeparator: string;
  rounds: number;
  memCost: number;
}

/**
 * A Firebase user's hash and salt (as `auth:export` writes them) with the
 * project's parameters, in one self-contained string. The signer key is part
 * of it: without the key the hash cannot be checked, and with the key it is as
 * strong as the scrypt under it, like every other imported hash.
 */
export function encodeFirebaseScrypt(project: FirebaseScryptProject, base64Hash: string, base64Salt: string): string {
  return `$firebase-scrypt$m=${project.memCost},r=${project.rounds}$${project.base64SaltSeparator}$${project.base64SignerKey}$${base64Salt}$${base64Hash}`;
}
