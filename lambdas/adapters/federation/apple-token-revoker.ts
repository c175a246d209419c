import { ServiceUnavailableError } from '../../core/errors';
import type { AppleTokenRevoker } from '../../core/federation/provider-token-revocation';
import { appleClientSecret } from './apple-client-secret';
import type { ProviderSettings } from './provider-settings';

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
