import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from '../../../../lambdas/core/factors/recovery-codes';

describe('recovery codes', () => {
  it('makes ten distinct codes of the form xxxx-xxxx-xxxx without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
  });

  it('hashes a code the same whatever its case, spaces or dashes', () => {
    expect(recoveryCodeHash('ABCD efgh-JKMN')).toBe(recoveryCodeHash('abcd-efgh-jkmn'));
    expect(recoveryCodeHash('abcd-efgh-jkmn')).not.toBe(recoveryCodeHash('abcd-efgh-jkmp'));
    expect(looksLikeRecoveryCode('ABCD-EFGH-JKMN')).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
