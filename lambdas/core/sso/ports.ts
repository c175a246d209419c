import type { PartnerClaim } from './partner-identities';
/** What the SSO hand-offs need from the partner clients in `lambdas/adapters/partners`. */

/** Carried into every partner call so its log lines can be matched to the request. */
export interface CallContext {
  correlationId: string;
}

export interface AstratoTicketRequest {
  email: string;
  /** Only when configured: Astrato may reset an existing user's groups to exactly this list. */
  groupIds?: string[];
  applyPendingInvites?: boolean;
  /** Row-level filters, e.g. `{"[orders].[string]": "acme"}`. */
  filterParameters?: Record<string, unknown>;
}

export interface AstratoPartner {
  /** A fresh single-use web ticket (never cached) and the base URL it is valid on. */
  createTicket(request: AstratoTicketRequest, context: CallContext): Promise<{ ticket: string; baseUrl: string }>;
}

/** Exactly one way to name the Acronis user (`user_id` is the Acronis user's UUID). */
export type AcronisIdentity = { login: string } | { external_id: string } | { user_id: string };

export interface AcronisPartner {
  /** The data-center URL from the current credentials (targets are checked against it before any OTT exists). */
  dataCenter(context: CallContext): Promise<string>;
  /** A fresh one-time token for the user (never cached). */
  createOtt(identity: AcronisIdentity, context: CallContext): Promise<string>;
}

/**
 * The partner identities handed off, each held by one account (`PARTNER#…` claim items). The hand-off claims the exact
 * identity it is about to send, whatever its source (an operator's mapping, an imported or migrated attribute, the
 * email), so two accounts can never reach the same partner account, even when records from before the claims exist.
 */
export interface PartnerClaimStore {
  /** Holds `claim` for `userId` (already held: true); false when another existing account holds it. */
  claim(userId: string, claim: PartnerClaim): Promise<boolean>;
}
