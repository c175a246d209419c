import type { AuditRecord } from './admin/ports';

/**
 * What the core needs from the outside world. Adapters in `lambdas/adapters`
 * implement these against DynamoDB, Secrets Manager and SES; tests pass the
 * same adapters pointed at DynamoDB Local, or small in-memory fakes.
 */
import type { HmacKeyRing } from './hmac-key-ring';
import type { KeySet, PublicKeySet } from './key-set';

export interface Credential {
  email: string;
  userId: string;
  passwordHash: string;
  /** Set by an operator (ISO 8601): sign-in refuses without reading the profile. */
  disabledAt?: string;
  /**
   * The profile's "address proven" (`emailVerifiedAt` set), kept on the
   * credential too so a sign-in reads one item. Absent on credentials written
   * before it existed: the sign-in then reads the profile and fills it in.
   */
  emailVerified?: boolean;
  /** Confirmed second factors (docs/security.md): above zero, the password alone no longer signs in. */
  factorCount?: number;
  /** False on an account a provider sign-in created (its password is random, nobody knows it); every password write removes it. Absent: a password the person set. */
  passwordSet?: boolean;
}

export interface UserProfile {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  approveMarketing: boolean;
  termsAcceptedAt?: string;
  /** When the user ticked approveMarketing (absent: never). */
  marketingAcceptedAt?: string;
  /** Extra register fields of the platform's allow-list (REGISTRATION_EXTRA_FIELDS), as given. */
  profileFields?: Record<string, string | number | boolean>;
  createdAt: string;
  /** The language of the account's emails (en, de, es), chosen when it registered; absent: English. */
  locale?: string;
  /** When the user proved they read this address (a verification or password-reset link); absent: not verified. */
  emailVerifiedAt?: string;
  /** Epoch seconds when a verification link was first sent (accounts from before verification have none). */
  verificationSentAt?: number;
  /** Extra attributes partners may use, e.g. a per-user Acronis login or Astrato groups. */
  attributes?: Record<string, unknown>;
  /** Imported users: the old system's id, kept for support. */
  externalId?: string;
  /** Imported users: accounts at identity providers the old system had linked. */
  identities?: { provider: string; userId: string }[];
  /** Set by an operator (ISO 8601), copied onto the credential: the account is disabled. */
  disabledAt?: string;
}

/** One refresh-token family: one sign-in on one device, rotated on every refresh. */
export interface SessionFamily {
  userId: string;
  familyId: string;
  /** Hash of the only refresh token of this family that may be used now. */
  currentHash: string;
  /** Hash of the token the last rotation replaced: within the grace window it gets the same successor again. */
  previousHash?: string;
  /** When the last rotation happened (epoch seconds); the grace window runs from here. */
  rotatedAt?: number;
  /** Families written before rotation became one request kept a list of rotated-out hashes; the next rotation drops it. */
  rotatedHashes?: string[];
  clientId?: string;
  /** The IPv4 /24 or IPv6 /48 of the address that started the family (never the address); families started before it was kept have none. */
  network?: string;
  /** The address was verified when the family started, or has been since: the `email_verified` claim of refreshed tokens. */
  emailVerified?: boolean;
  /** Set while the account is disabled (operator console): the family keeps its token but cannot refresh. */
  disabledAt?: string;
  /** How the user proved who they are (RFC 8176 values: `pwd`, `otp`, `mfa`); every token of the family carries it as `amr`. */
  amr?: string[];
  /** When the user signed in (epoch seconds): the `auth_time` claim of every token of the family. */
  authTime?: number;
  /** When a second factor was last proven in this session (sign-in or step-up), epoch seconds: step-up decides from it. */
  factorUsedAt?: number;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute end of the family (epoch seconds), whatever its use. */
  absoluteExpiresAt: number;
  /** When the store may forget the family: min(absolute end, last use + idle lifetime). */
  expiresAt: number;
}

/**
 * Binds a new session to the password that was just verified: the session is
 * written only if that hash is still the stored one, so a sign-in that
 * verified the old password cannot land after a password change.
 */
export interface CredentialGuard {
  email: string;
  passwordHash: string;
  /** The credential predates its `emailVerified` copy: the session's write fills in this value (never over a newer one). */
  fillEmailVerified?: boolean;
}

/**
 * What a successful sign-in gives back to its limits: the account's failure
 * streak ends and the address gets its unit back. A sign-in writes it in the
 * same request as its session; a password check that starts no session
 * writes it alone.
 */
export interface ThrottleRelease {
  clear: string[];
  giveBack: { key: string; expiresAt: number }[];
}

export interface AccountDeletion {
  /** A portal team the account was the last member of: recorded for clean-up. */
  emptiedTeamId?: string;
}

/** See SessionStore.sessionStanding. */
export interface SessionStanding {
  /** The family (refresh-token family, the token's `sid`) still exists: not revoked, not expired. */
  sessionExists: boolean;
  profileExists: boolean;
  /** The profile itself, read in the same request: callers of the session check need not read it again. */
  profile?: UserProfile;
  /** Epoch seconds: tokens issued before it, and device approvals made before it, no longer count. */
  sessionsNotBefore?: number;
  /** An operator disabled the account: its tokens act for nothing but deleting it. */
  disabled?: boolean;
  /** The session's own record of how it was proven (not the token's copy): policy decides from these. */
  amr?: string[];
  factorUsedAt?: number;
}

export type RotationOutcome = 'rotated' | 'stale' | 'gone' | 'disabled';

/**
 * One refresh as one conditional write: replace `presentedHash` by `nextHash`
 * only if it is the family's current hash, the family is within its lifetimes
 * (and belongs to `clientId`, when one is given).
 */
export interface RotationRequest {
  userId: string;
  familyId: string;
  presentedHash: string;
  nextHash: string;
  now: number;
  /** The family must have been used after this (epoch seconds): now minus the idle lifetime. */
  idleCutoff: number;
  /** The new TTL of the item (cleanup only: the condition enforces the lifetimes). */
  expiresAt: number;
  clientId?: string;
}

/** Rotated, with what the response needs; or not, with the family as the failed condition saw it (absent: no such family). */
export type RotationAttempt =
  | { rotated: true; clientId?: string; emailVerified?: boolean; amr?: string[]; authTime?: number }
  | { rotated: false; family?: SessionFamily };

/** The server-side key successor refresh tokens are derived from (HMAC), so a retried refresh recomputes the same successor. */
/** An HMAC key ring rotated on a schedule (see lambdas/core/hmac-key-ring.ts): the refresh-token key, the invitation key. */
export interface HmacKeySource {
  get(): Promise<HmacKeyRing>;
  /** Reads the ring again now: another instance may have met a key rotated in since this one read it. */
  reload?(): Promise<HmacKeyRing>;
}

/** The key successor refresh tokens are derived from. */
export type RefreshTokenKey = HmacKeySource;

/** The profile, for whoever shows it or acts on it. */
export interface ProfileReader {
  getProfile(userId: string): Promise<UserProfile | undefined>;
}

/** Accounts and their password: registration, sign-in, and the password's re-hash. */
export interface CredentialStore extends ProfileReader {
  /** Claims the email, writes the profile and the first session in one transaction; throws EmailTakenError. */
  createAccount(credential: Credential, profile: UserProfile, firstSession: SessionFamily): Promise<void>;
  getCredential(email: string): Promise<Credential | undefined>;
  updatePasswordHash(email: string, userId: string, passwordHash: string): Promise<void>;
}

/** Refresh-token families, and what a request acting for the user must know about its session. */
export interface SessionStore {
  /**
   * Writes a new session, only if the user still exists (NotFoundError) and,
   * with a guard, only if the password is still the verified one. A `release`
   * rides in the same transaction (one request for the whole success path);
   * if other requests keep changing its counters, the session is written
   * without it and the counters are released one by one.
   */
  startSession(family: SessionFamily, credentialGuard?: CredentialGuard, release?: ThrottleRelease): Promise<void>;
  getSession(userId: string, familyId: string): Promise<SessionFamily | undefined>;
  /** Every family item of the user, whatever its end (TTL deletes lazily): the caller decides what is live. */
  listSessions(userId: string): Promise<SessionFamily[]>;
  /** One conditional UpdateItem; on a failed condition the old item comes back with the failure, never from a second read. */
  rotateSession(request: RotationRequest): Promise<RotationAttempt>;
  revokeSession(userId: string, familyId: string): Promise<void>;
  revokeAllSessions(userId: string): Promise<void>;
  /**
   * What a request acting for the user must know about its session: one
   * strongly consistent read each of the family and of the profile, in parallel.
   */
  sessionStanding(userId: string, familyId: string): Promise<SessionStanding>;
  /**
   * Sets the user's "sessions not before" to `now` and ends every session
   * family; false when the account no longer exists.
   */
  signOutEverywhere(userId: string, now: number): Promise<boolean>;
}

/** The password change a reset link makes: spends the link (see SingleUseTokenStore) with the new password. */
export interface PasswordResetStore {
  /**
   * Spends the reset token (only if unused and unexpired), sets the new hash,
   * clears the given counters, deletes the user's other reset tokens and ends
   * every session family, in one transaction where it fits.
   */
  completePasswordReset(change: PasswordChange): Promise<PasswordChangeOutcome>;
}

/** What a single-use token is for; each purpose has its own item keys and lifetime. */
export type SingleUseTokenPurpose = 'password-reset' | 'email-verification';

/** A single-use token as stored: only its SHA-256; `usedAt` once spent. */
export interface SingleUseToken {
  userId: string;
  tokenHash: string;
  /** The (normalised) address an email-verification link was sent to: it verifies that address only. */
  email?: string;
  createdAt: number;
  /** Epoch seconds; also the item's TTL. */
  expiresAt: number;
  usedAt?: number;
}

/**
 * Password-reset and email-verification links: stored by hash in the user's
 * partition (they die with the account), spent once by the store that acts
 * on them (PasswordResetStore, EmailVerificationStore) with one conditional
 * write inside the same transaction as the act.
 */
export interface SingleUseTokenStore {
  save(purpose: SingleUseTokenPurpose, token: Omit<SingleUseToken, 'usedAt'>): Promise<void>;
  /** A token's record, used or not, while the store keeps it. */
  get(purpose: SingleUseTokenPurpose, userId: string, tokenHash: string): Promise<SingleUseToken | undefined>;
}

/** Removing an account and everything it owns. */
export interface AccountDeletionStore {
  /**
   * Removes the profile, the email claim, every session, reset token and counter of the user. Idempotent.
   * When the user was the last member of a portal team, the same transaction records the team's clean-up
   * (its Auth0 clients must go) and `emptiedTeamId` names it. The partner identities the account claimed are
   * released in it, and an operator's deletion writes its `audit` entry in it too.
   */
  deleteAccount(userId: string, throttleKeys: (email: string) => string[], audit?: AuditRecord): Promise<AccountDeletion>;
}

export interface ThrottleCounter {
  /** Failures (or hits) counted so far. */
  count: number;
  /** Epoch seconds of the last counted event. */
  lastAt: number;
  /** Past the limit, the next take waits until this instant (epoch seconds); only counters taken with a hold have it. */
  heldUntil?: number;
}

/**
 * One attempt to take a unit of a limit. The counter goes up only if it is
 * under `limit`, or (with `holdSeconds`) past it but its hold has ended; a
 * taken unit past the limit starts a new hold of `holdSeconds`.
 */
export interface TakeRule {
  limit: number;
  /** Epoch seconds. */
  now: number;
  /** When the counter may be forgotten; a counter past it counts from zero again. */
  expiresAt: number;
  holdSeconds?: number;
}

export interface TakeOutcome {
  taken: boolean;
  /** The counter after the take (taken), or as it stood (refused). */
  counter: ThrottleCounter;
}

/**
 * Several takes in one request, all or none. Decided: taken, or refused by
 * the named counters (as they stood). Undecided when one request cannot tell
 * (a counter past its expiry that must restart, or another request changing
 * the same counter at that moment): nothing was counted, take them one by one.
 * A taken outcome carries no counts: a transaction returns nothing on success.
 */
export type TakeAllOutcome =
  | { decided: true; taken: true }
  | { decided: true; taken: false; refused: { key: string; counter: ThrottleCounter }[] }
  | { decided: false };

export interface ThrottleStore {
  read(keys: string[]): Promise<Map<string, ThrottleCounter>>;
  /** Atomically adds one and returns the new counter; the record expires at `expiresAt`. */
  increment(key: string, now: number, expiresAt: number): Promise<ThrottleCounter>;
  /**
   * Takes one unit of a limit with one conditional write, before the work the
   * limit protects: of N parallel takes at most the room left succeed.
   */
  take(key: string, rule: TakeRule): Promise<TakeOutcome>;
  /** Takes one unit of each limit in one conditional request (a transaction), or none; see TakeAllOutcome. */
  takeAll(takes: { key: string; rule: TakeRule }[]): Promise<TakeAllOutcome>;
  /** Ends the given streaks and gives the given units back, one write each, in parallel. */
  release(release: ThrottleRelease): Promise<void>;
  /** Gives one taken unit back (the attempt succeeded, or another limit refused it); never below zero. */
  giveBack(key: string): Promise<void>;
  /** Sets the hold of a counter, only while it still has `count` (a later take already set its own). */
  holdUntil(key: string, count: number, until: number): Promise<void>;
  clear(key: string): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with weaker parameters than the current ones. */
  needsRehash(hash: string): boolean;
}

export interface KeySetSource {
  /** The key set, possibly cached. */
  get(): Promise<KeySet>;
  /** The key set read again from its store, bypassing any cache (used when a `kid` is unknown). */
  reload(): Promise<KeySet>;
}

/** The public-keys-only document, for functions that verify but never sign. */
export interface PublicKeySetSource {
  get(): Promise<PublicKeySet>;
  reload(): Promise<PublicKeySet>;
}

/** Every kind of email the platform sends; each has its own per-recipient and per-sender limits (core/mail-limits.ts). */
export const MAIL_KINDS = ['verification', 'password-reset', 'password-changed', 'invitation', 'security-notice'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface OutgoingEmail {
  kind: MailKind;
  /**
   * The verified address of the user whose action sends it to someone else
   * (an invitation's inviter); absent for mail a user asks for themselves,
   * whose sender is the recipient.
   */
  sender?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Links the email carries, so the local outbox and tests can follow them without parsing HTML. */
  links: string[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

export interface PasswordChange {
  userId: string;
  /** The credential's (normalised) email. */
  email: string;
  tokenHash: string;
  passwordHash: string;
  /** Epoch seconds. */
  now: number;
  /** Brute-force counters the change clears. */
  throttleKeys: string[];
}

export type PasswordChangeOutcome = 'changed' | 'token-used' | 'token-expired' | 'token-unknown' | 'account-gone';
