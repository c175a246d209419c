import { requireMayActOn, requirePortalAdmin, roleOf } from '../../../../lambdas/core/admin/roles';
import { ForbiddenError } from '../../../../lambdas/core/errors';

describe('roleOf', () => {
  const settings = { portalAdminEmails: ['pa@example.com'], userAdminEmails: ['ua@example.com'] };
  const verified = (email: string) => ({ email, emailVerifiedAt: '2026-12-01T10:00:00Z' });

  it('reads the strongest role from the permissions, or from a verified configured address', () => {
    expect(roleOf(verified('x@example.com'), ['user-admin', 'portal-admin'], settings)).toBe('portal-admin');
    expect(roleOf(verified('x@example.com'), ['user-admin'], settings)).toBe('user-admin');
    expect(roleOf(verified('PA@example.com'), [], settings)).toBe('portal-admin');
    expect(roleOf(verified('ua@example.com'), [], settings)).toBe('user-admin');
    expect(roleOf(verified('x@example.com'), [], settings)).toBe('user');
  });

  it('gives a configured address no role until it is verified', () => {
    expect(roleOf({ email: 'pa@example.com' }, [], settings)).toBe('user');
    expect(roleOf({ email: 'ua@example.com' }, [], settings)).toBe('user');
  });
});

describe('requireMayActOn', () => {
  const act =
    (operatorRole: 'user-admin' | 'portal-admin', targetRole: 'user' | 'user-admin' | 'portal-admin', same = false) =>
    () =>
      requireMayActOn({ userId: 'op', role: operatorRole }, { userId: same ? 'op' : 'target', role: targetRole });

  it('lets an operator act only on weaker roles: portal admin > user admin > user', () => {
    expect(act('user-admin', 'user')).not.toThrow();
    expect(act('portal-admin', 'user')).not.toThrow();
    expect(act('portal-admin', 'user-admin')).not.toThrow();
    expect(act('user-admin', 'user-admin')).toThrow(ForbiddenError);
    expect(act('user-admin', 'portal-admin')).toThrow(ForbiddenError);
    expect(act('portal-admin', 'portal-admin')).toThrow(ForbiddenError);
  });

  it('refuses any action on the operator themselves, whatever the roles', () => {
    expect(act('portal-admin', 'user', true)).toThrow('You cannot act on your own account through the operator console. Ask another admin to do it.');
  });
});

describe('requirePortalAdmin', () => {
  it('lets only a portal admin change partner identities', () => {
    expect(() => requirePortalAdmin({ role: 'portal-admin' })).not.toThrow();
    expect(() => requirePortalAdmin({ role: 'user-admin' })).toThrow(ForbiddenError);
  });
});
