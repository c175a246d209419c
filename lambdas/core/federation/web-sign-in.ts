import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock';
import { FormRejectedError, LoginBridgeError, MfaRequiredError } from '../errors';
import type { PasskeyAnswer } from '../factors/passkeys';
import { randomToken, safeEqual, sha256 } from '../random';
import type { TokenResponse } from '../token-response';
import type { FederatedSignIn } from './federated-sign-in';
import { expectedNonceClaim, type VerifiedIdentity } from './id-token';
import type { IdentityLinking, LinkFailure, LinkIntent } from './identity-linking';
import type { FederatedIdentityStore } from './ports';
import type { PendingRefreshToken, ProviderTokenRevocation } from './provider-token-revocation';
import type { FederatedProvider } from './providers';

/** How long a started web sign-in waits for the provider's answer (the consent page may take a while). */
export const WEB_SIGN_IN_STATE_TTL_SECONDS = 600;
/** How long the page has to pick the verified sign-in up (and to type its second factor). */
export const WEB_SIGN_IN_HANDOFF_TTL_SECONDS = 300;
/** Second-factor attempts on one hand-off; the factor's own limits apply as well. */
export const WEB_SIGN_IN_HANDOFF_ATTEMPTS = 5;

/** A started authorization code flow, kept server-side under its `state` until the callback takes it (once). */
export interface WebSignInState {
  provider: FederatedProvider;
  /** The raw nonce: the ID token must carry it (Apple: its SHA-256 hex), checked by the same verifier as the native route. */
  nonce: string;
  /** The PKCE code verifier (RFC 7636); only its S256 challenge went to the provider. */
  codeVerifier: string;
  /** SHA-256 of the browser-binding cookie's value: the callback must come from the browser that started. */
  bindingHash: string;
  /** Where the page continues (a path of this service, checked by core/return-to.ts when the flow started). */
  returnTo: string;
  /** A link from /account (a redeemed link ticket): the callback links to this account instead of signing in. */
  link?: LinkIntent;
  expiresAt: number;
}

/** A verified, spent ID token waiting for the page (and its second factor, when the account has one). */
export interface WebSignInHandoff {
  identity: VerifiedIdentity;
  /** Apple's `user` field of the first consent (a new account's name only). */
  firstName?: string;
  lastName?: string;
  /** Apple's refresh token of the code exchange, sealed (kept on the identity after the sign-in, revoked on deletion). */
  refreshToken?: PendingRefreshToken;
  attempts: number;
  expiresAt: number;
}

/** The single-use items of the web flow: one item each, taken by exactly one conditional delete. */
export interface WebSignInStore {
  putState(key: string, state: WebSignInState): Promise<void>;
  consumeState(key: string, now: number): Promise<WebSignInState | undefined>;
  putHandoff(key: string, handoff: WebSignInHandoff): Promise<void>;
  consumeHandoff(key: string, now: number): Promise<WebSignInHandoff | undefined>;
}

/** One provider's web client (the adapter: discovery, the token endpoint, Apple's ES256 client secret). */
export interface ProviderWebClient {
  clientId: string;
  authorizationEndpoint: string;
  /** The authorization code + PKCE verifier -> the ID token (and the refresh token, when the provider gives one); a refusal throws. */
  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<{ idToken: string; refreshToken?: string }>;
}

/** The callback's failure codes (`#federated_error`): the pages say each in their language (scripts/form.ts `ANSWER_TEXTS`). */
export const WEB_SIGN_IN_FAILURES = ['state_invalid', 'provider_refused', 'provider_unavailable', 'invalid_id_token'] as const;
/** A link's failures go to /account as `#link_error` (scripts/linked.ts says them). */
type WebSignInFailure = (typeof WEB_SIGN_IN_FAILURES)[number] | LinkFailure;

const FAILURE_TEXT: Record<WebSignInFailure, string> = {
  state_invalid: 'This sign-in has expired or was already used. Please start again.',
  provider_refused: 'The provider did not complete the sign-in. Please try again.',
  provider_unavailable: 'This sign-in method is not available right now. Please use another way to sign in.',
  invalid_id_token: 'The sign-in with the provider could not be accepted. Please try again.',
  link_invalid: 'This link has expired or was already used. Please start again from your account page.',
  session_ended: 'Your session ended before the provider answered. Please sign in and link again.',
  identity_in_use: 'This sign-in already belongs to another account. Unlink it there (or delete that account) first.',
  already_linked: 'A sign-in of this provider is already linked to your account. Unlink it first to link another one.',
};

/** The web flow could not finish: the page shows the sentence for `code` (and continues at `returnTo` when known). */
export class WebSignInFailedError extends FormRejectedError {
  constructor(
    readonly code: WebSignInFailure,
    readonly returnTo?: string,
    /** The flow was a link from /account: the page reads the failure as a link's (`link_error`). */
    readonly forLink = false,
  ) {
    super(code, FAILURE_TEXT[code]);
  }
}

export interface WebSignInDeps {
  /** undefined: the provider is not configured for the web (no client id). */
  webClientFor(provider: FederatedProvider): Promise<ProviderWebClient | undefined>;
  store: WebSignInStore;
  federatedSignIn: Pick<FederatedSignIn, 'verifiedOnce' | 'signInVerified'>;
  /** Apple's refresh tokens: sealed at the callback, kept on the identity after the sign-in (Apple's "Revoke tokens"). */
  providerTokens: Pick<ProviderTokenRevocation, 'sealPending' | 'savePending'>;
  identities: Pick<FederatedIdentityStore, 'getIdentity'>;
  /** Linking from /account: the start redeems the ticket, the callback links instead of signing in. */
  linking: Pick<IdentityLinking, 'redeemTicket' | 'link'>;
  /** A refresh token that could not be kept: the sign-in stands, the caller's wiring logs and counts it. */
  onRefreshTokenNotKept(reason: string): void;
  /** PUBLIC_BASE_URL (the custom domain): the redirect URI registered at the provider is derived from it. */
  publicBaseUrl: string;
  clock: Clock;
}

/** The redirect URI to register at the provider for a stage (docs/native-sign-in.md, "Web pages"). */
export const webCallbackUri = (publicBaseUrl: string, provider: FederatedProvider): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}/login-flow/web-sign-in/${provider}/callback`;

/**
 * The browser-binding cookie's name, one per flow (two tabs may sign in at
 * once without one cookie overwriting the other's).
 */
export const bindingCookieName = (state: string): string => `lb_ws_${sha256(state).slice(0, 16)}`;

const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** Apple's `user` form field (JSON, first consent only): the name, never trusted beyond a new account's profile. */
export function appleUserName(user: string | undefined): { firstName?: string; lastName?: string } {
  try {
    const parsed = JSON.parse(user ?? '') as { name?: { firstName?: unknown; lastName?: unknown } };
    const pick = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : undefined);
    const firstName = pick(parsed?.name?.firstName);
    const lastName = pick(parsed?.name?.lastName);
    return { ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) };
  } catch {
    return {};
  }
}

/**
 * "Continue with Apple / Google" on the pages: the authorization code flow
 * with PKCE (S256), `state` and `nonce`. The callback verifies the ID token
 * with the native route's verifier and spends it, then hands a one-use
 * hand-off code to the page, which finishes the SAME federated sign-in
 * (linking rules, second factor) with POST /login-flow/web-session.
 */
export class WebSignIn {
  constructor(private readonly deps: WebSignInDeps) {}

  /** A new flow: the provider's authorize URL and the browser-binding value for the cookie. With a link ticket (taken once here), a link. */
  async start(provider: FederatedProvider, returnTo: string, linkTicket?: string): Promise<{ location: string; binding: string; bindingName: string }> {
    const link = linkTicket === undefined ? undefined : await this.deps.linking.redeemTicket(linkTicket, provider);
    if (linkTicket !== undefined && !link) throw new WebSignInFailedError('link_invalid', returnTo, true);
    const client = await this.deps.webClientFor(provider);
    if (!client) throw new WebSignInFailedError('provider_unavailable', link ? returnTo : undefined, !!link);
    const state = randomToken(32);
    const nonce = randomToken(32);
    const codeVerifier = randomToken(48);
    const binding = randomToken(32);
    await this.deps.store.putState(state, {
      provider,
      nonce,
      codeVerifier,
      bindingHash: sha256(binding),
      returnTo,
      ...(link ? { link } : {}),
      expiresAt: epochSeconds(this.deps.clock) + WEB_SIGN_IN_STATE_TTL_SECONDS,
    });
    const url = new URL(client.authorizationEndpoint);
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('redirect_uri', webCallbackUri(this.deps.publicBaseUrl, provider));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', provider === 'apple' ? 'openid email name' : 'openid email');
    // Apple must POST the answer when a scope is asked for (it sends the name only that way).
    if (provider === 'apple') url.searchParams.set('response_mode', 'form_post');
    url.searchParams.set('state', state);
    // The same nonce rule as the native route: Apple's token carries the SHA-256 hex of what we keep, Google's the raw value.
    url.searchParams.set('nonce', expectedNonceClaim(provider, nonce));
    url.searchParams.set('code_challenge', s256(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return { location: url.toString(), binding, bindingName: bindingCookieName(state) };
  }

  /**
   * The provider's answer: the state taken (once, by one conditional delete),
   * the browser binding compared, the code exchanged with the verifier, the
   * ID token verified and spent. Returns where the page continues and its
   * hand-off code; for a link, the provider linked (no hand-off, no tokens).
   */
  async callback(
    provider: FederatedProvider,
    answer: { state?: string; code?: string; error?: string; binding?: string; user?: string },
  ): Promise<{ returnTo: string; handoff: string } | { returnTo: string; linked: FederatedProvider }> {
    const { store, clock } = this.deps;
    const state = answer.state ? await store.consumeState(answer.state, epochSeconds(clock)) : undefined;
    if (!state || state.provider !== provider || !answer.binding || !safeEqual(sha256(answer.binding), state.bindingHash))
      throw new WebSignInFailedError('state_invalid');
    const fail = (code: WebSignInFailure) => new WebSignInFailedError(code, state.returnTo, !!state.link);
    if (answer.error || !answer.code) throw fail('provider_refused');
    const client = await this.deps.webClientFor(provider);
    if (!client) throw fail('provider_unavailable');
    let exchanged: { idToken: string; refreshToken?: string };
    try {
      exchanged = await client.exchangeCode(answer.code, state.codeVerifier, webCallbackUri(this.deps.publicBaseUrl, provider));
    } catch {
      throw fail('provider_refused');
    }
    let identity: VerifiedIdentity;
    try {
      identity = await this.deps.federatedSignIn.verifiedOnce(provider, { idToken: exchanged.idToken, nonce: state.nonce });
    } catch {
      throw fail('invalid_id_token');
    }
    if (state.link) return this.linkVerified(state.link, state.returnTo, identity, client.clientId, exchanged.refreshToken);
    // Only Apple's is kept: it is the one a deletion must revoke. Sealed here, so the hand-off item never holds it in the clear.
    const refreshToken =
      provider === 'apple' && exchanged.refreshToken
        ? await this.deps.providerTokens.sealPending(provider, identity.sub, client.clientId, exchanged.refreshToken)
        : undefined;
    const handoff = randomToken(32);
    await store.putHandoff(sha256(handoff), {
      identity,
      ...(provider === 'apple' ? appleUserName(answer.user) : {}),
      ...(refreshToken ? { refreshToken } : {}),
      attempts: 0,
      expiresAt: epochSeconds(clock) + WEB_SIGN_IN_HANDOFF_TTL_SECONDS,
    });
    return { returnTo: state.returnTo, handoff };
  }

  /**
   * The page finishes the sign-in: the hand-off taken (one conditional delete,
   * so two tabs cannot both start a session), then the SAME federated sign-in
   * as the native route. A refusal the page can answer on the same hand-off (a
   * missing or wrong second factor, or the terms a new account must accept)
   * puts it back, up to WEB_SIGN_IN_HANDOFF_ATTEMPTS times, so the page can ask.
   */
  async complete(
    handoffCode: string,
    factor: { otp?: string; passkey?: PasskeyAnswer; approveTermsOfUse?: boolean; correlationId?: string },
    clientIp: string,
  ): Promise<TokenResponse> {
    const { store, clock } = this.deps;
    const key = sha256(handoffCode);
    const handoff = await store.consumeHandoff(key, epochSeconds(clock));
    if (!handoff) throw new WebSignInFailedError('state_invalid');
    let tokens: TokenResponse;
    try {
      tokens = await this.deps.federatedSignIn.signInVerified(
        handoff.identity,
        { firstName: handoff.firstName, lastName: handoff.lastName, ...factor },
        clientIp,
      );
    } catch (error) {
      if (answerableOnPage(error) && handoff.attempts + 1 < WEB_SIGN_IN_HANDOFF_ATTEMPTS)
        await store.putHandoff(key, { ...handoff, attempts: handoff.attempts + 1 });
      throw error;
    }
    if (handoff.refreshToken) await this.keepRefreshToken(handoff.identity, handoff.refreshToken);
    return tokens;
  }

  /** The link branch of the callback: the identity goes to the state's account (identity-linking.ts); Apple's refresh token is kept on it. */
  private async linkVerified(
    intent: LinkIntent,
    returnTo: string,
    verified: VerifiedIdentity,
    clientId: string,
    providerRefreshToken: string | undefined,
  ): Promise<{ returnTo: string; linked: FederatedProvider }> {
    const linked = await this.deps.linking.link(intent, verified);
    if (typeof linked === 'string') throw new WebSignInFailedError(linked, returnTo, true);
    if (verified.provider === 'apple' && providerRefreshToken) {
      try {
        const pending = await this.deps.providerTokens.sealPending(verified.provider, verified.sub, clientId, providerRefreshToken);
        await this.deps.providerTokens.savePending(linked, pending);
      } catch (error) {
        this.deps.onRefreshTokenNotKept(error instanceof Error ? error.name : 'unknown');
      }
    }
    return { returnTo, linked: verified.provider };
  }

  /** After the sign-in the identity names its account: the token is kept there. A failure never undoes the sign-in. */
  private async keepRefreshToken(verified: VerifiedIdentity, pending: PendingRefreshToken): Promise<void> {
    try {
      const identity = await this.deps.identities.getIdentity(verified.provider, verified.sub);
      if (!identity) return this.deps.onRefreshTokenNotKept('identity_not_linked');
      await this.deps.providerTokens.savePending(identity, pending);
    } catch (error) {
      this.deps.onRefreshTokenNotKept(error instanceof Error ? error.name : 'unknown');
    }
  }
}

/**
 * A refusal the person answers on the page with the same hand-off: the second
 * factor (`mfa_required`, or a refusal naming `otp`), or the terms a NEW
 * account must accept (register's answer naming `approveTermsOfUse`).
 */
const answerableOnPage = (error: unknown): boolean => {
  if (error instanceof MfaRequiredError) return true;
  const fields = error instanceof LoginBridgeError ? (error as { fieldErrors?: Record<string, unknown> }).fieldErrors : undefined;
  return !!fields && ('otp' in fields || 'approveTermsOfUse' in fields);
};
