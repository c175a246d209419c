/**
 * Second factors (docs/security.md). A user has any number of factors, each an
 * item of its own kind; `totp` is built, `passkey` (WebAuthn) slots in as a
 * second kind with its own fields and its own ceremony, under the same list,
 * rename, remove, count and policy.
 */

export type FactorKind = 'totp' | 'passkey';

export interface StoredFactor {
  userId: string;
  factorId: string;
  kind: FactorKind;
  /** The user's name for it ("Phone", "YubiKey"). */
  label: string;
  /** Epoch seconds. */
  createdAt: number;
  /** Set once the first code proved the user holds the factor; an unconfirmed factor signs nothing in and expires. */
  confirmedAt?: number;
  lastUsedAt?: number;
  /** TOTP: the shared secret, sealed (AES-256-GCM, see secret-box.ts); never returned after enrolment. */
  sealedSecret?: string;
  /** TOTP: the last time step accepted; a code of this step or an earlier one is refused (RFC 6238 §5.2). */
  lastStep?: number;
  /** Passkey: the WebAuthn credential (docs/security.md, "Second factors and passkeys"). */
  passkey?: StoredPasskey;
}

/** A WebAuthn credential as stored: everything to verify its assertions, nothing secret. */
export interface StoredPasskey {
  /** The credential id (base64url), unique per authenticator. */
  credentialId: string;
  /** The COSE public key (base64url). */
  publicKey: string;
  /** The authenticator's signature counter at the last use; 0 when it keeps none. */
  signCount: number;
  transports: string[];
  /** Synced to other devices (a multi-device passkey) at the last use: `swk` in `amr`, else `hwk`. */
  backedUp: boolean;
  /** The authenticator model's id (all zeros when not disclosed, as with `none` attestation). */
  aaguid: string;
}

/** A WebAuthn challenge waiting for its answer: single use, short-lived (PASSKEY_CHALLENGE_TTL_SECONDS). */
export interface PasskeyChallenge {
  challengeId: string;
  /** The random challenge (base64url) the authenticator signs. */
  challenge: string;
  /** `register`: adding a passkey to `userId`; `authenticate`: a sign-in or a second factor. */
  purpose: 'register' | 'authenticate';
  userId?: string;
  /** Epoch seconds; a challenge at or past it is refused. */
  expiresAt: number;
}

export interface PasskeyChallengeStore {
  put(challenge: PasskeyChallenge): Promise<void>;
  /** One conditional delete: the challenge if it existed and had not expired, and it is gone for everyone else; undefined otherwise. */
  consume(challengeId: string, now: number): Promise<PasskeyChallenge | undefined>;
}

/** What a confirmation or removal changes besides the factor: the credential's count of confirmed factors (sign-in reads it). */
export interface FactorOwner {
  userId: string;
  /** The credential's (normalised) email. */
  email: string;
}

export interface FactorStore {
  /** Every factor of the user, confirmed or not, oldest first. */
  listFactors(userId: string): Promise<StoredFactor[]>;
  getFactor(userId: string, factorId: string): Promise<StoredFactor | undefined>;
  /** An enrolment waiting for its first code; forgotten at `expiresAt` unless confirmed. */
  putPendingFactor(factor: StoredFactor, expiresAt: number): Promise<void>;
  /**
   * One transaction: the factor becomes confirmed with `step` as its last step
   * (only if still unconfirmed), the credential's factor count goes up, and,
   * when given, the recovery codes are stored. False when it was confirmed meanwhile.
   */
  confirmFactor(owner: FactorOwner, factorId: string, step: number, now: number, recoveryCodeHashes?: string[]): Promise<boolean>;
  /** One conditional write: records `step` as used, only on a confirmed factor whose last step is earlier. False otherwise. */
  useStep(userId: string, factorId: string, step: number, now: number): Promise<boolean>;
  /**
   * One transaction: a factor confirmed at once (a passkey, proven by its
   * registration) is stored if its id is new, the count goes up, and, when
   * given, the recovery codes are stored. False when the id was taken.
   */
  addConfirmedFactor(owner: FactorOwner, factor: StoredFactor, recoveryCodeHashes?: string[]): Promise<boolean>;
  /**
   * One conditional write after a passkey assertion: the signature counter
   * moves from `previous` to `next` (both 0 for an authenticator that keeps
   * none) with the backed-up flag and the time. False when the stored counter
   * was no longer `previous` (a parallel use or a cloned authenticator).
   */
  usePasskey(userId: string, factorId: string, previous: number, next: number, backedUp: boolean, now: number): Promise<boolean>;
  renameFactor(userId: string, factorId: string, label: string): Promise<boolean>;
  /**
   * One transaction: deletes the confirmed factor and lowers the count. With
   * `keepOne` the count must stay at least one (a privileged account keeps a
   * factor); as the last factor (`last`) the recovery codes go too.
   * 'gone': no such confirmed factor; 'refused': it was the last one and `keepOne` held.
   */
  removeFactor(owner: FactorOwner, factorId: string, options: { keepOne: boolean; last: boolean }): Promise<'removed' | 'gone' | 'refused'>;
  /** Every factor and the recovery codes, and the count back to zero (an operator's reset). */
  removeAllFactors(owner: FactorOwner): Promise<number>;
  /** Replaces the recovery codes (only the hashes are stored). */
  saveRecoveryCodes(userId: string, hashes: string[], now: number): Promise<void>;
  /** One conditional write: removes `hash` from the unused codes; false when it is not (or no longer) among them. */
  consumeRecoveryCode(userId: string, hash: string, now: number): Promise<boolean>;
  recoveryCodesLeft(userId: string): Promise<number>;
  /** Step-up: the session records a second factor proven now, and its methods `amr` (with `mfa`). False when the session is gone. */
  markFactorUsed(userId: string, familyId: string, now: number, amr: string[]): Promise<boolean>;
}

/** A key (bytes) read from the configured secret source: seals TOTP secrets. */
export interface FactorKey {
  get(): Promise<Uint8Array>;
}
