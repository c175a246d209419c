import type { AccessTokenClaims, AccessTokens } from './access-tokens';
import { AccountDisabledError } from './admin/disabled';
import { UnauthenticatedError } from './errors';
import type { SessionStore, UserProfile } from './ports';

export interface SessionCheckDeps {
  tokens: AccessTokens;
  accounts: Pick<SessionStore, 'sessionStanding'>;
}

/**
 * What the check read, so nobody reads it again: the token's claims, what its
 * session itself records about how it was proven (the policy reads these, not
 * the token's copy), and the user's profile (absent only for a deleted
 * account's token let through by `acceptDeletedAccount`).
 */
export interface CheckedSession extends AccessTokenClaims {
  session: { amr: string[]; factorUsedAt?: number };
  profile?: UserProfile;
}

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/**
 * An access token that still speaks for its user: a valid signature is not
 * enough, since a token outlives a sign-out, a revocation or a password reset
 * by up to its lifetime. Its session (`sid`, the refresh-token family) must
 * still exist, the user too, and the token must not be older than the user's
 * "sessions not before". Costs two strongly consistent single-item reads, in
 * parallel, per request, and hands back what they read (see docs/security.md).
 */
export class SessionCheck {
  constructor(private readonly deps: SessionCheckDeps) {}

  /** The claims of `token`, its session and its user's profile when it verifies and its session stands; UnauthenticatedError otherwise. */
  async verify(
    token: string | undefined,
    options: { expiredGraceSeconds?: number; acceptDeletedAccount?: boolean; allowDisabled?: boolean } = {},
  ): Promise<CheckedSession> {
    if (!token) throw new UnauthenticatedError('Sign in first: send Authorization: Bearer <access token>.');
    const claims = await this.deps.tokens.verify(token, options);
    const standing = await this.deps.accounts.sessionStanding(claims.sub, claims.sid);
    // Deleting is idempotent: a genuine token of an account that no longer exists may "delete" it again, and acts on nothing else.
    const checked: CheckedSession = {
      ...claims,
      session: { amr: standing.amr ?? [], ...(standing.factorUsedAt !== undefined ? { factorUsedAt: standing.factorUsedAt } : {}) },
      ...(standing.profile ? { profile: standing.profile } : {}),
    };
    if (!standing.profileExists && options.acceptDeletedAccount) return checked;
    if (!standing.sessionExists || !standing.profileExists) throw new UnauthenticatedError(SESSION_ENDED);
    if (standing.sessionsNotBefore !== undefined && (claims.iat ?? 0) < standing.sessionsNotBefore) throw new UnauthenticatedError(SESSION_ENDED);
    // A disabled account's tokens stay signed and unexpired for a while: they act for nothing (deleting the account aside).
    if (standing.disabled && !options.allowDisabled) throw new AccountDisabledError();
    return checked;
  }
}
