import { MfaRequiredError, StepUpRequiredError } from '../../../../lambdas/core/errors';
import { isPrivileged, requireMfaSession, requireRecentFactor } from '../../../../lambdas/core/factors/policy';

describe('second-factor policy', () => {
  it('lets only a two-factor session through to admin routes', () => {
    expect(() => requireMfaSession({ amr: ['pwd'] })).toThrow(MfaRequiredError);
    expect(() => requireMfaSession({ amr: [] })).toThrow(MfaRequiredError);
    expect(() => requireMfaSession({ amr: ['pwd', 'otp', 'mfa'] })).not.toThrow();
  });

  it('needs a factor used within the step-up window', () => {
    expect(() => requireRecentFactor({}, 10_000, 600)).toThrow(StepUpRequiredError);
    expect(() => requireRecentFactor({ factorUsedAt: 10_000 - 601 }, 10_000, 600)).toThrow(StepUpRequiredError);
    expect(() => requireRecentFactor({ factorUsedAt: 10_000 - 600 }, 10_000, 600)).not.toThrow();
  });

  it('counts portal admins and user admins, stored or configured, as privileged', () => {
    const named = { portalAdminEmails: ['boss@example.com'], userAdminEmails: ['ops@example.com'] };
    expect(isPrivileged(['portal-admin'], 'a@example.com', named)).toBe(true);
    expect(isPrivileged(['user-admin'], 'a@example.com', named)).toBe(true);
    expect(isPrivileged([], 'BOSS@example.com', named)).toBe(true);
    expect(isPrivileged([], 'ops@example.com', named)).toBe(true);
    expect(isPrivileged(['reader'], 'a@example.com', named)).toBe(false);
  });
});
