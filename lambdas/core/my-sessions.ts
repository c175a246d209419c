import { type Clock, epochSeconds } from './clock';
import { NotFoundError } from './errors';
import type { SessionFamily, SessionStore } from './ports';

const iso = (epoch: number) => new Date(epoch * 1000).toISOString();

/** One session as a person sees it (the operator console's user card and the user's own list share it): never a hash. */
export function sessionView(session: SessionFamily) {
  return {
    session_id: session.familyId,
    client: session.clientId ? 'tv' : 'app',
    client_id: session.clientId ?? null,
    started_at: iso(session.createdAt),
    last_used_at: iso(session.lastUsedAt),
    expires_at: iso(session.expiresAt),
  };
}

/** A family still speaks for its user: TTL deletes lazily, so an item past either end is already gone for everyone. */
export function isLive(session: SessionFamily, now: number): boolean {
  return session.expiresAt > now && session.absoluteExpiresAt > now;
}

export const SESSION_NOT_FOUND = 'You have no session with this id.';

/**
 * "My sessions and devices": the signed-in user's own refresh-token families.
 * The caller's session (the `sid` of its access token) is marked `current`.
 * Another user's session id is answered exactly like a missing one: the key
 * is the caller's own partition, so it is never even read.
 */
export class MySessions {
  constructor(
    private readonly store: Pick<SessionStore, 'listSessions' | 'getSession' | 'revokeSession'>,
    private readonly clock: Clock,
  ) {}

  /** Every live session of `userId`, most recently used first. */
  async list(userId: string, currentSessionId: string) {
    const now = epochSeconds(this.clock);
    const sessions = (await this.store.listSessions(userId)).filter((session) => isLive(session, now));
    return sessions
      .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
      .map((session) => ({
        ...sessionView(session),
        amr: session.amr ?? [],
        network: session.network ?? null,
        current: session.familyId === currentSessionId,
      }));
  }

  /** Ends one of the user's own sessions; says whether it was the one asking. NotFoundError for an id the user has no live session with. */
  async end(userId: string, currentSessionId: string, sessionId: string): Promise<{ current: boolean }> {
    const session = await this.store.getSession(userId, sessionId);
    if (!session || !isLive(session, epochSeconds(this.clock))) throw new NotFoundError(SESSION_NOT_FOUND);
    await this.store.revokeSession(userId, sessionId);
    return { current: sessionId === currentSessionId };
  }
}
