import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors } from 'jose';
import { ServiceUnavailableError } from '../../core/errors';

export interface ProviderKeysOptions {
  /** The whole fetch, within the function's time budget (time-budget.ts). */
  timeoutMs: number;
  /** After a fetch, an unknown `kid` refetches only after this long: a flood of made-up kids costs the provider one request per window. */
  cooldownMs?: number;
  /** Keys are refetched after this long even when every kid is known. */
  cacheMaxAgeMs?: number;
}

/**
 * A provider's signing keys: jose's remote key set (cached per instance,
 * refetched on an unknown `kid`, which is how a rotation arrives). A key set
 * that cannot be fetched is our dependency failing (503), not a bad token;
 * a kid the fresh set still lacks is the token's fault (jose's no-matching-key).
 */
export function remoteProviderKeys(jwksUrl: string, options: ProviderKeysOptions): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(new URL(jwksUrl), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
  });
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys || error instanceof joseErrors.JOSENotSupported)
        throw error;
      throw new ServiceUnavailableError('The sign-in provider could not be reached. Please try again shortly.', { cause: error });
    }
  };
}
