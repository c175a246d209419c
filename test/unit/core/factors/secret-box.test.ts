import { SecretBox } from '../../../../lambdas/core/factors/secret-box';

describe('SecretBox', () => {
  const key = { get: async () => Buffer.from('a factor key of at least thirty-two characters', 'utf8') };

  it('opens what it sealed for the same user and factor, and the sealed text does not contain the secret', async () => {
    const box = new SecretBox(key);
    const sealed = await box.seal('JBSWY3DPEHPK3PXP', 'user/factor');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await box.open(sealed, 'user/factor')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses to open a sealed secret copied onto another factor, or sealed under another key', async () => {
    const sealed = await new SecretBox(key).seal('JBSWY3DPEHPK3PXP', 'user/factor');
    const otherKey = new SecretBox({ get: async () => Buffer.from('another factor key of thirty-two characters or more', 'utf8') });
    await expect(new SecretBox(key).open(sealed, 'user/other-factor')).rejects.toThrow();
    await expect(otherKey.open(sealed, 'user/factor')).rejects.toThrow();
  });
});
