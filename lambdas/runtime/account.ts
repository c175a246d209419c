import { DynamoProfileEditStore } from '../adapters/dynamo/profile-edit-store';
import { settings } from '../config';
import { AccountSelfService } from '../core/account-self-service';
import { secondFactors } from './factors';
import { passwordCheck } from './sign-in';
import { accountStore, documentClient, grantedMailer, hasher, once, publicBaseUrl, tableName } from './shared';

/** Account self-service (/account and its Login Flow routes): profile edits and the password change. */
export const accountSelfService = /* @__PURE__ */ once(
  () =>
    new AccountSelfService({
      profiles: new DynamoProfileEditStore(documentClient(), tableName()),
      credentials: accountStore(),
      sessions: accountStore(),
      passwordCheck: passwordCheck(),
      // Lazy: only an account with a factor needs the step-up check (factorKey is not read for it).
      secondFactors: { requireRecentFactor: (...args) => secondFactors().requireRecentFactor(...args) },
      hasher: hasher(),
      mailer: grantedMailer,
      settings: { publicBaseUrl: publicBaseUrl(), legacyPasswords: !!settings().LEGACY_LOGIN_URL },
    }),
);
