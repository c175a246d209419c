/**
 * What the core needs from the outside world. Adapters in `lambdas/adapters`
 * implement these against DynamoDB, Secrets Manager and SES; tests pass the
 * same adapters pointed at DynamoDB Local, or small in-memory fakes.
 */
import type { KeySet } from './key-set';

export interface Credential {
  email: string;
  userId: string;
  passwordHash: string;
  /** Set by an operator (ISO 8601): sign-in refuses without reading the profile. */
  disabledAt?: string;
}

export interface UserProfile {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  approveMarketing: boolean;
  termsAcceptedAt?: string;
  createdAt: string;
  /** Extra attributes partners may use, e.g. a per-user Acronis login or Astrato groups. */
  attributes?: Record<string, unknown>;
}

/** One refresh-token family: one sign-in on one device, rotated on every refresh. */
export interface SessionFamily {
  userId: string;
  familyId: string;
  /** Hash of the only refresh token of this family that may be used now. */
  currentHash: string;
  /** Hashes of tokens already rotated out; presenting one of them is reuse. */
  rotatedHashes: string[];
  clientId?: string;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute end of the family (epoch seconds), whatever its use. */
  absoluteExpiresAt: number;
  /** When the store may forget the family: min(absolute end, last use + idle lifetime). */
  expiresAt: number;
}

export interface PasswordResetRecord {
  userId: string;
  tokenHash: string;
  createdAt: number;
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
}

export type RotationOutcome = 'rotated' | 'stale' | 'gone' | 'disabled';

export interface AccountStore {
  /** Claims the email, writes the profile and the first session in one transaction; throws EmailTakenError. */
  createAccount(credential: Credential, profile: UserProfile, firstSession: SessionFamily): Promise<void>;
  getCredential(email: string): Promise<Credential | undefined>;
  getProfile(userId: string): Promise<UserProfile | undefined>;
  updatePasswordHash(email: string, userId: string, passwordHash: string): Promise<void>;
  /** Removes the profile, the email claim, every session, reset token and counter of the user. Idempotent. */
  deleteAccount(userId: string, throttleKeys: (email: string) => string[]): Promise<void>;

  /** Writes a new session, only if the user still exists; throws NotFoundError otherwise. */
  startSession(family: SessionFamily, credentialGuard?: CredentialGuard): Promise<void>;
  getSession(userId: string, familyId: string): Promise<SessionFamily | undefined>;
  /** Replaces `oldHash` by `newHash` only if `oldHash` is still current and the user still exists. */
  rotateSession(family: SessionFamily, oldHash: string, newHash: string, now: number, expiresAt: number, keepRotated: number): Promise<RotationOutcome>;
  revokeSession(userId: string, familyId: string): Promise<void>;
  revokeAllSessions(userId: string): Promise<void>;

  savePasswordReset(record: PasswordResetRecord): Promise<void>;
  /** A reset token's record, used or not, while the store keeps it. */
  getPasswordReset(userId: string, tokenHash: string): Promise<StoredPasswordReset | undefined>;
  /**
   * Spends the reset token (only if unused and unexpired), sets the new hash,
   * clears the given counters, deletes the user's other reset tokens and ends
   * every session family, in one transaction where it fits.
   */
  completePasswordReset(change: PasswordChange): Promise<PasswordChangeOutcome>;
}

export interface ThrottleCounter {
  /** Failures (or hits) counted so far. */
  count: number;
  /** Epoch seconds of the last counted event. */
  lastAt: number;
}

export interface ThrottleStore {
  read(keys: string[]): Promise<Map<string, ThrottleCounter>>;
  /** Atomically adds one and returns the new counter; the record expires at `expiresAt`. */
  increment(key: string, now: number, expiresAt: number): Promise<ThrottleCounter>;
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

export interface OutgoingEmail {
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

/** A reset token as stored: `usedAt` is set once it has changed the password. */
export interface StoredPasswordReset extends PasswordResetRecord {
  usedAt?: number;
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
