import { codeAt, isTotpCode, matchingStep, newTotpSecret, TOTP_PERIOD_SECONDS, totpUri } from '../../../../lambdas/core/factors/totp';

const at = (step: number) => step * TOTP_PERIOD_SECONDS * 1000;

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  const secret = newTotpSecret();

  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T = 59 s -> 94287082 (8 digits); the last 6 are 287082.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(codeAt(rfcSecret, 59_000)).toBe('287082');
    expect(matchingStep(rfcSecret, '287082', 59_000)).toBe(1);
  });

  it('names the step a code belongs to, one step of drift either way, and nothing further', () => {
    const now = at(1000) + 5000;
    expect(matchingStep(secret, codeAt(secret, at(1000)), now)).toBe(1000);
    expect(matchingStep(secret, codeAt(secret, at(999)), now)).toBe(999);
    expect(matchingStep(secret, codeAt(secret, at(1001)), now)).toBe(1001);
    expect(matchingStep(secret, codeAt(secret, at(997)), now)).toBeUndefined();
  });

  it('writes the otpauth URI authenticator apps scan', () => {
    expect(totpUri(secret, 'LoginBridge', 'ada@example.com')).toBe(
      `otpauth://totp/LoginBridge:ada%40example.com?issuer=LoginBridge&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('tells a 6-digit code from anything else', () => {
    expect(isTotpCode('012345')).toBe(true);
    expect(isTotpCode('12345')).toBe(false);
    expect(isTotpCode('abcd-efgh-jkmn')).toBe(false);
  });
});
