/**
 * A simulator of Google's OpenID Connect (developers.google.com/identity
 * "OpenID Connect", "Verify the Google ID token"): discovery, a rotating JWKS
 * at `/oauth2/v3/certs`, `/o/oauth2/v2/auth` with a consent page, and
 * `POST /token` (authorization code + PKCE S256, `client_secret`). ID tokens
 * carry Google's variants: `email_verified` boolean, `hd` for Workspace
 * accounts, `azp`, and `iss` as `https://accounts.google.com` or
 * `accounts.google.com` (here: the simulator's URL, or its host alone).
 */
import { type OidcSimulator, type OidcSimulatorOptions, startOidcSimulator } from './kit/oidc-provider';
import { sameSecret } from './kit/tokens';

export const GOOGLE_PATHS = { authorize: '/o/oauth2/v2/auth', token: '/token', jwks: '/oauth2/v3/certs' } as const;

export interface GoogleIdentity {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  /** The Workspace domain of the account. */
  hd?: string;
  /** The authorized party: the Android/iOS client id that asked for the token (the audience is the server's web client id). */
  azp?: string;
  /** Google puts the raw nonce in the token. */
  nonce?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
}

export interface GoogleSimulator extends OidcSimulator {
  /** The issuer without its scheme, the second form Google's tokens may carry. */
  readonly bareIssuer: string;
  /** The settings that point a LoginBridge stack at this simulator (GOOGLE_*; the secret as it is now: it rotates). */
  stackEnv(): Record<string, string>;
  mintGoogleIdToken(identity: GoogleIdentity, options?: Parameters<OidcSimulator['mintIdToken']>[1]): Promise<string>;
}

export function googleClaims(identity: GoogleIdentity): Record<string, unknown> {
  return {
    sub: identity.sub,
    ...(identity.email !== undefined ? { email: identity.email } : {}),
    ...(identity.emailVerified !== undefined ? { email_verified: identity.emailVerified } : {}),
    ...(identity.hd !== undefined ? { hd: identity.hd } : {}),
    ...(identity.azp !== undefined ? { azp: identity.azp } : {}),
    ...(identity.nonce !== undefined ? { nonce: identity.nonce } : {}),
    ...(identity.name !== undefined ? { name: identity.name } : {}),
    ...(identity.givenName !== undefined ? { given_name: identity.givenName } : {}),
    ...(identity.familyName !== undefined ? { family_name: identity.familyName } : {}),
  };
}

export async function startGoogleSimulator(options: OidcSimulatorOptions = {}): Promise<GoogleSimulator> {
  // Read at each request: setCredentials rotates the secret.
  let started: OidcSimulator | undefined;
  const simulator = await startOidcSimulator(
    {
      name: 'Google',
      paths: GOOGLE_PATHS,
      defaultResponseMode: 'query',
      discovery: { token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'] },
      authenticateClient: async (_clientId, clientSecret) => (sameSecret(clientSecret, started?.clientSecret ?? '') ? true : 'The client secret is wrong.'),
      consentClaims: ({ email, sub, nonce }) => ({ sub, email, email_verified: true, ...(nonce ? { nonce } : {}) }),
    },
    { clientId: 'sim-web-client.apps.googleusercontent.com', ...options },
  );
  started = simulator;
  const extra = {
    bareIssuer: simulator.issuer.replace(/^https?:\/\//, ''),
    stackEnv: () => ({
      GOOGLE_ISSUER: simulator.issuer,
      GOOGLE_JWKS_URL: simulator.jwksUrl,
      GOOGLE_CLIENT_IDS: simulator.clientId,
      GOOGLE_CLIENT_SECRET: simulator.clientSecret,
    }),
    mintGoogleIdToken: (identity: GoogleIdentity, mint?: Parameters<OidcSimulator['mintIdToken']>[1]) => simulator.mintIdToken(googleClaims(identity), mint),
  };
  return Object.defineProperties(simulator, Object.getOwnPropertyDescriptors(extra)) as GoogleSimulator;
}
