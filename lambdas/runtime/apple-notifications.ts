import { systemClock } from '../core/clock';
import { AppleNotifications } from '../core/federation/apple-notifications';
import { federatedIdentityStore, providerSettings, providerTrust } from './federation';
import { once, sessionStore, throttleStore } from './shared';

/** Apple's server-to-server notifications (docs/native-sign-in.md). Grant: Apple's secret only (the allowed client ids). */
export const appleNotifications = /* @__PURE__ */ once(() => {
  const { issuers, keys } = providerTrust('apple');
  // Read once per instance, as the sign-in's verifier does; a failed read is tried again on the next notification.
  let clientIds: Promise<string[]> | undefined;
  return new AppleNotifications({
    trust: async () => {
      clientIds ??= providerSettings('apple')
        .then((found) => found.clientIds)
        .catch((error: unknown) => {
          clientIds = undefined;
          throw error;
        });
      const allowed = await clientIds;
      return allowed.length ? { issuers, keys: keys(), clientIds: allowed } : undefined;
    },
    identities: federatedIdentityStore(),
    sessions: sessionStore(),
    throttles: throttleStore(),
    clock: systemClock,
  });
});
