import type { SessionFamily } from '../ports';

/**
 * pending -> approved | denied (by the user on /activate), approved ->
 * redeemed (by exactly one poll). Nothing ever goes back.
 */
export type DeviceGrantStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

/** One RFC 8628 device authorization, stored under its user code. */
export interface DeviceGrant {
  /** Canonical user code: 8 letters, no dash. */
  userCode: string;
  /** SHA-256 of the device code; the device code itself is never stored. */
  deviceCodeHash: string;
  clientId: string;
  scope?: string;
  status: DeviceGrantStatus;
  /** Who approved it (set with `approved`). */
  userId?: string;
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds: after this the codes are dead and polls answer `expired_token`. */
  codeExpiresAt: number;
  /** Seconds the device must wait between polls; grows by 5 on every `slow_down`. */
  interval: number;
  /** Epoch milliseconds of the last poll (the creation time before the first). */
  lastPolledAt: number;
  /** Epoch seconds of the approval or denial. */
  decidedAt?: number;
  /** How the approver proved the sign-in (RFC 8176), set with `approved`: the TV's session carries it. */
  amr?: string[];
}

/** `signed-out`: the user signed out everywhere (or reset the password) at or after the approval. */
/** Who approves; `session` when the approval was made with an access token (its `sid` and `iat`). */
export interface ApprovalDecision {
  status: 'approved';
  userId: string;
  session?: { familyId: string; issuedAt: number };
  /** How the approver signed in: the password alone, or with a second factor (RFC 8176 values). */
  amr?: string[];
}

export type RedeemOutcome = 'redeemed' | 'not-approved' | 'user-gone' | 'signed-out' | 'disabled';

export interface DeviceGrantStore {
  /** Stores a new grant unless a live grant already holds its user code; false on such a collision. */
  create(grant: DeviceGrant, now: number): Promise<boolean>;
  get(userCode: string): Promise<DeviceGrant | undefined>;
  /** Records a poll of a still-pending grant (and its new interval); false when it is no longer pending. */
  recordPoll(userCode: string, deviceCodeHash: string, polledAt: number, interval: number): Promise<boolean>;
  /**
   * pending -> approved (with the user) or denied, only while the code lives;
   * false otherwise. An approval's own write also checks, in the same
   * transaction, that the user is not disabled and, for an approval made
   * with an access token (`session`), that the token's session still exists
   * and no sign-out cut ("sessions not before") came after the token's
   * `iat` (in whole seconds, as SessionCheck reads it): UnauthenticatedError / AccountDisabledError then, and nothing is
   * approved. So an approval racing a sign-out either lands before the cut
   * (and the redemption's own check voids it) or not at all.
   */
  decide(userCode: string, decision: ApprovalDecision | { status: 'denied' }, now: number): Promise<boolean>;
  /**
   * approved -> redeemed and the new session family written, in one
   * transaction: the grant is spent exactly when the tokens exist. With
   * `approvedAt`, the same transaction checks that the user's "sessions not
   * before" is older than the approval.
   */
  redeem(userCode: string, deviceCodeHash: string, session: SessionFamily, approvedAt?: number): Promise<RedeemOutcome>;
}
