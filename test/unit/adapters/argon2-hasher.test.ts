import { Argon2Hasher, OWASP_ARGON2ID } from '../../../lambdas/adapters/argon2-hasher';

describe('Argon2Hasher', () => {
  const hasher = new Argon2Hasher();

  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');

    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'correct horse battery stapler')).resolves.toBe(false);
  });

  it('asks for a rehash of weaker or foreign hashes only', async () => {
    const weak = await new Argon2Hasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 }).hash('pw-pw-pw-pw');

    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash('$2b$10$abcdefghijklmnopqrstuu')).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('pw-pw-pw-pw'))).toBe(false);
    expect(new Argon2Hasher({ ...OWASP_ARGON2ID, timeCost: 3 }).needsRehash(await hasher.hash('pw-pw-pw-pw'))).toBe(true);
  });

  it('reads a corrupt hash as a wrong password instead of failing', async () => {
    await expect(hasher.verify('not a hash', 'anything')).resolves.toBe(false);
  });
});
