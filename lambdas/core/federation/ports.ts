import type { Credential, SessionFamily, UserProfile } from '../ports';
import type { FederatedProvider } from './providers';

/** A provider identity `(provider, sub)` and the one account it belongs to. */
export interface FederatedIdentity {
  provider: FederatedProvider;
  sub: string;
  userId: string;
  /** The address the provider gave when the identity was linked (Apple: maybe a private relay). */
  email?: string;
  /** Epoch seconds. */
  linkedAt: number;
  /** Apple's private relay: `disabled` after an email-disabled notification (send no mail to the relay address), `enabled` after email-enabled. */
  relayEmailState?: RelayEmailState;
  /** The provider's refresh token (Apple's web flow), sealed; kept only to revoke it when the account is deleted. */
  sealedRefreshToken?: string;
  /** The client id the refresh token was issued to (the revoke's `client_id` and client secret `sub`). */
  refreshTokenClientId?: string;
}

export type RelayEmailState = 'enabled' | 'disabled';

/**
 * Apple's private relay state kept under the relay address itself (written with the identity's, see
 * FederatedIdentityStore.recordRelayEmailState): the mail asks it with one read, knowing nothing of the account.
 */
export interface RelayMailStates {
  /** Apple's latest word on the address is email-disabled. */
  disabled(address: string): Promise<boolean>;
}

/**
 * Federated identities: one item per `(provider, sub)` naming its account,
 * written only with a condition, so an identity belongs to exactly one
 * account; a copy under the user lists an account's identities.
 */
export interface FederatedIdentityStore {
  getIdentity(provider: FederatedProvider, sub: string): Promise<FederatedIdentity | undefined>;
  /**
   * A new account without a password, its identity and its first session in
   * ONE transaction: the email claimed (EmailTakenError), the address's ban
   * (AddressBannedError), the identity free or still naming `staleUserId`
   * (IdentityTakenError). Nothing is half-written.
   */
  createFederatedAccount(
    credential: Credential,
    profile: UserProfile,
    firstSession: SessionFamily,
    identity: FederatedIdentity,
    staleUserId?: string,
  ): Promise<void>;
  /**
   * Links the identity to an existing account if it is free (or names `staleUserId`, an account since deleted); IdentityTakenError otherwise.
   * With `whileSessionId`, only while that session of the account exists (UnauthenticatedError otherwise).
   */
  linkIdentity(identity: FederatedIdentity, staleUserId?: string, whileSessionId?: string): Promise<void>;
  /** The identities linked to an account (for /account). */
  listForUser(userId: string): Promise<FederatedIdentity[]>;
  /**
   * Removes the identity and its copy in one transaction, only while it names
   * `userId`; with `keeping`, only while that other identity still names the
   * user too (two unlinks at once never leave the account with none: ConflictError).
   */
  unlink(userId: string, provider: FederatedProvider, sub: string, keeping?: Pick<FederatedIdentity, 'provider' | 'sub'>): Promise<void>;
  /**
   * Records the relay's state on the identity and its copy, only when `at` (epoch seconds) is newer than the state
   * recorded; when the identity's email is an Apple relay address, also under that address (RelayMailStates), in the same transaction.
   */
  recordRelayEmailState(identity: FederatedIdentity, state: RelayEmailState, at: number): Promise<void>;
  /** Keeps a sealed provider refresh token on the identity and its copy, only while the identity names `identity.userId`. */
  saveProviderRefreshToken(identity: FederatedIdentity, clientId: string, sealedRefreshToken: string): Promise<void>;
}
