import type { BackoffPolicy } from '../backoff';
import { type Clock, epochSeconds } from '../clock';
import { normalizeEmail } from '../email';
import { ConflictError, ForbiddenError, NotFoundError, TooManyAttemptsError } from '../errors';
import { type Outcome, runIdempotent } from '../idempotent';
import { SSO_PARTNERS } from '../partners';
import type { IdempotencyStore, MembershipStore, TeamStore } from '../portal/ports';
import type { CredentialStore, SessionStore, ThrottleStore, UserProfile } from '../ports';
import { throttleKeys } from '../throttle';
import type { AuditInput, AuditTrail } from './audit';
import { refuseDisabled } from './disabled';
import { requireVerifiedOperator } from './operator';
import type { AdminUserStore, AuditAction, AuditRecord, AuditStore, FieldChange, PartnerIdentities, UserRecord, VerificationMailer } from './ports';
import { recordAddressGrant } from './role-grants';
import { type ConsoleRole, requireMayActOn, requirePortalAdmin, roleOf } from './roles';
import { auditView, backoffView, userView, withoutSecrets } from './views';

export interface UserAdminSettings {
  /** Emails (normalised) that are user admins by configuration (USER_ADMIN_EMAILS); their email must be verified too. */
  adminEmails: string[];
  /** Emails (normalised) that are portal admins by configuration (PORTAL_ADMIN_EMAILS); verified only. */
  portalAdminEmails: string[];
  /** The sign-in back-off policy, to tell when a locked account opens again. */
  backoff: BackoffPolicy;
  /** Verification emails per target user per hour, counted before sending. */
  verificationEmailsPerHour: number;
  idempotencyTtlSeconds: number;
}

export interface UserAdminDependencies {
  accounts: Pick<CredentialStore, 'getCredential' | 'getProfile'>;
  sessions: Pick<SessionStore, 'revokeAllSessions'>;
  users: AdminUserStore;
  audit: AuditTrail;
  auditStore: AuditStore;
  throttles: ThrottleStore;
  memberships: Pick<MembershipStore, 'getMembership' | 'recordAddressGrant'>;
  teams: Pick<TeamStore, 'getTeam'>;
  /** The console's Idempotency-Key records (core/idempotent.ts). */
  idempotency: IdempotencyStore;
  verificationMailer: VerificationMailer;
  /** The self-deletion use case (LoginFlow.deleteUser): the same deletion and partner clean-up, with the audit entry in its transaction. */
  deletion: { deleteUser(userId: string, audit?: AuditRecord): Promise<void> };
  clock: Clock;
  settings: UserAdminSettings;
}

/** A signed-in holder of `user-admin` or `portal-admin` with a verified email. */
export interface Operator {
  userId: string;
  email: string;
  role: Exclude<ConsoleRole, 'user'>;
}

/** Per request: who acts, and the request's correlation id for the trail. */
export interface ActionContext {
  operator: Operator;
  correlationId: string;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EXPORT_AUDIT_LIMIT = 1000;

/** A console answer; `replayed` when it is the stored first answer to the same Idempotency-Key. */
export type ConsoleOutcome = Outcome<Record<string, unknown>>;

/**
 * The operator console: find a user, read everything about them, and act,
 * with every write recorded in the audit trail. Every method takes an
 * Operator, which only `authorize` makes.
 */
export class UserAdmin {
  constructor(private readonly deps: UserAdminDependencies) {}

  private get now(): number {
    return epochSeconds(this.deps.clock);
  }

  /**
   * The operator behind a verified access token of a live session, from the
   * profile the session check read: a console role (roles.ts), then a
   * verified email.
   */
  async authorize(profile: UserProfile): Promise<Operator> {
    const userId = profile.id;
    refuseDisabled(profile);
    const email = normalizeEmail(profile.email);
    const membership = await this.deps.memberships.getMembership(userId);
    const permissions = membership?.permissions ?? [];
    const configured = this.deps.settings.adminEmails.includes(email) || this.deps.settings.portalAdminEmails.includes(email);
    const byPermission = roleOf({ email }, permissions, this.roleSettings);
    if (byPermission === 'user' && !configured) throw new ForbiddenError('Only user admins may use the operator console.');
    requireVerifiedOperator(profile);
    // Verified just above: the configured addresses count now.
    const role = roleOf({ email, emailVerifiedAt: 'verified' }, permissions, this.roleSettings);
    // A role held by a configured address, not by a permission: its first use is audited before the operator acts
    // (a failed write refuses the request).
    if (byPermission === 'user' && role !== 'user') {
      await recordAddressGrant({ store: this.deps.memberships, audit: this.deps.audit }, membership?.recordedGrants, {
        role,
        source: role === 'portal-admin' ? 'PORTAL_ADMIN_EMAILS' : 'USER_ADMIN_EMAILS',
        targetUserId: userId,
        targetEmail: email,
      });
    }
    return { userId, email, role: role === 'user' ? 'user-admin' : role };
  }

  private get roleSettings() {
    return { portalAdminEmails: this.deps.settings.portalAdminEmails, userAdminEmails: this.deps.settings.adminEmails };
  }

  /** The target of an action, after the one role rule (requireMayActOn): never the operator, only weaker roles. */
  private async target(operator: Operator, userId: string): Promise<UserRecord> {
    const record = await this.record(userId);
    // A role granted by address and recorded on first use counts too: a portal admin named only in the production
    // tenant's app_metadata (which the console does not read) is known here once they used the portal.
    const granted = (record.portal?.recordedGrants ?? []).map((marker) => marker.split(':')[0]);
    const permissions = [...(record.portal?.permissions ?? []), ...granted];
    requireMayActOn(operator, { userId: record.profile.id, role: roleOf(record.profile, permissions, this.roleSettings) });
    return record;
  }

  private async record(userId: string): Promise<UserRecord> {
    const record = USER_ID.test(userId) ? await this.deps.users.read(userId) : undefined;
    if (!record) throw new NotFoundError('There is no user with this id.');
    return record;
  }

  private auditInput(
    context: ActionContext,
    action: AuditAction,
    target: { userId: string; email?: string },
    changes: Record<string, FieldChange>,
  ): AuditInput {
    return {
      actorId: context.operator.userId,
      actorEmail: context.operator.email,
      action,
      targetUserId: target.userId,
      ...(target.email ? { targetEmail: target.email } : {}),
      correlationId: context.correlationId,
      changes,
    };
  }

  /** Stores a read's entry first: nothing is shown unless it is on record. */
  private auditRead(context: ActionContext, action: AuditAction, target: { userId: string; email?: string }, changes: Record<string, FieldChange> = {}) {
    return this.deps.audit.record(this.auditInput(context, action, target, changes));
  }

  /** A write's entry, which `write` stores in the same transaction as the change; published once that committed. */
  private async audited<T>(
    context: ActionContext,
    action: AuditAction,
    record: UserRecord,
    changes: Record<string, FieldChange>,
    write: (audit: AuditRecord) => Promise<T>,
  ): Promise<T> {
    const audit = this.deps.audit.entry(this.auditInput(context, action, { userId: record.profile.id, email: record.profile.email }, changes));
    const result = await write(audit);
    this.deps.audit.published(audit);
    return result;
  }

  private async backoffOf(email: string) {
    const key = throttleKeys.loginAccount(normalizeEmail(email));
    const counters = await this.deps.throttles.read([key]);
    return backoffView(counters.get(key), this.deps.settings.backoff, this.now);
  }

  private async card(record: UserRecord) {
    const [backoff, team] = await Promise.all([
      this.backoffOf(record.credential?.email ?? record.profile.email),
      record.portal?.teamId ? this.deps.teams.getTeam(record.portal.teamId) : Promise.resolve(undefined),
    ]);
    return userView(record, backoff, team);
  }

  /** GET /admin/users?email=: exact lookup, normalised as sign-in does; a hit is audited (it reads the user's data). */
  async findByEmail(context: ActionContext, email: string) {
    const credential = await this.deps.accounts.getCredential(normalizeEmail(email));
    const profile = credential ? await this.deps.accounts.getProfile(credential.userId) : undefined;
    if (!credential || !profile) throw new NotFoundError('There is no user with this email.');
    await this.auditRead(context, 'search', { userId: profile.id, email: profile.email });
    const disabledAt = (profile as { disabledAt?: string }).disabledAt;
    return { user_id: profile.id, email: profile.email, first_name: profile.firstName, last_name: profile.lastName, disabled_at: disabledAt ?? null };
  }

  /** GET /admin/users/{userId}: the user card, audited. */
  async user(context: ActionContext, userId: string) {
    const record = await this.record(userId);
    const card = await this.card(record);
    await this.auditRead(context, 'view', { userId: record.profile.id, email: record.profile.email });
    return card;
  }

  /**
   * POST /admin/users/{userId}/sign-out: the user's own sign-out everywhere,
   * by an operator. The cut ("sessions not before" = now) and its audit entry
   * are one transaction and come first: from then on no token, refresh or TV
   * approval from before the cut counts (an approval's own write checks the
   * cut, see DeviceFlow.approve). Denying pending TV grants and deleting the
   * refresh families then only tidies what the cut already voided.
   */
  async signOut(context: ActionContext, userId: string) {
    const record = await this.target(context.operator, userId);
    await this.audited(
      context,
      'sign-out',
      record,
      {
        sessions: { before: record.sessions.map((session) => session.familyId), after: [] },
        deviceGrants: { before: record.deviceGrants.map((grant) => grant.userCode), after: [] },
      },
      (audit) => this.deps.users.cutSessions(userId, this.now, audit),
    );
    await this.endEverySession(userId);
    return { signed_out: true, sessions_ended: record.sessions.length, device_grants_denied: record.deviceGrants.length };
  }

  private async endEverySession(userId: string): Promise<void> {
    await this.deps.users.denyDeviceGrants(userId);
    await this.deps.sessions.revokeAllSessions(userId);
  }

  /** DELETE /admin/users/{userId}/sessions/{sessionId}: one session ends. */
  async endSession(context: ActionContext, userId: string, sessionId: string): Promise<void> {
    const record = await this.target(context.operator, userId);
    const session = record.sessions.find((candidate) => candidate.familyId === sessionId);
    if (!session) throw new NotFoundError('This user has no session with this id.');
    await this.audited(context, 'end-session', record, { [`sessions.${sessionId}`]: { before: 'active', after: 'ended' } }, (audit) =>
      this.deps.users.endSession(userId, sessionId, audit),
    );
  }

  /** POST /admin/users/{userId}/unlock: the sign-in back-off is cleared. */
  async unlock(context: ActionContext, userId: string) {
    const record = await this.target(context.operator, userId);
    const email = normalizeEmail(record.credential?.email ?? record.profile.email);
    const before = await this.backoffOf(email);
    await this.audited(context, 'unlock', record, { backoff: { before, after: { failures: 0, locked_until: null } } }, (audit) =>
      this.deps.users.clearBackoff(throttleKeys.loginAccount(email), audit),
    );
    return (await this.card(record)).backoff;
  }

  /**
   * POST /admin/users/{userId}/disable and /enable. Disabling again keeps the
   * first instant. The mark is the cut: every sign-in path, refresh, TV
   * approval and TV redemption checks it in its own write.
   */
  async setDisabled(context: ActionContext, userId: string, disabled: boolean) {
    const record = await this.target(context.operator, userId);
    const before = record.profile.disabledAt ?? null;
    const after = disabled ? (before ?? new Date(this.deps.clock.now()).toISOString()) : null;
    const changes: Record<string, FieldChange> = before === after ? {} : { disabledAt: { before, after } };
    if (disabled && record.deviceGrants.length) changes.deviceGrants = { before: record.deviceGrants.map((grant) => grant.userCode), after: [] };
    await this.audited(context, disabled ? 'disable' : 'enable', record, changes, (audit) =>
      this.deps.users.setDisabled(userId, record.credential?.email ?? normalizeEmail(record.profile.email), after ?? undefined, audit),
    );
    // A TV sign-in approved before the disable must not complete after it: the TV's next poll gets access_denied.
    if (disabled) await this.deps.users.denyDeviceGrants(userId);
    return { user_id: userId, disabled_at: after };
  }

  /** POST /admin/users/{userId}/verification-email: at most `verificationEmailsPerHour` per user, counted before sending. */
  async sendVerificationEmail(context: ActionContext, userId: string, idempotencyKey?: string): Promise<ConsoleOutcome> {
    const record = await this.target(context.operator, userId);
    if (record.profile.emailVerifiedAt) throw new ConflictError('This email address is already verified.');
    return runIdempotent(
      this.deps.idempotency,
      {
        userId: context.operator.userId,
        key: idempotencyKey,
        operation: 'admin-verification-email',
        input: { userId },
        now: this.now,
        ttlSeconds: this.deps.settings.idempotencyTtlSeconds,
      },
      async () => {
        const now = this.now;
        const hour = Math.floor(now / 3600);
        const counter = await this.deps.throttles.increment(`admin#verify#${userId}#${hour}`, now, (hour + 1) * 3600);
        if (counter.count > this.deps.settings.verificationEmailsPerHour) throw new TooManyAttemptsError((hour + 1) * 3600 - now);
        // A mail cannot join a transaction: its entry is stored first, and no entry means no mail.
        await this.auditRead(context, 'verification-email', { userId: record.profile.id, email: record.profile.email });
        await this.deps.verificationMailer.send(userId);
        return { statusCode: 202, body: { sent: true, email: record.profile.email } };
      },
    );
  }

  /**
   * PUT /admin/users/{userId}/partners (portal admins): replaces both partner
   * identities (absent or null removes one). Each identity is claimed for this
   * account in the same transaction (ConflictError when another account holds it).
   */
  async setPartners(context: ActionContext, userId: string, partners: { acronis?: Record<string, unknown> | null; astrato?: Record<string, unknown> | null }) {
    requirePortalAdmin(context.operator);
    const record = await this.target(context.operator, userId);
    const attributes = record.profile.attributes ?? {};
    const next: PartnerIdentities = { ...(partners.acronis ? { acronis: partners.acronis } : {}), ...(partners.astrato ? { astrato: partners.astrato } : {}) };
    const changes: Record<string, FieldChange> = {};
    for (const partner of SSO_PARTNERS) {
      const before = attributes[partner] ?? null;
      const after = next[partner] ?? null;
      if (JSON.stringify(before) !== JSON.stringify(after)) changes[`attributes.${partner}`] = { before, after };
    }
    await this.audited(context, 'set-partners', record, changes, (audit) => this.deps.users.setPartners(userId, next, audit));
    return { acronis: next.acronis ?? null, astrato: next.astrato ?? null };
  }

  /** GET /admin/users/{userId}/export: everything stored about the user, without hashes or secrets; the export itself is audited. */
  async export(context: ActionContext, userId: string) {
    const record = await this.target(context.operator, userId);
    const document = await this.exportDocument(record);
    await this.auditRead(context, 'export', { userId: record.profile.id, email: record.profile.email });
    return document;
  }

  /**
   * GET /login-flow/my-data: the same document for the signed-in user about
   * themselves (no operator reads another person's data, so no audit entry).
   */
  async exportOwn(userId: string) {
    return this.exportDocument(await this.record(userId));
  }

  /** Everything stored about the user as one JSON document, the console's and the user's own: never a hash or secret. */
  private async exportDocument(record: UserRecord) {
    const card = await this.card(record);
    const entries = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.auditStore.list({ userId: record.profile.id }, 100, cursor);
      entries.push(...page.entries.map(auditView));
      cursor = page.nextCursor;
    } while (cursor && entries.length < EXPORT_AUDIT_LIMIT);
    const document = {
      format: 'loginbridge-user-export/1',
      exported_at: new Date(this.deps.clock.now()).toISOString(),
      profile: { ...record.profile },
      account: {
        email: record.credential?.email ?? null,
        password_updated_at: record.credential?.passwordUpdatedAt ?? null,
        disabled_at: record.credential?.disabledAt ?? null,
      },
      sign_in_backoff: card.backoff,
      sessions: card.sessions,
      device_grants: card.device_grants,
      portal: { team: card.team, permissions: card.permissions },
      password_resets: record.resets.map((reset) => ({
        created_at: new Date(reset.createdAt * 1000).toISOString(),
        expires_at: new Date(reset.expiresAt * 1000).toISOString(),
        used_at: reset.usedAt ? new Date(reset.usedAt * 1000).toISOString() : null,
      })),
      audit: entries,
    };
    return withoutSecrets(document) as Record<string, unknown>;
  }

  /**
   * DELETE /admin/users/{userId}: the self-deletion use case (profile, email
   * claim, sessions, counters, team seat, partner identities, and the clean-up
   * of a team it was the last member of, tried in the request), with the audit
   * entry in the deletion's transaction.
   */
  async deleteUser(context: ActionContext, userId: string): Promise<void> {
    const record = await this.target(context.operator, userId);
    await this.deps.users.denyDeviceGrants(userId);
    await this.audited(context, 'delete', record, { profile: { before: { email: record.profile.email }, after: null } }, (audit) =>
      this.deps.deletion.deleteUser(userId, audit),
    );
  }

  /** GET /admin/audit: newest first, by target user or by actor (or all); the reading is audited too. */
  async auditTrail(context: ActionContext, filter: { userId?: string; actor?: string }, limit: number, cursor?: string) {
    const page = await this.deps.auditStore.list(filter, limit, cursor);
    await this.auditRead(context, 'audit-read', { userId: filter.userId ?? '*' }, { filter: { before: null, after: { ...filter } } });
    return { entries: page.entries.map(auditView), next_cursor: page.nextCursor ?? null };
  }
}
