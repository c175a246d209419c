import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { call, post } from './http';
import { SoftwareAuthenticator, type SoftwareAuthenticatorOptions, type Tampering } from './software-authenticator';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A software authenticator for the stack at `baseUrl` (its origin is PUBLIC_BASE_URL's on the local stack). */
export function authenticatorFor(baseUrl: string, options: Omit<SoftwareAuthenticatorOptions, 'origin'> = {}): SoftwareAuthenticator {
  return new SoftwareAuthenticator({ origin: new URL(baseUrl).origin, ...options });
}

/** Adds a passkey to the user of `accessToken` through HTTP: options, the authenticator's answer, the registration. */
export async function registerPasskey(baseUrl: string, accessToken: string, authenticator: SoftwareAuthenticator, label = 'Laptop') {
  const started = await call(baseUrl, 'POST', '/login-flow/factors/passkeys/options', { headers: bearer(accessToken) });
  if (started.status !== 200) throw new Error(`passkey options failed: ${started.status} ${started.text}`);
  const { challengeId, options } = started.body as { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };
  const added = await call(baseUrl, 'POST', '/login-flow/factors/passkeys', {
    json: { challengeId, response: authenticator.create(options), label },
    headers: bearer(accessToken),
  });
  if (added.status !== 201) throw new Error(`passkey registration failed: ${added.status} ${added.text}`);
  return added.body as { factor: { id: string; kind: string; label: string }; recoveryCodes: string[] | null };
}

/** A fresh challenge from POST /login-flow/passkey/options, answered by the authenticator (as `passkey` fields carry it). */
export async function passkeyAnswer(baseUrl: string, authenticator: SoftwareAuthenticator, tampering: Tampering = {}) {
  const started = await post(baseUrl, '/login-flow/passkey/options', {});
  if (started.status !== 200) throw new Error(`passkey sign-in options failed: ${started.status} ${started.text}`);
  const { challengeId, options } = started.body as { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON };
  return { challengeId, response: authenticator.get(options, tampering) };
}

/** Signs in with the passkey alone: the Login Flow's token answer. */
export async function signInWithPasskey(baseUrl: string, authenticator: SoftwareAuthenticator) {
  const response = await post(baseUrl, '/login-flow/passkey/login', await passkeyAnswer(baseUrl, authenticator));
  if (response.status !== 200) throw new Error(`passkey sign-in failed: ${response.status} ${response.text}`);
  return response.body as { access_token: string; refresh_token: string };
}
