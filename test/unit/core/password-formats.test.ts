import { parsePasswordHash } from '../../../lambdas/core/password-formats';

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
});
