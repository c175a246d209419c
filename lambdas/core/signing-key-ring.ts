import { type CryptoKey, importJWK, type JWK } from 'jose';
import type { Clock } from './clock';
import { currentKey, SIGNING_ALGORITHM } from './key-set';
import type { KeySetSource, PublicKeySetSource } from './ports';

type JoseKey = CryptoKey | Uint8Array;

/**
 * The key set as JOSE keys, for every token this service signs (access tokens,
 * invitations): the current private key to sign with, and the public key of
 * any `kid` in the set to verify with. Imported keys are cached per instance;
 * an unknown `kid` re-reads the set (a key another instance rotated in), at
 * most every 30 s, since forged kids cost an attacker nothing.
 */
export class SigningKeyRing {
  private readonly imported = new Map<string, Promise<JoseKey>>();
  private lastReload = 0;

  /** With `publicKeys`, verification reads only that document and never touches the private set. */
  constructor(
    private readonly keys: KeySetSource,
    private readonly clock: Clock,
    private readonly publicKeys?: PublicKeySetSource,
  ) {}

  async signingKey(): Promise<{ kid: string; key: JoseKey }> {
    const current = currentKey(await this.keys.get());
    return { kid: current.kid, key: await this.importOnce(current.kid, current.privateJwk) };
  }

  /** The public key of `kid`, or undefined when no key of the set has that id. */
  async verificationKey(kid: string): Promise<JoseKey | undefined> {
    if (this.publicKeys) return this.publishedKey(this.publicKeys, kid);
    let found = (await this.keys.get()).keys.find((key) => key.kid === kid);
    if (!found && this.clock.now() - this.lastReload > 30_000) {
      this.lastReload = this.clock.now();
      found = (await this.keys.reload()).keys.find((key) => key.kid === kid);
    }
    if (!found) return undefined;
    const { d: _private, ...publicJwk } = found.privateJwk;
    return this.importOnce(`${found.kid}:public`, publicJwk);
  }

  private async publishedKey(source: PublicKeySetSource, kid: string): Promise<JoseKey | undefined> {
    let found = (await source.get()).keys.find((key) => key.kid === kid);
    if (!found && this.clock.now() - this.lastReload > 30_000) {
      this.lastReload = this.clock.now();
      found = (await source.reload()).keys.find((key) => key.kid === kid);
    }
    if (!found || found.d !== undefined) return undefined;
    return this.importOnce(`${kid}:public`, found);
  }

  private importOnce(cacheKey: string, jwk: JWK): Promise<JoseKey> {
    let key = this.imported.get(cacheKey);
    if (!key) {
      key = importJWK(jwk, SIGNING_ALGORITHM);
      this.imported.set(cacheKey, key);
    }
    return key;
  }
}
