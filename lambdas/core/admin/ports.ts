/**
 * What the operator console needs from the outside world. Adapters:
 * `adapters/dynamo/admin-store.ts` (user items, audit trail); the
 * verification sender is EmailVerification.sendLink (see `lambdas/runtime/admin.ts`).
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
  // A role (portal-admin, user-admin) granted: an invitation accepted, or an address named in configuration or Auth0 first used.
  'grant-role',
  'view',
  'search',
  'audit-read',
  'clear-ban',
  // Second factors (docs/security.md): a user's own recovery-code sign-in, an operator's reset.
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

/** An entry and the end of its retention (epoch seconds), ready to be written with its action. */
export interface AuditRecord {
  entry: AuditEntry;
  expiresAt: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Opaque; pass it back as `cursor` for the next (older) page. */
  nextCursor?: string;
}

export interface AuditStore {
  /** Stores the entry under the target, the actor and the global list, with the retention TTL. */
  append(record: AuditRecord): Promise<void>;
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
  /** `recordedGrants`: the roles an address was granted and audited (`<role>:<source>`, core/admin/role-grants.ts). */
  portal?: { teamId?: string; permissions: string[]; recordedGrants?: string[] };
  /** Reset links still on file (hashes never leave the adapter). */
  resets: { createdAt: number; expiresAt: number; usedAt?: number }[];
}

/** A user's partner identities as the console stores them under `attributes.<partner>`. */
export interface PartnerIdentities {
  acronis?: Record<string, unknown>;
  astrato?: Record<string, unknown>;
}

/**
 * Every write below takes the action's audit entry and stores it in the same
 * transaction: the action and its entry happen together or not at all.
 */
export interface AdminUserStore {
  /** Profile, credential, sessions, device grants, portal membership and reset records; undefined when there is no profile. */
  read(userId: string): Promise<UserRecord | undefined>;
  /** Sets or clears `disabledAt` on the profile and the credential in one transaction; NotFoundError when the user is gone. */
  setDisabled(userId: string, email: string, disabledAt: string | undefined, audit: AuditRecord): Promise<void>;
  /**
   * Moves the user's "sessions not before" to `now` (the cut of sign-out
   * everywhere: no token, refresh or TV approval from before it counts);
   * NotFoundError when the user is gone.
   */
  cutSessions(userId: string, now: number, audit: AuditRecord): Promise<void>;
  /** Ends one session; NotFoundError when it is gone already. */
  endSession(userId: string, familyId: string, audit: AuditRecord): Promise<void>;
  /** Clears the sign-in back-off counter under `throttleKey`. */
  clearBackoff(throttleKey: string, audit: AuditRecord): Promise<void>;
  /** Denies every approved, unredeemed device grant of the user (the TV's next poll gets access_denied) and forgets the pointers. */
  denyDeviceGrants(userId: string): Promise<number>;
  /**
   * Writes `attributes.acronis` / `attributes.astrato` (absent: removed) and
   * moves the account's partner-identity claims (`partnerClaims`) from the
   * stored identities to the new ones in the same transaction: ConflictError
   * when another account holds one of the new identities (or a concurrent
   * change got there first); NotFoundError when the user is gone.
   */
  setPartners(userId: string, partners: PartnerIdentities, audit: AuditRecord): Promise<void>;
}

/** Sends a new email-verification link to the user (issue 9 owns the real flow; this is its narrow seam). */
export interface VerificationMailer {
  send(userId: string): Promise<void>;
}

/** The ban a deleted disabled account leaves on its address (see docs/security.md, "Bans and deletions"). */
export interface Ban {
  /** The deleted account the ban came from. */
  userId: string;
  bannedAt: string;
}

export interface BanStore {
  /** The ban on the address with this hash, if one stands. */
  find(addressHash: string): Promise<Ban | undefined>;
  /**
   * Lifts exactly this ban and stores the audit entry in the same
   * transaction; false (nothing written) when the ban was lifted meanwhile.
   */
  clear(addressHash: string, ban: Ban, entry: AuditEntry, expiresAt: number): Promise<boolean>;
}
