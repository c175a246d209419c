import { createHash } from 'node:crypto';
import { type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { type Clock, epochSeconds } from '../clock';
import { isEmail, normalizeEmail } from '../email';
import { InvalidIdTokenError, ServiceUnavailableError } from '../errors';
import { safeEqual, sha256 } from '../random';
import type { FederatedProvider, ProviderVerification } from './providers';

/** Clock difference tolerated on `exp` and `iat` (the phone, the provider and we each keep our own time). */
export const ID_TOKEN_SKEW_SECONDS = 60;

/** A provider's ID token we verified: who the provider says signed in, and what it says about their email. */
export interface VerifiedIdentity {
  provider: FederatedProvider;
  sub: string;
  email?: string;
  /** True only when the provider says so (`email_verified` true or "true"). */
  emailVerified: boolean;
  /** Apple's private relay address (`is_private_email`). */
  isPrivateEmail: boolean;
  /** The token's `exp`: its replay mark is kept until then. */
  expiresAt: number;
  /** The key the one-use mark is written under: provider, sub and the token's jti or its SHA-256. */
  replayKey: string;
  givenName?: string;
  familyName?: string;
}

/** The provider's signing keys (jose's remote key set in the adapter: cached, refetched on an unknown `kid`). */
export type ProviderKeys = JWTVerifyGetKey;

/** The `nonce` claim an app's raw nonce must produce: Apple carries SHA-256 hex of it (the app hashes before asking Apple), Google the raw value. */
export function expectedNonceClaim(provider: FederatedProvider, rawNonce: string): string {
  return provider === 'apple' ? createHash('sha256').update(rawNonce, 'utf8').digest('hex') : rawNonce;
}

/** Apple sends `email_verified` and `is_private_email` as strings ("true") or booleans; anything else is false. */
export const claimIsTrue = (value: unknown): boolean => value === true || value === 'true';

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * Verifies one provider's ID token to the letter of its documents: the
 * signature against the provider's keys (RS256 only), `iss` exactly, `aud` in
 * the allow-list, `exp` and `iat` within ID_TOKEN_SKEW_SECONDS, the nonce
 * (required: without it a token stolen from another app would sign in here),
 * and Google's `hd` when a hosted domain is configured.
 */
export class IdTokenVerifier {
  constructor(
    private readonly settings: ProviderVerification,
    private readonly keys: ProviderKeys,
    private readonly clock: Clock,
  ) {}

  async verify(idToken: string, rawNonce: string): Promise<VerifiedIdentity> {
    const { provider, issuers, clientIds, hostedDomain } = this.settings;
    if (!clientIds.length) throw new InvalidIdTokenError('no client ids configured');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.keys, {
        algorithms: ['RS256'],
        issuer: [...issuers],
        audience: [...clientIds],
        clockTolerance: ID_TOKEN_SKEW_SECONDS,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } catch (error) {
      // The provider's key set could not be fetched (the adapter says so): our problem (503), not the person's token.
      if (error instanceof ServiceUnavailableError) throw error;
      throw new InvalidIdTokenError(error instanceof joseErrors.JOSEError ? error.code : 'malformed');
    }
    const now = epochSeconds(this.clock);
    if ((payload.iat as number) > now + ID_TOKEN_SKEW_SECONDS) throw new InvalidIdTokenError('iat in the future');
    const sub = optionalString(payload.sub);
    if (!sub) throw new InvalidIdTokenError('no sub');
    const nonce = optionalString(payload.nonce);
    if (!rawNonce || !nonce || !safeEqual(nonce, expectedNonceClaim(provider, rawNonce))) throw new InvalidIdTokenError('nonce mismatch');
    if (hostedDomain && payload.hd !== hostedDomain) throw new InvalidIdTokenError('hosted domain');
    const claimed = optionalString(payload.email);
    const email = claimed && isEmail(claimed) ? normalizeEmail(claimed) : undefined;
    return {
      provider,
      sub,
      ...(email ? { email } : {}),
      emailVerified: !!email && claimIsTrue(payload.email_verified),
      isPrivateEmail: claimIsTrue(payload.is_private_email),
      expiresAt: payload.exp as number,
      replayKey: `${provider}#${sub}#${optionalString(payload.jti) ?? sha256(idToken)}`,
      ...(optionalString(payload.given_name) ? { givenName: payload.given_name as string } : {}),
      ...(optionalString(payload.family_name) ? { familyName: payload.family_name as string } : {}),
    };
  }
}
