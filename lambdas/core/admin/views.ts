import { type BackoffPolicy, backoffDelaySeconds } from '../backoff';
import { sessionView } from '../my-sessions';
import type { Team } from '../portal/ports';
import type { ThrottleCounter } from '../ports';
import type { AuditEntry, UserRecord } from './ports';

const iso = (epoch: number) => new Date(epoch * 1000).toISOString();

function verifiedAt(value: unknown): string | null {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  if (typeof value === 'number' && value > 0) return iso(value);
  return null;
}

function objectOrNull(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Failures counted on the account and the end of the wait they impose now (null: no wait). */
export function backoffView(counter: ThrottleCounter | undefined, policy: BackoffPolicy, now: number) {
  if (!counter) return { failures: 0, locked_until: null as string | null };
  const until = counter.lastAt + backoffDelaySeconds(counter.count, policy);
  return { failures: counter.count, locked_until: until > now ? iso(until) : null };
}

/** The user card: everything support needs, never a hash. */
export function userView(record: UserRecord, backoff: ReturnType<typeof backoffView>, team: Team | undefined) {
  const { profile } = record;
  const { acronis, astrato, ...extra } = profile.attributes ?? {};
  const sessions = [...record.sessions].sort((a, b) => b.lastUsedAt - a.lastUsedAt);
  const lastSignIn = sessions.reduce((latest, session) => Math.max(latest, session.createdAt), 0);
  return {
    user_id: profile.id,
    email: profile.email,
    first_name: profile.firstName ?? '',
    last_name: profile.lastName ?? '',
    email_verified: verifiedAt(profile.emailVerifiedAt) !== null,
    email_verified_at: verifiedAt(profile.emailVerifiedAt),
    consents: { marketing: profile.approveMarketing === true, terms_accepted_at: profile.termsAcceptedAt ?? null },
    extra_fields: extra,
    created_at: profile.createdAt ?? null,
    last_sign_in_at: lastSignIn ? iso(lastSignIn) : null,
    disabled_at: profile.disabledAt ?? null,
    backoff,
    sessions: sessions.map(sessionView),
    device_grants: record.deviceGrants.map((grant) => ({
      user_code: grant.userCode,
      client_id: grant.clientId,
      status: grant.status,
      created_at: iso(grant.createdAt),
      expires_at: iso(grant.codeExpiresAt),
    })),
    team: team ? { id: team.teamId, name: team.name } : null,
    permissions: record.portal?.permissions ?? [],
    partners: { acronis: objectOrNull(acronis), astrato: objectOrNull(astrato) },
  };
}

export function auditView(entry: AuditEntry) {
  return {
    id: entry.auditId,
    at: entry.at,
    actor_id: entry.actorId,
    actor_email: entry.actorEmail,
    action: entry.action,
    target_user_id: entry.targetUserId,
    target_email: entry.targetEmail ?? null,
    correlation_id: entry.correlationId,
    changes: entry.changes,
  };
}

/** Keys an export never carries, however deep: password and token hashes, secrets, sealed answers. */
const NEVER_EXPORTED = /hash|secret|sealed|^token$|_token$|^ott$|ticket/i;

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !NEVER_EXPORTED.test(key))
        .map(([key, item]) => [key, withoutSecrets(item)]),
    );
  }
  return value;
}
