import type { Clock } from '../clock';
import { normalizeEmail } from '../email';
import { type ManagedUser, PORTAL_ADMIN } from './ports';

export interface AdminDirectoryDeps {
  /** The production tenant's users-by-email; undefined when the tenant is not configured for this function. */
  lookup(): { usersByEmail(email: string): Promise<ManagedUser[]> } | undefined;
  clock: Clock;
  ttlSeconds: number;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
}

/** The reference portal's first-admin step: `portal-admin` in the Auth0 user's `app_metadata.permissions`. */
export function grantsPortalAdmin(user: ManagedUser, email: string): boolean {
  const permissions = user.appMetadata.permissions;
  return normalizeEmail(user.email) === email && Array.isArray(permissions) && permissions.includes(PORTAL_ADMIN);
}

/**
 * Portal admins named in Auth0, looked up by (already verified) email and
 * cached briefly per instance. Anything short of a clear answer from Auth0
 * (outage, timeout, odd data) means "not an admin", and is not cached, so the
 * next request asks again.
 */
export class AdminDirectory {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(private readonly deps: AdminDirectoryDeps) {}

  async isAdmin(email: string): Promise<boolean> {
    const key = normalizeEmail(email);
    const now = this.deps.clock.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.admin;
    const api = this.deps.lookup();
    if (!api) return false;
    try {
      const admin = (await api.usersByEmail(key)).some((user) => grantsPortalAdmin(user, key));
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(key, { admin, until: now + this.deps.ttlSeconds * 1000 });
      return admin;
    } catch (error) {
      this.deps.log.warn('portal: Auth0 admin lookup failed; treating the user as not an admin', {
        errorType: error instanceof Error ? error.name : typeof error,
      });
      return false;
    }
  }
}
