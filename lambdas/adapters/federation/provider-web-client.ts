import { ServiceUnavailableError } from '../../core/errors';
import type { FederatedProvider } from '../../core/federation/providers';
import type { ProviderWebClient } from '../../core/federation/web-sign-in';
import { appleClientSecret } from './apple-client-secret';
import type { ProviderSettings } from './provider-settings';

export interface ProviderWebClientOptions {
  provider: FederatedProvider;
  /** The issuer whose discovery document names the authorize and token endpoints (locally the simulator). */
  issuer: string;
  settings: ProviderSettings;
  timeoutMs: number;
  fetch?: typeof fetch;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/**
 * The web client of one provider: endpoints from its discovery document
 * (fetched once per instance), the code exchanged with the PKCE verifier and
 * the client's secret (Google: the client secret; Apple: a short-lived ES256
 * JWT of the team key). The first client id is the web one (Apple's services id, Google's web client id).
 */
export async function providerWebClient(options: ProviderWebClientOptions): Promise<ProviderWebClient | undefined> {
  const { provider, settings, timeoutMs } = options;
  const clientId = settings.clientIds[0];
  if (!clientId) return undefined;
  if (provider === 'apple' ? !settings.privateKey : !settings.clientSecret) return undefined;
  const doFetch = options.fetch ?? fetch;
  let discovery: Discovery;
  try {
    const response = await doFetch(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    discovery = (await response.json()) as Discovery;
    if (typeof discovery.authorization_endpoint !== 'string' || typeof discovery.token_endpoint !== 'string') throw new Error('discovery incomplete');
  } catch (error) {
    throw new ServiceUnavailableError('The sign-in provider could not be reached. Please try again shortly.', { cause: error });
  }
  return {
    clientId,
    authorizationEndpoint: discovery.authorization_endpoint,
    async exchangeCode(code, codeVerifier, redirectUri) {
      const clientSecret = provider === 'apple' ? await appleClientSecret(settings, clientId) : (settings.clientSecret as string);
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
        redirect_uri: redirectUri,
        client_id: clientId,
        client_secret: clientSecret,
      });
      const response = await doFetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = (await response.json().catch(() => ({}))) as { id_token?: unknown; refresh_token?: unknown };
      // The provider's error body is not repeated anywhere: it may echo the code.
      if (!response.ok || typeof answer.id_token !== 'string') throw new Error(`token endpoint answered ${response.status}`);
      const refreshToken = typeof answer.refresh_token === 'string' && answer.refresh_token ? answer.refresh_token : undefined;
      return { idToken: answer.id_token, ...(refreshToken ? { refreshToken } : {}) };
    },
  };
}
