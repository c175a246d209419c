import { createCipheriv, pbkdf2, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import type { ForeignHash, HashFormatName } from '../core/password-formats';

type Verifier<F extends HashFormatName> = (hash: Extract<ForeignHash, { format: F }>, password: string) => Promise<boolean>;

/** Constant time for equal lengths; a length mismatch says nothing about the password. */
function sameBytes(computed: Buffer, stored: Buffer): boolean {
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}

function scryptBytes(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  const maxmem = 128 * (options.N ?? 1) * (options.r ?? 8) + 1024 * 1024;
  return new Promise((done, fail) => scrypt(password, salt, keyLength, { ...options, maxmem }, (error, key) => (error ? fail(error) : done(key))));
}

/**
 * How each foreign format is checked. node:crypto's scrypt and pbkdf2 run on
 * libuv's thread pool; bcryptjs is pure JavaScript (no native binary to ship
 * beside the bundle) and yields to the event loop between rounds.
 */
export const FOREIGN_HASH_VERIFIERS: { [F in HashFormatName]: Verifier<F> } = {
  argon2: (hash, password) => argon2Verify(hash.encoded, password),

  bcrypt: async (hash, password) => {
    const computed = await bcrypt.hash(password, hash.encoded.slice(0, 29));
    return sameBytes(Buffer.from(computed), Buffer.from(hash.encoded));
  },

  scrypt: async (hash, password) => sameBytes(await scryptBytes(password, hash.salt, hash.hash.length, { N: 2 ** hash.logN, r: hash.r, p: hash.p }), hash.hash),

  /**
   * Firebase's modified scrypt: the scrypt key of the password (salt followed
   * by the project's salt separator, N = 2^mem_cost, r = rounds, p = 1)
   * encrypts the project's signer key with AES-256-CTR and a zero IV; the
   * ciphertext is the stored hash.
   */
  'firebase-scrypt': async (hash, password) => {
    const derived = await scryptBytes(password, Buffer.concat([hash.salt, hash.saltSeparator]), 64, { N: 2 ** hash.memCost, r: hash.rounds, p: 1 });
    const cipher = createCipheriv('aes-256-ctr', derived.subarray(0, 32), Buffer.alloc(16));
    return sameBytes(Buffer.concat([cipher.update(hash.signerKey), cipher.final()]), hash.hash);
  },

  pbkdf2: (hash, password) =>
    new Promise((done, fail) =>
      pbkdf2(password, hash.salt, hash.iterations, hash.hash.length, hash.digest, (error, key) => (error ? fail(error) : done(sameBytes(key, hash.hash)))),
    ),
};

export function verifyForeignHash(hash: ForeignHash, password: string): Promise<boolean> {
  return (FOREIGN_HASH_VERIFIERS[hash.format] as Verifier<typeof hash.format>)(hash as never, password);
}
