import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { epochSeconds, type Clock } from './clock';
import { UnauthenticatedError } from './errors';
import { currentKey, SIGNING_ALGORITHM, type KeySet } from './key-set';
import type { KeySetSource } from './ports';
import { newId } from './random';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  /** The session (refresh-token family) the token belongs to. */
  sid: string;
  client_id?: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

/** Signs and verifies access tokens: ES256 JWTs with `kid`, `iss`, `aud`, `sub`, `iat`, `exp`, `jti`. */
export class AccessTokens {
  private readonly keyCache = new Map<string, Promise<CryptoKey | Uint8Array>>();
  private lastReload = 0;

  constructor(
    private readonly keys: KeySetSource,
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
  ) {}

  async issue(subject: string, sessionId: string, extra: { clientId?: string; scope?: string } = {}): Promise<IssuedAccessToken> {
    const set = await this.keys.get();
    const key = currentKey(set);
    const now = epochSeconds(this.clock);
    const token = await new SignJWT({ sid: sessionId, ...(extra.clientId ? { client_id: extra.clientId } : {}), ...(extra.scope ? { scope: extra.scope } : {}) })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + this.settings.ttlSeconds)
      .setJti(newId())
      .sign(await this.importKey(key.kid, key.privateJwk));
    return { token, expiresIn: this.settings.ttlSeconds };
  }

  /** Full verification: signature with a known key, ES256 only, `exp`, `iss`, `aud`, `sub`. */
  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, (header) => this.verificationKey(header), {
        algorithms: [SIGNING_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.clock.now()),
        clockTolerance: 5,
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new UnauthenticatedError('The access token is missing its subject.');
      return payload as AccessTokenClaims;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('The access token has expired. Please sign in again.', { cause: error });
      if (error instanceof joseErrors.JOSEError) throw new UnauthenticatedError('The access token is not valid.', { cause: error });
      throw error;
    }
  }

  private async verificationKey(header: JWTHeaderParameters): Promise<CryptoKey | Uint8Array> {
    if (header.alg !== SIGNING_ALGORITHM || typeof header.kid !== 'string') throw new UnauthenticatedError('The access token is not valid.');
    let found = (await this.keys.get()).keys.find((key) => key.kid === header.kid);
    // A kid we do not know may be one a newer instance just rotated in: reload, at most every 30 s.
    if (!found && this.clock.now() - this.lastReload > 30_000) {
      this.lastReload = this.clock.now();
      found = (await this.keys.reload()).keys.find((key) => key.kid === header.kid);
    }
    if (!found) throw new UnauthenticatedError('The access token is not valid.');
    const { d: _private, ...publicJwk } = found.privateJwk;
    return this.importKey(`${found.kid}:public`, publicJwk);
  }

  private importKey(cacheKey: string, jwk: JWK): Promise<CryptoKey | Uint8Array> {
    let key = this.keyCache.get(cacheKey);
    if (!key) {
      key = importJWK(jwk, SIGNING_ALGORITHM);
      this.keyCache.set(cacheKey, key);
    }
    return key;
  }
}

export type { KeySet };
