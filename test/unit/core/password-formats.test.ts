import { type ForeignHash, parsePasswordHash, VERIFY_BUDGET_MS, verificationCostMs } from '../../../lambdas/core/password-formats';

const problem = (hash: string) => {
  const parsed = parsePasswordHash(hash);
  return parsed.ok ? undefined : parsed.problem;
};

describe('parsePasswordHash', () => {
  it('reads the parameters of each format', () => {
    expect(parsePasswordHash('$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a')).toEqual({
      ok: true,
      hash: { format: 'bcrypt', cost: 10, encoded: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' },
    });
    expect(parsePasswordHash('pbkdf2_sha256$260000$salt$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=')).toMatchObject({
      ok: true,
      hash: { format: 'pbkdf2', digest: 'sha256', iterations: 260000, salt: Buffer.from('salt') },
    });
    expect(parsePasswordHash('$argon2d$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG')).toMatchObject({
      ok: true,
      hash: { format: 'argon2', variant: 'd', memoryKiB: 4096, timeCost: 3, parallelism: 1 },
    });
  });

  it('refuses absurd work factors, too weak or too costly to verify', () => {
    expect(problem('$2b$31$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a')).toMatch(/bcrypt cost 31/);
    expect(problem('$2b$15$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a')).toMatch(/out of bounds/);
    expect(problem('pbkdf2_sha256$100000000$salt$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=')).toMatch(/100000000 iterations/);
    expect(problem('pbkdf2_sha256$1$salt$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=')).toMatch(/1 iterations/);
    expect(problem('$scrypt$ln=22,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU')).toMatch(/MiB/);
    expect(problem('$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG')).toMatch(/argon2 m=/);
    expect(problem('$argon2id$v=19$m=19456,t=200,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG')).toMatch(/argon2 t=/);
  });

  it('names what is wrong with a string that is no known hash', () => {
    expect(problem('5f4dcc3b5aa765d61d8327deb882cf99')).toMatch(/unknown hash format/);
    expect(problem('$scrypt$ln=14,r=8,p=1$not*base64$JbN2')).toMatch(/not base64/);
    expect(problem('$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$c2hvcnQ')).toMatch(/hash of 5 bytes/);
    expect(problem('x'.repeat(2000))).toMatch(/longer than/);
  });

  describe('the verification time budget', () => {
    const accepted = (hash: string) => parsePasswordHash(hash).ok;
    const salt = 'AAECAwQFBgcICQoLDA0ODw';
    const key = 'JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU';
    const bcryptAt = (cost: number) => `$2b$${String(cost).padStart(2, '0')}$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a`;

    it('is one second, like a sign-in', () => {
      expect(VERIFY_BUDGET_MS).toBe(1000);
    });

    it('refuses a bcrypt cost whose verification would exceed it, with the estimate in the reason', () => {
      expect(accepted(bcryptAt(12))).toBe(true);
      expect(problem(bcryptAt(13))).toMatch(/too slow to verify: about 1600 ms per sign-in, over the 1000 ms budget/);
      expect(problem(bcryptAt(14))).toMatch(/too slow to verify/);
    });

    it('refuses scrypt by the memory it walks (N, r and p), within the memory bound', () => {
      expect(accepted(`$scrypt$ln=16,r=8,p=1$${salt}$${key}`)).toBe(true);
      expect(problem(`$scrypt$ln=16,r=8,p=2$${salt}$${key}`)).toMatch(/too slow to verify/);
      expect(problem(`$scrypt$ln=17,r=8,p=1$${salt}$${key}`)).toMatch(/too slow to verify/);
    });

    it('refuses PBKDF2 by iterations, per digest', () => {
      expect(accepted(`$pbkdf2-sha256$1500000$${salt}$${key}`)).toBe(true);
      expect(problem(`$pbkdf2-sha256$1600000$${salt}$${key}`)).toMatch(/too slow to verify/);
      expect(accepted(`$pbkdf2-sha512$i=700000$${salt}$${key}`)).toBe(true);
      expect(problem(`$pbkdf2-sha512$i=800000$${salt}$${key}`)).toMatch(/too slow to verify/);
    });

    it('estimates each format linearly in its work factor', () => {
      const bcrypt = (cost: number): ForeignHash => ({ format: 'bcrypt', cost, encoded: '' });
      expect(verificationCostMs(bcrypt(11))).toBe(2 * verificationCostMs(bcrypt(10)));
      const pbkdf2 = (iterations: number): ForeignHash => ({ format: 'pbkdf2', digest: 'sha1', iterations, salt: Buffer.alloc(0), hash: Buffer.alloc(0) });
      expect(verificationCostMs(pbkdf2(400_000))).toBe(2 * verificationCostMs(pbkdf2(200_000)));
      const firebase: ForeignHash = {
        format: 'firebase-scrypt',
        memCost: 14,
        rounds: 8,
        saltSeparator: Buffer.alloc(0),
        signerKey: Buffer.alloc(0),
        salt: Buffer.alloc(0),
        hash: Buffer.alloc(0),
      };
      expect(verificationCostMs(firebase)).toBe(verificationCostMs({ format: 'scrypt', logN: 14, r: 8, p: 1, salt: Buffer.alloc(0), hash: Buffer.alloc(0) }));
    });
  });
});
