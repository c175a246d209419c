import { passwordProblem } from '../../../lambdas/core/password-policy';

describe('passwordProblem', () => {
  it('accepts a long passphrase and a random 8-character password', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('Xk3#pq9!')).toBeUndefined();
    expect(passwordProblem('mot de passe très long et accentué 🎉')).toBeUndefined();
  });

  it('refuses fewer than 8 characters, counting characters rather than bytes', () => {
    expect(passwordProblem('Xk3#pq9')).toMatch(/at least 8/);
    expect(passwordProblem('🎉🎉🎉🎉🎉🎉🎉')).toMatch(/at least 8/);
  });

  it('refuses the most common passwords in any letter case', () => {
    for (const common of ['password', 'Password1', 'QWERTYUIOP', '12345678', 'iloveyou']) {
      expect(passwordProblem(common)).toMatch(/too common/);
    }
  });

  it("refuses the user's own email or name", () => {
    expect(passwordProblem('ada.lovelace', { email: 'ada.lovelace@example.com' })).toMatch(/name or email/);
    expect(passwordProblem('Lovelaces', { lastName: 'lovelaces' })).toMatch(/name or email/);
  });

  it('refuses absurdly long input', () => {
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });
});
