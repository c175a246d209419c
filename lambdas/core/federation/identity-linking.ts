import { type Clock, epochSeconds } from '../clock';
import { IdentityTakenError, NotFoundError, ProviderAlreadyLinkedError, UnauthenticatedError } from '../errors';
import type { SecondFactors } from '../factors/second-factors';
import type { CredentialStore, SessionStore } from '../ports';
import { randomToken, sha256 } from '../random';
import type { CheckedSession } from '../session-check';
import type { VerifiedIdentity } from './id-token';
import type { FederatedIdentity, FederatedIdentityStore } from './ports';
import type { FederatedProvider } from './providers';

/** How long the page has to take a link ticket to the start route (it does so at once). */
export const LINK_TICKET_TTL_SECONDS = 120;

/** Whose account a web flow links to, and from which session: the state item of the flow carries it to the callback. */
export interface LinkIntent {
  userId: string;
  /** The session (`sid`) that asked: it must still be live when the provider answers. */
  sessionId: string;
}

/** A one-use link ticket, kept under the SHA-256 of its value. */
export interface LinkTicket extends LinkIntent {
  provider: FederatedProvider;
  expiresAt: number;
}

/** Link tickets: written with their TTL, taken back by exactly one conditional delete. */
export interface LinkTicketStore {
  putLinkTicket(key: string, ticket: LinkTicket): Promise<void>;
  consumeLinkTicket(key: string, now: number): Promise<LinkTicket | undefined>;
}

/** Why a link did not happen; the account page shows the sentence for the code. */
export type LinkFailure = 'link_invalid' | 'session_ended' | 'identity_in_use' | 'already_linked';

export interface IdentityLinkingDeps {
  tickets: LinkTicketStore;
  identities: Pick<FederatedIdentityStore, 'getIdentity' | 'listForUser' | 'linkIdentity'>;
  accounts: Pick<SessionStore, 'sessionStanding'> & Pick<CredentialStore, 'getProfile'>;
  secondFactors: Pick<SecondFactors, 'requireRecentAuthentication'>;
  clock: Clock;
}

/**
 * Linking Apple or Google to the signed-in account from /account
 * (docs/native-sign-in.md): the session asks for a one-use ticket (a factor
 * proven recently, or without one a recent sign-in), the web flow carries the ticket's intent
 * in its state, and the callback, after verifying the ID token as for a
 * sign-in, links the identity to THAT account with one conditional write.
 * The provider's email need not match the account's: the person proved both.
 */
export class IdentityLinking {
  constructor(private readonly deps: IdentityLinkingDeps) {}

  /** POST /login-flow/identities/{provider}: a ticket for the start route, bound to the user and this session. */
  async issueTicket(session: CheckedSession, provider: FederatedProvider): Promise<{ ticket: string; expiresIn: number }> {
    await this.deps.secondFactors.requireRecentAuthentication(session.sub, session.session, session.auth_time);
    if (await this.hasProvider(session.sub, provider)) throw new ProviderAlreadyLinkedError();
    const ticket = randomToken(32);
    await this.deps.tickets.putLinkTicket(sha256(ticket), {
      userId: session.sub,
      sessionId: session.sid,
      provider,
      expiresAt: epochSeconds(this.deps.clock) + LINK_TICKET_TTL_SECONDS,
    });
    return { ticket, expiresIn: LINK_TICKET_TTL_SECONDS };
  }

  /** The start route takes the ticket (once); undefined when unknown, used, expired or of another provider. */
  async redeemTicket(ticket: string, provider: FederatedProvider): Promise<LinkIntent | undefined> {
    const taken = await this.deps.tickets.consumeLinkTicket(sha256(ticket), epochSeconds(this.deps.clock));
    if (!taken || taken.provider !== provider) return undefined;
    return { userId: taken.userId, sessionId: taken.sessionId };
  }

  /**
   * The callback's link, after the ID token was verified and spent: the
   * session must still stand, and the identity is written for the intent's
   * account only if it is free (or names a deleted account), while that
   * session still exists: one transaction. Another account's identity is
   * never touched. Returns the failure's code, or the identity linked.
   */
  async link(intent: LinkIntent, verified: VerifiedIdentity): Promise<FederatedIdentity | LinkFailure> {
    const { identities, accounts } = this.deps;
    const standing = await accounts.sessionStanding(intent.userId, intent.sessionId);
    if (!standing.sessionExists || !standing.profileExists || standing.disabled) return 'session_ended';
    const known = await identities.getIdentity(verified.provider, verified.sub);
    if (known?.userId === intent.userId) return 'already_linked';
    // An identity still naming a deleted account is free again (the write checks it still names that account).
    const stale = known && !(await accounts.getProfile(known.userId)) ? known.userId : undefined;
    if (known && !stale) return 'identity_in_use';
    if (await this.hasProvider(intent.userId, verified.provider)) return 'already_linked';
    const identity: FederatedIdentity = {
      provider: verified.provider,
      sub: verified.sub,
      userId: intent.userId,
      ...(verified.email ? { email: verified.email } : {}),
      linkedAt: epochSeconds(this.deps.clock),
    };
    try {
      await identities.linkIdentity(identity, stale, intent.sessionId);
      return identity;
    } catch (error) {
      // Another link of this provider won the race (the account's one-per-provider marker).
      if (error instanceof ProviderAlreadyLinkedError) return 'already_linked';
      if (error instanceof IdentityTakenError) return 'identity_in_use';
      if (error instanceof UnauthenticatedError || error instanceof NotFoundError) return 'session_ended';
      throw error;
    }
  }

  /** One identity per provider and account (what /account lists and unlinks by provider). */
  private async hasProvider(userId: string, provider: FederatedProvider): Promise<boolean> {
    return (await this.deps.identities.listForUser(userId)).some((identity) => identity.provider === provider);
  }
}
