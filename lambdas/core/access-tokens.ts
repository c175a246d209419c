import { type CryptoKey, type JWTHeaderParameters, type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type Clock, epochSeconds } from './clock';
import { UnauthenticatedError } from './errors';
import { type KeySet, SIGNING_ALGORITHM } from './key-set';
import type { KeySetSource, PublicKeySetSource } from './ports';
import { newId } from './random';
import { SigningKeyRing } from './signing-key-ring';

/** How far our clocks (and API Gateway's) may disagree: tolerated on `exp`, and on an `iat` in the future. */
export const CLOCK_SKEW_SECONDS = 5;

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
  /** OIDC's claim: whether the address was proven when the token was issued (decisions re-read the profile). */
  email_verified?: boolean;
  /** RFC 8176 authentication method references of the sign-in: `pwd`; `otp` and `mfa` with a second factor. */
  amr?: string[];
  /** When the user signed in (OIDC Core §2), epoch seconds; refreshed tokens keep the sign-in's. */
  auth_time?: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

/** Signs and verifies access tokens: ES256 JWTs with `kid`, `iss`, `aud`, `sub`, `iat`, `exp`, `jti`. */
export class AccessTokens {
  private readonly ring: SigningKeyRing;

  constructor(
    keys: KeySetSource,
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
    /** Where verification reads the public keys; without it, the public halves of `keys`. */
    publicKeys?: PublicKeySetSource,
  ) {
    this.ring = new SigningKeyRing(keys, clock, publicKeys);
  }

  async issue(
    subject: string,
    sessionId: string,
    extra: { clientId?: string; scope?: string; emailVerified?: boolean; amr?: string[]; authTime?: number } = {},
  ): Promise<IssuedAccessToken> {
    const { kid, key } = await this.ring.signingKey();
    const now = epochSeconds(this.clock);
    const token = await new SignJWT({
      sid: sessionId,
      ...(extra.clientId ? { client_id: extra.clientId } : {}),
      ...(extra.scope ? { scope: extra.scope } : {}),
      ...(extra.emailVerified !== undefined ? { email_verified: extra.emailVerified } : {}),
      ...(extra.amr ? { amr: extra.amr } : {}),
      ...(extra.authTime !== undefined ? { auth_time: extra.authTime } : {}),
    })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + this.settings.ttlSeconds)
      .setJti(newId())
      .sign(key);
    return { token, expiresIn: this.settings.ttlSeconds };
  }

  /**
   * Full verification: signature with a known key, ES256 only, `typ: at+jwt`
   * (RFC 9068), `exp`, `iss`, `aud`, `sub`, and an `iat` no later than now
   * plus the clock skew. `expiredGraceSeconds` accepts a token that expired at
   * most that long ago (only for callers that then check its session).
   */
  async verify(token: string, options: { expiredGraceSeconds?: number } = {}): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, (header) => this.verificationKey(header), {
        algorithms: [SIGNING_ALGORITHM],
        typ: 'at+jwt',
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.clock.now()),
        clockTolerance: Math.max(CLOCK_SKEW_SECONDS, options.expiredGraceSeconds ?? 0),
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new UnauthenticatedError('The access token is missing its subject.');
      if (typeof payload.iat !== 'number' || payload.iat > epochSeconds(this.clock) + CLOCK_SKEW_SECONDS)
        throw new UnauthenticatedError('The access token is not valid.');
      return payload as AccessTokenClaims;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('The access token has expired. Please sign in again.', { cause: error });
      if (error instanceof joseErrors.JOSEError) throw new UnauthenticatedError('The access token is not valid.', { cause: error });
      throw error;
    }
  }

  private async verificationKey(header: JWTHeaderParameters): Promise<CryptoKey | Uint8Array> {
    const key = header.alg === SIGNING_ALGORITHM && typeof header.kid === 'string' ? await this.ring.verificationKey(header.kid) : undefined;
    if (!key) throw new UnauthenticatedError('The access token is not valid.');
    return key;
  }
}

export type { KeySet };
