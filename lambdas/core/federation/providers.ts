/**
 * The identity providers a person may sign in with natively (docs/native-sign-in.md):
 * an app sends the provider's ID token and gets our session. Their
 * credentials live in one secret each (core/partners.ts PARTNER_SECRETS).
 */
export const FEDERATED_PROVIDERS = ['apple', 'google'] as const;
export type FederatedProvider = (typeof FEDERATED_PROVIDERS)[number];

export const isFederatedProvider = (value: string): value is FederatedProvider => (FEDERATED_PROVIDERS as readonly string[]).includes(value);

/** The production issuers; a local stack trusts its simulators' URLs instead. */
export const PRODUCTION_ISSUERS: Record<FederatedProvider, readonly string[]> = {
  apple: ['https://appleid.apple.com'],
  // Google documents both forms of its issuer.
  google: ['https://accounts.google.com', 'accounts.google.com'],
};

export const PRODUCTION_JWKS_URLS: Record<FederatedProvider, string> = {
  apple: 'https://appleid.apple.com/auth/keys',
  google: 'https://www.googleapis.com/oauth2/v3/certs',
};

/** What verifying one provider's tokens needs. */
export interface ProviderVerification {
  provider: FederatedProvider;
  /** Accepted `iss` values, exactly. */
  issuers: readonly string[];
  /** Accepted `aud` values: iOS bundle ids, Apple service ids, Android/iOS/web client ids. */
  clientIds: readonly string[];
  /** Google: the Workspace domain (`hd`) every account must belong to. */
  hostedDomain?: string;
}
