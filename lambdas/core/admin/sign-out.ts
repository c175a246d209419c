import type { SessionStore } from '../ports';
import type { AdminUserStore } from './ports';

/**
 * Ends every session and every approved-but-unredeemed TV sign-in of a user.
 * Grants go first: once denied, no poll can turn one into a new session, so
 * the session sweep that follows leaves nothing behind. The one place the
 * console signs a user out everywhere (the revocation work can replace the
 * body with its "sessions not before" instant without touching the callers).
 */
export async function signOutEverywhere(
  deps: { accounts: Pick<SessionStore, 'revokeAllSessions'>; users: Pick<AdminUserStore, 'denyDeviceGrants'> },
  userId: string,
): Promise<void> {
  await deps.users.denyDeviceGrants(userId);
  await deps.accounts.revokeAllSessions(userId);
}
