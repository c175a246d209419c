import { DynamoDeviceGrantStore } from '../adapters/dynamo/device-store';
import { settings } from '../config';
import { systemClock } from '../core/clock';
import { Activation } from '../core/oauth/activation';
import { AuthorizationServer } from '../core/oauth/authorization-server';
import { ClientRegistry } from '../core/oauth/clients';
import { DeviceFlow } from '../core/oauth/device-flow';
import { federatedSignIn } from './federation';
import {
  accessTokens,
  credentialStore,
  documentClient,
  issuer,
  once,
  publicBaseUrl,
  sessionCheck,
  sessionStore,
  sessions,
  tableName,
  throttleStore,
} from './shared';
import { passwordCheck } from './sign-in';
import { verifiedSignIn } from './verification';

/** TV sign-in (RFC 8628) and the OAuth token endpoint. */

/** Where users enter the TV's code: DEVICE_VERIFICATION_URI (a short vanity URL) or {PUBLIC_BASE_URL}/activate. */
export const verificationUri = () => settings().DEVICE_VERIFICATION_URI ?? `${publicBaseUrl()}/activate`;

export const deviceGrantStore = /* @__PURE__ */ once(() => new DynamoDeviceGrantStore(documentClient(), tableName()));

export const clientRegistry = /* @__PURE__ */ once(() => ClientRegistry.parse(settings().DEVICE_CLIENT_IDS));

export const deviceFlow = /* @__PURE__ */ once(
  () =>
    new DeviceFlow(
      {
        store: deviceGrantStore(),
        clients: clientRegistry(),
        clock: systemClock,
        // Lazy: only the token function is granted the signing key; the device-authorization and /activate functions are not.
        get sessions() {
          return sessions();
        },
        get tokens() {
          return accessTokens();
        },
        get profiles() {
          return credentialStore();
        },
        verifiedSignIn: verifiedSignIn(),
      },
      {
        codeTtlSeconds: settings().DEVICE_CODE_TTL_SECONDS,
        pollIntervalSeconds: settings().DEVICE_POLL_INTERVAL_SECONDS,
        verificationUri: verificationUri(),
      },
    ),
);

export const authorizationServer = /* @__PURE__ */ once(
  () =>
    new AuthorizationServer(
      {
        devices: deviceFlow(),
        sessions: sessions(),
        tokens: accessTokens(),
        accounts: sessionStore(),
        verifiedSignIn: verifiedSignIn(),
        // Lazy: only the token exchange grant reads the provider settings.
        federatedSignIn: { signIn: (...args) => federatedSignIn().signIn(...args) },
      },
      { issuer: issuer(), baseUrl: publicBaseUrl() },
    ),
);

export const activation = /* @__PURE__ */ once(
  () =>
    new Activation(
      {
        devices: deviceFlow(),
        clients: clientRegistry(),
        throttles: throttleStore(),
        signIn: passwordCheck(),
        // Lazy: the code lookup never verifies a token, so its function has no verification key.
        get sessions() {
          return sessionCheck();
        },
        clock: systemClock,
        verifiedSignIn: verifiedSignIn(),
      },
      { maxFailures: settings().ACTIVATE_MAX_FAILURES, windowSeconds: settings().ACTIVATE_WINDOW_SECONDS },
    ),
);
