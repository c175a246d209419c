import type { AuditRecord } from './admin/ports';
import type { AccountDeletionStore } from './ports';
import { throttleKeys } from './throttle';

export interface AccountDeletionDeps {
  accounts: AccountDeletionStore;
  /** Deletes the Auth0 clients of a team the deleted account was the last member of; never fails the deletion. */
  teamCleanup?: { tryNow(teamId: string, withinMs: number): Promise<boolean> };
  teamCleanupWithinMs?: number;
  /** The account's provider tokens (Apple), read before the deletion and revoked after it committed; never fails the deletion. */
  providerTokens?: { collect(userId: string): Promise<() => Promise<void>> };
}

/**
 * The one account deletion, by the user (delete-account) or by an operator
 * (the console, with its audit entry in the deletion's transaction): the
 * account's items, its sign-in counters, its team seat and partner claims go
 * in one transaction; a team it was the last member of has its Auth0 clients
 * and grants removed in the request. Stores require in-app deletion to work
 * even when Auth0 is slow or down: the clean-up is recorded, and the schedule finishes it.
 */
export async function deleteAccountNow(deps: AccountDeletionDeps, userId: string, audit?: AuditRecord): Promise<void> {
  // Read before the identities go; a failed read costs only the revocation, never the deletion.
  const revokeProviderTokens = await deps.providerTokens?.collect(userId).catch(() => undefined);
  const deletion = await deps.accounts.deleteAccount(userId, (email) => [throttleKeys.loginAccount(email)], audit);
  if (deletion.emptiedTeamId && deps.teamCleanup) await deps.teamCleanup.tryNow(deletion.emptiedTeamId, deps.teamCleanupWithinMs ?? 3000);
  await revokeProviderTokens?.().catch(() => undefined);
}
