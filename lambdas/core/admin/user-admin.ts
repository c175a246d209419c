import type { BackoffPolicy } from '../backoff';
import { epochSeconds, type Clock } from '../clock';
import { normalizeEmail } from '../email';
import { ConflictError, ForbiddenError, NotFoundError, TooManyAttemptsError, UnauthenticatedError } from '../errors';
import type { AccountStore, ThrottleStore } from '../ports';
import { PORTAL_ADMIN, type PortalStore } from '../portal/ports';
import { throttleKeys } from '../throttle';
import type { AuditTrail } from './audit';
import { refuseDisabled } from './disabled';
import { oncePerKey, type ConsoleOutcome } from './idempotent';
import { requireVerifiedOperator } from './operator';
import { USER_ADMIN, type AuditAction, type AuditStore, type AdminUserStore, type FieldChange, type UserRecord, type VerificationMailer } from './ports';
import { signOutEverywhere } from './sign-out';
import { auditView, backoffView, userView, withoutSecrets } from './views';

export interface UserAdminSettings {
  /** Emails (normalised) that are user admins by configuration (USER_ADMIN_EMAILS); their email must be verified too. */
  adminEmails: string[];
  /** The sign-in back-off policy, to tell when a locked account opens again. */
  backoff: BackoffPolicy;
  /** Verification emails per target user per hour, counted before sending. */
  verificationEmailsPerHour: number;
  idempotencyTtlSeconds: number;
}

export interface UserAdminDependencies {
  accounts: AccountStore;
  users: AdminUserStore;
  audit: AuditTrail;
  auditStore: AuditStore;
  throttles: ThrottleStore;
  portal: Pick<PortalStore, 'getMembership' | 'getTeam' | 'beginIdempotent' | 'completeIdempotent' | 'releaseIdempotent'>;
  verificationMailer: VerificationMailer;
  clock: Clock;
  settings: UserAdminSettings;
}

/** A signed-in holder of `user-admin` with a verified email. */
export interface Operator {
  userId: string;
  email: string;
}

/** Per request: who acts, and the request's correlation id for the trail. */
export interface ActionContext {
  operator: Operator;
  correlationId: string;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EXPORT_AUDIT_LIMIT = 1000;

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
   * The operator behind a verified access token of a live session: the permission, then a verified email. With
   * `portalAdmins`, a holder of `portal-admin` is an operator too (for the few actions both may take).
   */
  async authorize(userId: string, options: { portalAdmins?: boolean } = {}): Promise<Operator> {
    const profile = await this.deps.accounts.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    refuseDisabled(profile);
    const email = normalizeEmail(profile.email);
    const membership = await this.deps.portal.getMembership(userId);
    const held = membership?.permissions ?? [];
    const permitted = held.includes(USER_ADMIN) || this.deps.settings.adminEmails.includes(email) || (!!options.portalAdmins && held.includes(PORTAL_ADMIN));
    if (!permitted) throw new ForbiddenError('Only user admins may use the operator console.');
    requireVerifiedOperator(profile as { emailVerifiedAt?: unknown });
    return { userId, email };
  }

  private async record(userId: string): Promise<UserRecord> {
    const record = USER_ID.test(userId) ? await this.deps.users.read(userId) : undefined;
    if (!record) throw new NotFoundError('There is no user with this id.');
    return record;
  }

  private audit(context: ActionContext, action: AuditAction, record: UserRecord, changes: Record<string, FieldChange> = {}) {
    return this.deps.audit.record({
      actorId: context.operator.userId,
      actorEmail: context.operator.email,
      action,
      targetUserId: record.profile.id,
      targetEmail: record.profile.email,
      correlationId: context.correlationId,
      changes,
    });
  }

  private async backoffOf(email: string) {
    const key = throttleKeys.loginAccount(normalizeEmail(email));
    const counters = await this.deps.throttles.read([key]);
    return backoffView(counters.get(key), this.deps.settings.backoff, this.now);
  }

  private async card(record: UserRecord) {
    const [backoff, team] = await Promise.all([
      this.backoffOf(record.credential?.email ?? record.profile.email),
      record.portal?.teamId ? this.deps.portal.getTeam(record.portal.teamId) : Promise.resolve(undefined),
    ]);
    return userView(record, backoff, team);
  }

  /** GET /admin/users?email=: exact lookup, normalised as sign-in does. */
  async findByEmail(_operator: Operator, email: string) {
    const credential = await this.deps.accounts.getCredential(normalizeEmail(email));
    const profile = credential ? await this.deps.accounts.getProfile(credential.userId) : undefined;
    if (!credential || !profile) throw new NotFoundError('There is no user with this email.');
    const disabledAt = (profile as { disabledAt?: string }).disabledAt;
    return { user_id: profile.id, email: profile.email, first_name: profile.firstName, last_name: profile.lastName, disabled_at: disabledAt ?? null };
  }

  /** GET /admin/users/{userId}: the user card. */
  async user(_operator: Operator, userId: string) {
    return this.card(await this.record(userId));
  }

  /** POST /admin/users/{userId}/sign-out: every session and pending TV sign-in ends. */
  async signOut(context: ActionContext, userId: string) {
    const record = await this.record(userId);
    await signOutEverywhere(this.deps, userId);
    await this.audit(context, 'sign-out', record, {
      sessions: { before: record.sessions.map((session) => session.familyId), after: [] },
      deviceGrants: { before: record.deviceGrants.map((grant) => grant.userCode), after: [] },
    });
    return { signed_out: true, sessions_ended: record.sessions.length, device_grants_denied: record.deviceGrants.length };
  }

  /** DELETE /admin/users/{userId}/sessions/{sessionId}: one session ends. */
  async endSession(context: ActionContext, userId: string, sessionId: string): Promise<void> {
    const record = await this.record(userId);
    const session = record.sessions.find((candidate) => candidate.familyId === sessionId);
    if (!session) throw new NotFoundError('This user has no session with this id.');
    await this.deps.accounts.revokeSession(userId, sessionId);
    await this.audit(context, 'end-session', record, { [`sessions.${sessionId}`]: { before: 'active', after: 'ended' } });
  }

  /** POST /admin/users/{userId}/unlock: the sign-in back-off is cleared. */
  async unlock(context: ActionContext, userId: string) {
    const record = await this.record(userId);
    const email = normalizeEmail(record.credential?.email ?? record.profile.email);
    const before = await this.backoffOf(email);
    await this.deps.throttles.clear(throttleKeys.loginAccount(email));
    await this.audit(context, 'unlock', record, { backoff: { before, after: { failures: 0, locked_until: null } } });
    return (await this.card(record)).backoff;
  }

  /** POST /admin/users/{userId}/disable and /enable. Disabling again keeps the first instant. */
  async setDisabled(context: ActionContext, userId: string, disabled: boolean) {
    const record = await this.record(userId);
    const before = record.profile.disabledAt ?? null;
    const after = disabled ? (before ?? new Date(this.deps.clock.now()).toISOString()) : null;
    await this.deps.users.setDisabled(userId, record.credential?.email ?? normalizeEmail(record.profile.email), after ?? undefined);
    // A TV sign-in approved before the disable must not complete after it: the TV's next poll gets access_denied.
    const denied = disabled ? await this.deps.users.denyDeviceGrants(userId) : 0;
    const changes: Record<string, FieldChange> = before === after ? {} : { disabledAt: { before, after } };
    if (denied) changes.deviceGrants = { before: record.deviceGrants.map((grant) => grant.userCode), after: [] };
    await this.audit(context, disabled ? 'disable' : 'enable', record, changes);
    return { user_id: userId, disabled_at: after };
  }

  /** POST /admin/users/{userId}/verification-email: at most `verificationEmailsPerHour` per user, counted before sending. */
  async sendVerificationEmail(context: ActionContext, userId: string, idempotencyKey?: string): Promise<ConsoleOutcome> {
    const record = await this.record(userId);
    if (record.profile.emailVerifiedAt) throw new ConflictError('This email address is already verified.');
    return oncePerKey(
      this.deps.portal,
      {
        operatorId: context.operator.userId,
        key: idempotencyKey,
        operation: 'admin-verification-email',
        request: { userId },
        now: this.now,
        ttlSeconds: this.deps.settings.idempotencyTtlSeconds,
      },
      async () => {
        const now = this.now;
        const hour = Math.floor(now / 3600);
        const counter = await this.deps.throttles.increment(`admin#verify#${userId}#${hour}`, now, (hour + 1) * 3600);
        if (counter.count > this.deps.settings.verificationEmailsPerHour) throw new TooManyAttemptsError((hour + 1) * 3600 - now);
        await this.deps.verificationMailer.send(userId);
        await this.audit(context, 'verification-email', record, {});
        return { statusCode: 202, body: { sent: true, email: record.profile.email } };
      },
    );
  }

  /** PUT /admin/users/{userId}/partners: replaces both partner identities (absent or null removes one). */
  async setPartners(context: ActionContext, userId: string, partners: { acronis?: Record<string, unknown> | null; astrato?: Record<string, unknown> | null }) {
    const record = await this.record(userId);
    const attributes = record.profile.attributes ?? {};
    const next = { ...(partners.acronis ? { acronis: partners.acronis } : {}), ...(partners.astrato ? { astrato: partners.astrato } : {}) };
    await this.deps.users.setPartners(userId, next);
    const changes: Record<string, FieldChange> = {};
    for (const partner of ['acronis', 'astrato'] as const) {
      const before = attributes[partner] ?? null;
      const after = next[partner] ?? null;
      if (JSON.stringify(before) !== JSON.stringify(after)) changes[`attributes.${partner}`] = { before, after };
    }
    await this.audit(context, 'set-partners', record, changes);
    return { acronis: next.acronis ?? null, astrato: next.astrato ?? null };
  }

  /** GET /admin/users/{userId}/export: everything stored about the user, without hashes or secrets; the export itself is audited. */
  async export(context: ActionContext, userId: string) {
    const record = await this.record(userId);
    const card = await this.card(record);
    const entries = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.auditStore.list({ userId }, 100, cursor);
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
    await this.audit(context, 'export', record, {});
    return withoutSecrets(document) as Record<string, unknown>;
  }

  /** DELETE /admin/users/{userId}: the same deletion as delete-account (profile, email claim, sessions, counters, team seat). */
  async deleteUser(context: ActionContext, userId: string): Promise<void> {
    const record = await this.record(userId);
    await this.deps.users.denyDeviceGrants(userId);
    await this.deps.accounts.deleteAccount(userId, (email) => [throttleKeys.loginAccount(email)]);
    await this.audit(context, 'delete', record, { profile: { before: { email: record.profile.email }, after: null } });
  }

  /** GET /admin/audit: newest first, by target user or by actor (or all). */
  async auditTrail(_operator: Operator, filter: { userId?: string; actor?: string }, limit: number, cursor?: string) {
    const page = await this.deps.auditStore.list(filter, limit, cursor);
    return { entries: page.entries.map(auditView), next_cursor: page.nextCursor ?? null };
  }
}
