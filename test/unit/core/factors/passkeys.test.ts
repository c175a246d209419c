import { isClonedCounter, userHandleOf } from '../../../../lambdas/core/factors/passkeys';
import { passkeyProof, passwordProof, withFactor } from '../../../../lambdas/core/sessions';

describe('isClonedCounter', () => {
  it('accepts an authenticator that keeps no counter (0 and 0)', () => {
    expect(isClonedCounter(0, 0)).toBe(false);
  });

  it('accepts a counter that moved forward, also from a first use', () => {
    expect(isClonedCounter(0, 1)).toBe(false);
    expect(isClonedCounter(41, 42)).toBe(false);
  });

  it('refuses a counter that stayed or went backwards once the authenticator keeps one', () => {
    expect(isClonedCounter(5, 5)).toBe(true);
    expect(isClonedCounter(5, 4)).toBe(true);
    expect(isClonedCounter(5, 0)).toBe(true);
  });
});

describe('passkeyProof', () => {
  it('says hwk for a device-bound passkey and swk for a synced one', () => {
    expect(passkeyProof({ backedUp: false, userVerified: false }, 100)).toEqual({ amr: ['hwk'] });
    expect(passkeyProof({ backedUp: true, userVerified: false }, 100)).toEqual({ amr: ['swk'] });
  });

  it('adds user and mfa, and counts as a factor used now, when the user was verified', () => {
    expect(passkeyProof({ backedUp: false, userVerified: true }, 100)).toEqual({ amr: ['hwk', 'user', 'mfa'], factorUsedAt: 100 });
  });
});

describe('passwordProof', () => {
  it('names the second factor method: otp for a code, hwk or swk for a passkey', () => {
    expect(passwordProof(100)).toEqual({ amr: ['pwd', 'otp', 'mfa'], factorUsedAt: 100 });
    expect(passwordProof(100, 'swk')).toEqual({ amr: ['pwd', 'swk', 'mfa'], factorUsedAt: 100 });
  });
});

describe('withFactor', () => {
  it('adds the method and mfa to a session, once each', () => {
    expect(withFactor(['pwd'], 'otp')).toEqual(['pwd', 'otp', 'mfa']);
    expect(withFactor(['pwd', 'otp', 'mfa'], 'hwk')).toEqual(['pwd', 'otp', 'hwk', 'mfa']);
    expect(withFactor(['hwk', 'user', 'mfa'], 'hwk')).toEqual(['hwk', 'user', 'mfa']);
  });

  it('treats a session that kept no methods as a password one', () => {
    expect(withFactor([], 'otp')).toEqual(['pwd', 'otp', 'mfa']);
  });
});

describe('userHandleOf', () => {
  it('is the user id in base64url, never the email', () => {
    expect(Buffer.from(userHandleOf('user-1'), 'base64url').toString('utf8')).toBe('user-1');
  });
});
