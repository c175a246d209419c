import { DynamoVerificationStore } from '../adapters/dynamo/verification-store';
import { settings } from '../config';
import { systemClock } from '../core/clock';
import { EmailVerification } from '../core/email-verification';
import { log } from '../http/log';
import { credentialStore, documentClient, grantedMailer, once, publicBaseUrl, singleUseTokenStore, tableName, throttleStore } from './shared';

/** Verified identity (docs/security.md): verification links, and the one "is this address proven?" check. */

export const verificationStore = /* @__PURE__ */ once(() => new DynamoVerificationStore(documentClient(), tableName(), singleUseTokenStore()));

export const emailVerification = /* @__PURE__ */ once(
  () =>
    new EmailVerification({
      store: verificationStore(),
      tokens: singleUseTokenStore(),
      accounts: credentialStore(),
      throttles: throttleStore(),
      mailer: grantedMailer,
      clock: systemClock,
      settings: {
        publicBaseUrl: publicBaseUrl(),
        tokenTtlSeconds: settings().EMAIL_VERIFICATION_TTL_SECONDS,
        brand: settings().BRAND_JSON,
        resendLimit: { maxPerWindow: settings().VERIFICATION_EMAILS_PER_HOUR, windowSeconds: 3600 },
      },
      log,
    }),
);

/** LOGIN_REQUIRES_VERIFIED_EMAIL for TV sign-in and the OAuth refresh grant: absent when off, so those paths read nothing more. */
export const verifiedSignIn = () => (settings().LOGIN_REQUIRES_VERIFIED_EMAIL ? emailVerification() : undefined);
