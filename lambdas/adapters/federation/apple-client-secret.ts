import { importPKCS8, SignJWT } from 'jose';
import { ServiceUnavailableError } from '../../core/errors';
import type { ProviderSettings } from './provider-settings';

/** The audience Apple requires in a client secret JWT. */
export const APPLE_AUDIENCE = 'https://appleid.apple.com';

/** A fresh client secret per call lives this long (Apple allows up to six months; a short one is worth nothing stolen). */
const CLIENT_SECRET_SECONDS = 300;

/**
 * Apple's client secret ("Creating a client secret"), for the token and the
 * revoke endpoints: an ES256 JWT signed with the team's key, `kid` header =
 * key id, `iss` team id, `sub` client id, `aud` https://appleid.apple.com,
 * `iat`, `exp` five minutes on. Made per call, never stored.
 */
export async function appleClientSecret(
  settings: Pick<ProviderSettings, 'teamId' | 'keyId' | 'privateKey'>,
  clientId: string,
  nowMs = Date.now(),
): Promise<string> {
  if (!settings.teamId || !settings.keyId || !settings.privateKey) throw new ServiceUnavailableError('Sign in with Apple is not fully configured.');
  const key = await importPKCS8(settings.privateKey, 'ES256');
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: settings.keyId })
    .setIssuer(settings.teamId)
    .setSubject(clientId)
    .setAudience(APPLE_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + CLIENT_SECRET_SECONDS)
    .sign(key);
}
