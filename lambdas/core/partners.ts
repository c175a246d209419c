/**
 * The partner registry: the one list of partners. Routes' secret grants, the
 * hand-off clients, the login page, the console's partner identities, the
 * OpenAPI enum, the local simulators and the stack's partner secrets
 * (lib/config.ts) derive from it.
 */

/** The SSO partners users are handed off to, the login page's default first. */
export const SSO_PARTNERS = ['astrato', 'acronis'] as const;
export type SsoPartner = (typeof SSO_PARTNERS)[number];

/** How each SSO partner is named to people and in the local variables (`ASTRATO_CLIENT_ID`, ...). */
export const SSO_PARTNER_NAMES = {
  astrato: { title: 'Astrato', envPrefix: 'ASTRATO' },
  acronis: { title: 'Acronis', envPrefix: 'ACRONIS' },
} as const satisfies Record<SsoPartner, { title: string; envPrefix: string }>;

/** A partner as errors and logs name it. */
export type PartnerName = (typeof SSO_PARTNER_NAMES)[SsoPartner]['title'] | 'Auth0 sandbox' | 'Auth0 production';

/** The Auth0 tenants the developer portal manages clients in, one Management API secret each. */
export const AUTH0_TENANT_SECRETS = ['auth0-sandbox', 'auth0-production'] as const;

/** The sign-in providers of native sign-in (core/federation/providers.ts), one settings secret each. */
export const SIGN_IN_PROVIDER_SECRETS = ['apple', 'google'] as const;

/** Partner credentials kept in Secrets Manager, one secret each. */
export const PARTNER_SECRETS = [...SSO_PARTNERS, ...AUTH0_TENANT_SECRETS, ...SIGN_IN_PROVIDER_SECRETS] as const;
export type PartnerSecret = (typeof PARTNER_SECRETS)[number];
