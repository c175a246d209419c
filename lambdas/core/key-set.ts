import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { newId } from './random';

export const SIGNING_ALGORITHM = 'ES256';

export interface StoredKey {
  kid: string;
  /** Private JWK (EC P-256); its public half is published in the JWKS. */
  privateJwk: JWK;
  createdAt: string;
}

/**
 * The signing key set as stored in Secrets Manager (or `.local/` locally).
 *
 * `keys[0]` is the *next* key: published in the JWKS for a whole rotation
 * period before anything is signed with it, so no verifier with a cached JWKS
 * ever meets an unknown `kid`. `keys[1]` is the *current* key, the only one
 * that signs. `keys[2]`, when present, is the *previous* key, kept so tokens it
 * signed verify until they expire.
 */
export interface KeySet {
  version: 1;
  keys: StoredKey[];
}

export async function generateStoredKey(now: Date): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { kid: newId(), privateJwk: { ...privateJwk, alg: SIGNING_ALGORITHM, use: 'sig' }, createdAt: now.toISOString() };
}

/** A fresh set: a next key and a current key. */
export async function newKeySet(now: Date): Promise<KeySet> {
  return { version: 1, keys: [await generateStoredKey(now), await generateStoredKey(now)] };
}

/** One rotation: a new next key; next becomes current; current becomes previous; previous is dropped. */
export async function rotateKeySet(set: KeySet | undefined, now: Date): Promise<KeySet> {
  if (!set || set.keys.length < 2) return newKeySet(now);
  return { version: 1, keys: [await generateStoredKey(now), set.keys[0], set.keys[1]] };
}

export function parseKeySet(text: string | undefined): KeySet | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as KeySet;
    if (parsed?.version !== 1 || !Array.isArray(parsed.keys) || parsed.keys.length < 2) return undefined;
    if (!parsed.keys.every((key) => typeof key.kid === 'string' && typeof key.privateJwk?.d === 'string')) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

export function currentKey(set: KeySet): StoredKey {
  return set.keys[1];
}

/** The public halves of every key in the set, as a JWKS (RFC 7517). */
export function publicJwks(set: KeySet): { keys: JWK[] } {
  return {
    keys: set.keys.map(({ kid, privateJwk }) => {
      const { d: _private, ...publicJwk } = privateJwk;
      return { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    }),
  };
}

/**
 * What every function that only verifies reads: the public JWKs of the key
 * set (next, current, previous), never a private key. The rotation function
 * writes it together with each new key set.
 */
export interface PublicKeySet {
  version: 1;
  keys: JWK[];
}

export function publicKeySet(set: KeySet): PublicKeySet {
  return { version: 1, keys: publicJwks(set).keys };
}

export function parsePublicKeySet(text: string | undefined): PublicKeySet | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as PublicKeySet;
    if (parsed?.version !== 1 || !Array.isArray(parsed.keys) || !parsed.keys.length) return undefined;
    // A private key in the public document would defeat the split: refuse the document rather than use it.
    if (!parsed.keys.every((key) => typeof key.kid === 'string' && typeof key.x === 'string' && key.d === undefined)) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}
