import { DynamoEmailChangeStore } from '../adapters/dynamo/email-change-store';
import { DynamoProfileEditStore } from '../adapters/dynamo/profile-edit-store';
import { settings } from '../config';
import { AccountProof } from '../core/account-proof';
import { AccountSelfService } from '../core/account-self-service';
import { systemClock } from '../core/clock';
import { EmailChange } from '../core/email-change';
import { secondFactors } from './factors';
import { credentialStore, documentClient, grantedMailer, hasher, once, publicBaseUrl, sessionStore, tableName } from './shared';
import { passwordCheck } from './sign-in';

/** Account self-service (/account and its Login Flow routes): profile edits and the password change. */
export const accountSelfService = /* @__PURE__ */ once(
  () =>
    new AccountSelfService({
      profiles: new DynamoProfileEditStore(documentClient(), tableName()),
      credentials: credentialStore(),
      sessions: sessionStore(),
      proof: accountProof(),
      hasher: hasher(),
      mailer: grantedMailer,
      settings: { publicBaseUrl: publicBaseUrl(), brand: settings().BRAND_JSON },
    }),
);

/** The current password or a recent factor, before a password or email change. */
export const accountProof = /* @__PURE__ */ once(
  () =>
    new AccountProof({
      credentials: credentialStore(),
      passwordCheck: passwordCheck(),
      // Lazy: only an account with a factor needs the step-up check (factorKey is not read for it).
      secondFactors: { requireRecentFactor: (...args) => secondFactors().requireRecentFactor(...args) },
      legacyPasswords: !!settings().LEGACY_LOGIN_URL,
    }),
);

/** The email change: the link to the new address, the notice to the old one, and the confirm that moves the address. */
export const emailChange = /* @__PURE__ */ once(
  () =>
    new EmailChange({
      store: new DynamoEmailChangeStore(documentClient(), tableName()),
      credentials: credentialStore(),
      proof: accountProof(),
      mailer: grantedMailer,
      clock: systemClock,
      settings: { publicBaseUrl: publicBaseUrl(), tokenTtlSeconds: settings().EMAIL_CHANGE_TOKEN_TTL_SECONDS, brand: settings().BRAND_JSON },
    }),
);
