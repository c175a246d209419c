/**
 * What the operator console needs from the outside world. Adapters:
 * `adapters/dynamo/admin-store.ts` (user items, audit trail); the
 * verification sender is EmailVerification.sendLink (see `lambdas/runtime.ts`).
 */
import type { DeviceGrant } from '../oauth/ports';
import type { SessionFamily, UserProfile } from '../ports';

/** The permission that opens the operator console; stored like `portal-admin` on the user's portal membership. */
export const USER_ADMIN = 'user-admin';

/** Every action the console records. */
export const AUDIT_ACTIONS = [
  'sign-out',
  'end-session',
  'unlock',
  'disable',
  'enable',
  'verification-email',
  'set-partners',
  'export',
  'delete',
  // Second factors (docs/factors.md): a user's own recovery-code sign-in, an operator's reset.
  'recovery-code-used',
  'reset-factors',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One changed field: what it held before and after the action (never a secret). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  auditId: string;
  /** ISO 8601, UTC. */
  at: string;
  actorId: string;
  actorEmail: string;
  action: AuditAction;
  targetUserId: string;
  /** The target's email at the time (an export or a deletion must stay traceable after the profile is gone). */
  targetEmail?: string;
  correlationId: string;
  changes: Record<string, FieldChange>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Opaque; pass it back as `cursor` for the next (older) page. */
  nextCursor?: string;
}

export interface AuditStore {
  /** Stores the entry under the target, the actor and the global list, with the retention TTL. */
  append(entry: AuditEntry, expiresAt: number): Promise<void>;
  /** Newest first. */
  list(filter: { userId?: string; actor?: string }, limit: number, cursor?: string): Promise<AuditPage>;
}

/** The user-scoped items the console reads and changes. */
export interface UserRecord {
  profile: UserProfile & { disabledAt?: string; emailVerifiedAt?: string };
  credential?: { email: string; userId: string; disabledAt?: string; passwordUpdatedAt?: string };
  sessions: SessionFamily[];
  /** Approved device grants not yet redeemed by the TV, found through their pointers in the user's partition. */
  deviceGrants: DeviceGrant[];
  portal?: { teamId?: string; permissions: string[] };
  /** Reset links still on file (hashes never leave the adapter). */
  resets: { createdAt: number; expiresAt: number; usedAt?: number }[];
}

export interface AdminUserStore {
  /** Profile, credential, sessions, device grants, portal membership and reset records; undefined when there is no profile. */
  read(userId: string): Promise<UserRecord | undefined>;
  /** Sets or clears `disabledAt` on the profile and the credential in one transaction; NotFoundError when the user is gone. */
  setDisabled(userId: string, email: string, disabledAt: string | undefined): Promise<void>;
  /** Denies every approved, unredeemed device grant of the user (the TV's next poll gets access_denied) and forgets the pointers. */
  denyDeviceGrants(userId: string): Promise<number>;
  /** Writes `attributes.acronis` / `attributes.astrato` (absent: removed); NotFoundError when the user is gone. */
  setPartners(userId: string, partners: { acronis?: Record<string, unknown>; astrato?: Record<string, unknown> }): Promise<void>;
}

/** Sends a new email-verification link to the user (issue 9 owns the real flow; this is its narrow seam). */
export interface VerificationMailer {
  send(userId: string): Promise<void>;
}
