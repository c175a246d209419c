import { importPKCS8, SignJWT } from 'jose';
import { ServiceUnavailableError } from '../../core/errors';
import type { AppleTokenRevoker } from '../../core/federation/provider-token-revocation';
import type { ProviderSettings } from './provider-settings';

/** The audience Apple requires in a client secret JWT. */
export const APPLE_AUDIENCE = 'https://appleid.apple.com';

/** A client secret lives at most this long: made per call, never stored. */
const CLIENT_SECRET_SECONDS = 300;

/**
 * Apple's client secret ("Creating a client secret"): an ES256 JWT signed with
 * the team's key, `kid` header = key id, `iss` team id, `sub` client id,
 * `aud` https://appleid.apple.com, `iat`, `exp` five minutes on.
 */
export async function appleClientSecret(
  settings: Pick<ProviderSettings, 'teamId' | 'keyId' | 'privateKey'>,
  clientId: string,
  nowMs = Date.now(),
): Promise<string> {
  if (!settings.teamId || !settings.keyId || !settings.privateKey) throw new ServiceUnavailableError('The Apple team id, key id or key is not configured.');
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

/** POST /auth/revoke with `token_type_hint=refresh_token`, within `timeoutMs` (the function's partner budget). */
export class HttpAppleTokenRevoker implements AppleTokenRevoker {
  constructor(
    private readonly revokeUrl: string,
    private readonly settings: () => Promise<ProviderSettings>,
    private readonly timeoutMs: number,
  ) {}

  async revokeRefreshToken(clientId: string, refreshToken: string): Promise<void> {
    const clientSecret = await appleClientSecret(await this.settings(), clientId);
    const body = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, token: refreshToken, token_type_hint: 'refresh_token' });
    let response: Response;
    try {
      response = await fetch(this.revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer();
    } catch (error) {
      throw new ServiceUnavailableError('Apple could not be reached to revoke a token.', { cause: error });
    }
    if (!response.ok) throw new ServiceUnavailableError(`Apple refused the token revocation (${response.status}).`);
  }
}
