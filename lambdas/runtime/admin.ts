import { DynamoAdminStore } from '../adapters/dynamo/admin-store';
import { DynamoAuditStore } from '../adapters/dynamo/audit-store';
import { DynamoBanStore } from '../adapters/dynamo/ban-store';
import { settings } from '../config';
import { deleteAccountNow } from '../core/account-deletion';
import { AuditTrail } from '../core/admin/audit';
import { Bans } from '../core/admin/bans';
import { UserAdmin } from '../core/admin/user-admin';
import { systemClock } from '../core/clock';
import { log } from '../http/log';
import { count } from '../http/metrics';
import { providerTokens } from './apple-obligations';
import { idempotencyStore, membershipStore, teamCleanup, teamStore } from './portal';
import { accountDeletionStore, credentialStore, documentClient, once, sessionStore, tableName, throttleStore } from './shared';
import { emailVerification } from './verification';

/** Operator console (docs/operations.md): user admin, bans and the audit trail. */

export const adminStore = /* @__PURE__ */ once(() => new DynamoAdminStore(documentClient(), tableName()));
export const auditStore = /* @__PURE__ */ once(() => new DynamoAuditStore(documentClient(), tableName()));

/** The console's trail; role grants in the portal and factor events write their entries through it too (in the act's transaction). */
export const auditTrail = /* @__PURE__ */ once(
  () =>
    new AuditTrail(auditStore(), { info: log.info, error: log.error, metric: () => count('AdminAction') }, systemClock, () => settings().AUDIT_RETENTION_DAYS),
);

export const bans = /* @__PURE__ */ once(() => new Bans({ bans: new DynamoBanStore(documentClient(), tableName()), audit: auditTrail() }));

/** The same single-use link the registration email carries (EmailVerification), so /verify-email confirms it; grant `mail`. */
const verificationMailer = {
  send: async (userId: string) => {
    const profile = await credentialStore().getProfile(userId);
    if (profile) await emailVerification().sendLink(profile);
  },
};

/** The self-deletion use case; the Auth0 tenants are read only when a team loses its last member. */
const deletion = {
  deleteUser: (userId: string, audit: Parameters<typeof deleteAccountNow>[2]) =>
    deleteAccountNow(
      { accounts: accountDeletionStore(), teamCleanup: teamCleanup(), teamCleanupWithinMs: settings().TEAM_CLEANUP_WAIT_MS, providerTokens },
      userId,
      audit,
    ),
};

export const userAdmin = /* @__PURE__ */ once(
  () =>
    new UserAdmin({
      accounts: credentialStore(),
      sessions: sessionStore(),
      users: adminStore(),
      audit: auditTrail(),
      auditStore: auditStore(),
      throttles: throttleStore(),
      memberships: membershipStore(),
      teams: teamStore(),
      idempotency: idempotencyStore(),
      verificationMailer,
      deletion,
      clock: systemClock,
      settings: {
        adminEmails: settings().USER_ADMIN_EMAILS,
        portalAdminEmails: settings().PORTAL_ADMIN_EMAILS,
        backoff: { freeFailures: settings().LOGIN_BACKOFF_FREE_FAILURES, baseDelaySeconds: 1, maxDelaySeconds: settings().LOGIN_BACKOFF_MAX_SECONDS },
        verificationEmailsPerHour: settings().ADMIN_VERIFICATION_EMAILS_PER_HOUR,
        idempotencyTtlSeconds: settings().PORTAL_IDEMPOTENCY_TTL_SECONDS,
      },
    }),
);
