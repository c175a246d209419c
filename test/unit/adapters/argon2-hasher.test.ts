import { performance } from 'node:perf_hooks';
import { Argon2Hasher, OWASP_ARGON2ID } from '../../../lambdas/adapters/argon2-hasher';
import { OverloadedError } from '../../../lambdas/core/errors';

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

  it('sheds work that cannot finish within its budget with a Retry-After, and finishes the rest', async () => {
    // Prepare: one hash at a time, a budget of about three hashes
    const hash = await hasher.hash('pw-pw-pw-pw');
    const started = performance.now();
    await hasher.verify(hash, 'pw-pw-pw-pw');
    const oneHashMs = performance.now() - started;
    const bounded = new Argon2Hasher(OWASP_ARGON2ID, { maxConcurrent: 1, budgetMs: Math.max(100, oneHashMs * 3) });
    await bounded.verify(hash, 'pw-pw-pw-pw');

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => bounded.verify(hash, 'pw-pw-pw-pw')));

    // Assess
    const shed = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.every((error) => error instanceof OverloadedError && error.retryAfterSeconds >= 1)).toBe(true);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').every((outcome) => (outcome as PromiseFulfilledResult<boolean>).value)).toBe(true);
    expect(bounded.queued).toBe(0);
  });
});
