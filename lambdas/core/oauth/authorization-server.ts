import type { AccessTokens } from '../access-tokens';
import type { VerifiedSignIn } from '../email-verification';
import { EmailNotVerifiedError, InvalidRefreshTokenError, OAuthError, UnauthenticatedError } from '../errors';
import type { FederatedSignIn } from '../federation/federated-sign-in';
import { FEDERATED_PROVIDERS, isFederatedProvider } from '../federation/providers';
import type { SessionStore } from '../ports';
import { refreshTokens } from '../refresh';
import type { Sessions } from '../sessions';
import type { TokenResponse } from '../token-response';
import type { DeviceFlow } from './device-flow';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const REFRESH_TOKEN_GRANT = 'refresh_token';
/** RFC 8693 token exchange: a provider's ID token (docs/native-sign-in.md) for our tokens. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

export interface AuthorizationServerSettings {
  issuer: string;
  /** Public base URL of the API, without a trailing slash: endpoint URLs are built from it. */
  baseUrl: string;
}

export interface AuthorizationServerDeps {
  devices: DeviceFlow;
  sessions: Sessions;
  tokens: AccessTokens;
  accounts: Pick<SessionStore, 'revokeSession'>;
  /** With LOGIN_REQUIRES_VERIFIED_EMAIL: the refresh grant refuses an unverified address, as the Login Flow's refresh does. */
  verifiedSignIn?: VerifiedSignIn;
  /** The token exchange grant: the native sign-in use case, the same rules as POST /login-flow/login/{provider}. */
  federatedSignIn?: Pick<FederatedSignIn, 'signIn'>;
}

export interface TokenRequest {
  grant_type: string;
  client_id?: string;
  device_code?: string;
  refresh_token?: string;
  /** Token exchange: the provider's ID token, its type, the provider (`apple` or `google`) and the raw nonce. */
  subject_token?: string;
  subject_token_type?: string;
  subject_issuer?: string;
  nonce?: string;
  /** The caller's address: the exchange is counted per address like a sign-in. */
  clientIp?: string;
}

export interface RevocationRequest {
  token: string;
  token_type_hint?: string;
  client_id?: string;
}

/** RFC 8414 metadata: everything a stock OAuth client needs to find the endpoints. */
export function authorizationServerMetadata(settings: AuthorizationServerSettings): Record<string, unknown> {
  const base = settings.baseUrl;
  return {
    issuer: settings.issuer,
    token_endpoint: `${base}/oauth/token`,
    device_authorization_endpoint: `${base}/oauth/device_authorization`,
    revocation_endpoint: `${base}/oauth/revoke`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: [DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT, TOKEN_EXCHANGE_GRANT],
    // There is no authorization endpoint, so no response type (RFC 8414 §2 still asks for the member).
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
  };
}

/**
 * The token and revocation endpoints. Clients are public (no secret), so a
 * client id identifies a client but proves nothing; what protects a refresh
 * token is rotation with reuse detection, as on the Login Flow.
 */
export class AuthorizationServer {
  constructor(
    private readonly deps: AuthorizationServerDeps,
    readonly settings: AuthorizationServerSettings,
  ) {}

  metadata(): Record<string, unknown> {
    return authorizationServerMetadata(this.settings);
  }

  async token(request: TokenRequest): Promise<TokenResponse> {
    if (request.grant_type === DEVICE_CODE_GRANT) {
      if (!request.device_code) throw new OAuthError('invalid_request', 'device_code is required for this grant_type.');
      return this.deps.devices.poll(request.client_id, request.device_code);
    }
    if (request.grant_type === REFRESH_TOKEN_GRANT) {
      if (!request.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required for this grant_type.');
      return this.refresh(request.refresh_token, request.client_id);
    }
    if (request.grant_type === TOKEN_EXCHANGE_GRANT && this.deps.federatedSignIn) return this.exchange(request, this.deps.federatedSignIn);
    throw new OAuthError('unsupported_grant_type', `grant_type must be ${DEVICE_CODE_GRANT}, ${REFRESH_TOKEN_GRANT} or ${TOKEN_EXCHANGE_GRANT}.`);
  }

  /**
   * RFC 8693 with a provider's ID token as the subject token: `subject_issuer`
   * names the provider (`apple`, `google`), `nonce` is the app's raw nonce. A
   * client id, when sent, must be registered and the session is bound to it,
   * as the device grant's; refusals are `invalid_grant` (docs/native-sign-in.md).
   */
  private async exchange(request: TokenRequest, federated: Pick<FederatedSignIn, 'signIn'>): Promise<TokenResponse> {
    if (request.subject_token_type !== ID_TOKEN_TYPE) throw new OAuthError('invalid_request', `subject_token_type must be ${ID_TOKEN_TYPE}.`);
    if (!request.subject_token) throw new OAuthError('invalid_request', 'subject_token is required for this grant_type.');
    if (!request.subject_issuer || !isFederatedProvider(request.subject_issuer))
      throw new OAuthError('invalid_request', `subject_issuer must name the provider: ${FEDERATED_PROVIDERS.join(' or ')}.`);
    if (!request.nonce) throw new OAuthError('invalid_request', 'nonce (the raw nonce the app generated) is required for this grant_type.');
    const client = request.client_id !== undefined ? this.deps.devices.client(request.client_id) : undefined;
    return federated.signIn(request.subject_issuer, { idToken: request.subject_token, nonce: request.nonce }, request.clientIp ?? '', client?.clientId);
  }

  /**
   * RFC 6749 §6. A client id, when sent, must be registered and match the
   * client the family was issued to; families from the Login Flow belong to no
   * client, so any registered client (or none) may refresh them.
   */
  /**
   * The refresh use case (core/refresh.ts), its refusals told the OAuth way.
   * RFC 6749 §5.2 has no `access_denied` for the token endpoint (RFC 8628 adds
   * it for the device_code grant only), so an unverified address is
   * `invalid_grant`, whose description says why; a client that drops the token
   * and starts a new TV sign-in meets the same rule on /activate, where the
   * page explains it and sends a new link. The client is part of the
   * rotation's condition, and a mismatch is decided before anything is
   * revoked, so a mismatched client cannot burn (or reuse-revoke) someone
   * else's token.
   */
  private async refresh(refreshToken: string, clientId: string | undefined): Promise<TokenResponse> {
    const client = clientId !== undefined ? this.deps.devices.client(clientId) : undefined;
    try {
      return await refreshTokens(this.deps, refreshToken, client?.clientId);
    } catch (error) {
      if (error instanceof InvalidRefreshTokenError) throw new OAuthError('invalid_grant', error.message);
      if (error instanceof EmailNotVerifiedError) throw new OAuthError('invalid_grant', `Email address not confirmed. ${error.message}`);
      if (error instanceof UnauthenticatedError) throw new OAuthError('invalid_grant', new InvalidRefreshTokenError('unknown').message);
      throw error;
    }
  }

  /**
   * RFC 7009: a refresh token ends its whole family; an access token ends the
   * session (family) it was issued for, though it stays valid itself until it
   * expires. Unknown, expired or malformed tokens are not an error.
   */
  async revoke(request: RevocationRequest): Promise<void> {
    if (request.client_id !== undefined) this.deps.devices.client(request.client_id);
    const accessFirst = request.token_type_hint === 'access_token' || (request.token_type_hint !== 'refresh_token' && looksLikeJwt(request.token));
    if (accessFirst) {
      if (!(await this.revokeAccessToken(request.token))) await this.deps.sessions.revoke(request.token);
    } else {
      await this.deps.sessions.revoke(request.token);
      await this.revokeAccessToken(request.token);
    }
  }

  private async revokeAccessToken(token: string): Promise<boolean> {
    if (!looksLikeJwt(token)) return false;
    try {
      const claims = await this.deps.tokens.verify(token);
      await this.deps.accounts.revokeSession(claims.sub, claims.sid);
      return true;
    } catch (error) {
      if (error instanceof UnauthenticatedError) return false;
      throw error;
    }
  }
}

/** A JWS compact serialisation: a refresh token has three dot-separated parts too, but never a JSON header. */
function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && token.split('.').length === 3;
}
