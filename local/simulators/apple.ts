/**
 * A simulator of Sign in with Apple (developer.apple.com "Authenticating users
 * with Sign in with Apple", "Generate and validate tokens", "Revoke tokens"):
 * discovery, `GET /auth/keys` (rotating), `/auth/authorize` (consent page,
 * `response_mode=form_post`), `POST /auth/token` and `POST /auth/revoke`,
 * server-to-server notifications it signs and POSTs (`sendNotification`),
 * whose `client_secret` must be an ES256 JWT signed by the team's key with
 * `iss` = team id, `sub` = client id, `aud` = https://appleid.apple.com and the
 * key's `kid` header. ID tokens carry Apple's variants: `email_verified` and
 * `is_private_email` as strings ("true") or booleans, private relay addresses,
 * no email at all, `nonce` = SHA-256 hex of the raw nonce, `nonce_supported`,
 * `real_user_status`.
 */
import { createHash } from 'node:crypto';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { randomId } from './common';
import { type OidcSimulator, type OidcSimulatorOptions, startOidcSimulator } from './kit/oidc-provider';

/** The audience Apple requires in a client secret JWT (it is not the simulator's URL, as at Apple). */
export const APPLE_CLIENT_SECRET_AUDIENCE = 'https://appleid.apple.com';

export const APPLE_PATHS = { authorize: '/auth/authorize', token: '/auth/token', jwks: '/auth/keys', revoke: '/auth/revoke' } as const;

/** SHA-256 hex of the raw nonce: what an app passes to ASAuthorizationAppleIDRequest.nonce and Apple puts in the token. */
export const appleNonceClaim = (rawNonce: string) => createHash('sha256').update(rawNonce, 'utf8').digest('hex');

/** One Apple identity's claims; booleans as Apple may send them (strings or booleans). */
export interface AppleIdentity {
  sub: string;
  /** Absent: the user hid it and it was not shared (or a later sign-in without the email scope). */
  email?: string;
  emailVerified?: boolean | 'true' | 'false';
  isPrivateEmail?: boolean | 'true' | 'false';
  /** The raw nonce; the token carries its SHA-256 hex. */
  rawNonce?: string;
  nonceSupported?: boolean;
  /** 0 unsupported, 1 unknown, 2 likely real. */
  realUserStatus?: 0 | 1 | 2;
}

export interface AppleSimulator extends OidcSimulator {
  readonly teamId: string;
  readonly keyId: string;
  /** The team's PKCS8 PEM key the client secret JWT is signed with (locally APPLE_PRIVATE_KEY). */
  readonly privateKeyPem: string;
  /** The settings that point a LoginBridge stack at this simulator (APPLE_*), native and web flow. */
  stackEnv(): Record<string, string>;
  /** An ID token for `identity` with Apple's claim shapes. */
  mintAppleIdToken(identity: AppleIdentity, options?: Parameters<OidcSimulator['mintIdToken']>[1]): Promise<string>;
  /** A server-to-server notification's JWS, signed with the current key (or as `options` say). */
  mintNotification(event: AppleNotificationEvent, options?: Parameters<OidcSimulator['mintIdToken']>[1] & { jti?: string }): Promise<string>;
  /** Signs a notification and POSTs `{"payload": jws}` to `url` (the service's notifications endpoint), as Apple does. */
  sendNotification(
    url: string,
    event: AppleNotificationEvent,
    options?: Parameters<OidcSimulator['mintIdToken']>[1] & { jti?: string },
  ): Promise<{ status: number; jws: string }>;
}

/** One event of Apple's server-to-server notifications ("Processing changes for Sign in with Apple accounts"). */
export interface AppleNotificationEvent {
  type: 'email-disabled' | 'email-enabled' | 'consent-revoked' | 'account-delete';
  sub: string;
  /** Milliseconds, as Apple sends it; default now. */
  eventTime?: number;
  email?: string;
  isPrivateEmail?: boolean | 'true' | 'false';
}

export function appleClaims(identity: AppleIdentity): Record<string, unknown> {
  return {
    sub: identity.sub,
    ...(identity.email !== undefined ? { email: identity.email } : {}),
    ...(identity.emailVerified !== undefined ? { email_verified: identity.emailVerified } : {}),
    ...(identity.isPrivateEmail !== undefined ? { is_private_email: identity.isPrivateEmail } : {}),
    ...(identity.rawNonce !== undefined ? { nonce: appleNonceClaim(identity.rawNonce), nonce_supported: identity.nonceSupported ?? true } : {}),
    ...(identity.realUserStatus !== undefined ? { real_user_status: identity.realUserStatus } : {}),
    auth_time: Math.floor(Date.now() / 1000),
  };
}

export async function startAppleSimulator(options: OidcSimulatorOptions & { teamId?: string } = {}): Promise<AppleSimulator> {
  const teamId = options.teamId ?? 'SIMTEAM123';
  const keyId = randomId(6).toUpperCase();
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const simulator = await startOidcSimulator(
    {
      name: 'Apple',
      paths: APPLE_PATHS,
      defaultResponseMode: 'form_post',
      discovery: { response_modes_supported: ['query', 'fragment', 'form_post'], token_endpoint_auth_methods_supported: ['client_secret_post'] },
      async authenticateClient(clientId, clientSecret) {
        try {
          const { payload, protectedHeader } = await jwtVerify(clientSecret, publicKey, {
            algorithms: ['ES256'],
            issuer: teamId,
            subject: clientId,
            audience: APPLE_CLIENT_SECRET_AUDIENCE,
            requiredClaims: ['iat', 'exp'],
          });
          if (protectedHeader.kid !== keyId) return 'The client secret names another key (kid).';
          // Apple refuses a client secret valid for more than six months.
          if ((payload.exp as number) - (payload.iat as number) > 15_777_000) return 'The client secret lives too long.';
          return true;
        } catch {
          return 'The client secret is not an ES256 JWT of the team key with iss=team id, sub=client id, aud=https://appleid.apple.com.';
        }
      },
      consentClaims: ({ email, sub, nonce }) => ({
        sub,
        email,
        email_verified: 'true',
        is_private_email: email.endsWith('@privaterelay.appleid.com') ? 'true' : 'false',
        // The web flow passes the nonce through as given.
        ...(nonce ? { nonce, nonce_supported: true } : {}),
        real_user_status: 2,
      }),
    },
    { clientId: 'com.example.sim.service', ...options },
  );
  const mintNotification = (event: AppleNotificationEvent, mint: Parameters<OidcSimulator['mintIdToken']>[1] & { jti?: string } = {}) =>
    simulator.mintIdToken(
      {
        jti: mint.jti ?? randomId(16),
        // Apple sends the events as a JSON string.
        events: JSON.stringify({
          type: event.type,
          sub: event.sub,
          event_time: event.eventTime ?? Date.now(),
          ...(event.email !== undefined ? { email: event.email } : {}),
          ...(event.isPrivateEmail !== undefined ? { is_private_email: event.isPrivateEmail } : {}),
        }),
      },
      mint,
    );
  const extra = {
    mintNotification,
    async sendNotification(url: string, event: AppleNotificationEvent, mint?: Parameters<OidcSimulator['mintIdToken']>[1] & { jti?: string }) {
      const jws = await mintNotification(event, mint);
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: jws }) });
      await response.arrayBuffer();
      return { status: response.status, jws };
    },
    teamId,
    keyId,
    privateKeyPem,
    stackEnv: () => ({
      APPLE_ISSUER: simulator.issuer,
      APPLE_JWKS_URL: simulator.jwksUrl,
      APPLE_CLIENT_IDS: simulator.clientId,
      APPLE_TEAM_ID: teamId,
      APPLE_KEY_ID: keyId,
      APPLE_PRIVATE_KEY: privateKeyPem,
    }),
    mintAppleIdToken: (identity: AppleIdentity, mint?: Parameters<OidcSimulator['mintIdToken']>[1]) => simulator.mintIdToken(appleClaims(identity), mint),
  };
  return Object.defineProperties(simulator, Object.getOwnPropertyDescriptors(extra)) as AppleSimulator;
}
