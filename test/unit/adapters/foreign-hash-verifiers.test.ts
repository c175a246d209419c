import { Argon2Hasher } from '../../../lambdas/adapters/argon2-hasher';
import { verifyForeignHash } from '../../../lambdas/adapters/foreign-hash-verifiers';
import { MigratingHasher } from '../../../lambdas/adapters/migrating-hasher';
import { encodeFirebaseScrypt, parsePasswordHash } from '../../../lambdas/core/password-formats';

/**
 * Vectors made by the original systems or their published examples: bcrypt
 * from jBCrypt's suite and PHP's password_verify manual, argon2i from the
 * reference implementation's README, Firebase from firebase/scrypt's README;
 * PBKDF2 / scrypt strings in Django's and passlib's layouts were made with
 * Python's hashlib, an implementation independent of this code.
 */
const VECTORS: { name: string; hash: string; password: string }[] = [
  { name: 'bcrypt $2a$ (jBCrypt, empty password)', hash: '$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.', password: '' },
  { name: 'bcrypt $2a$ (jBCrypt)', hash: '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i', password: 'abc' },
  { name: 'bcrypt $2y$ (PHP manual)', hash: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', password: 'rasmuslerdorf' },
  { name: 'bcrypt $2b$', hash: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', password: 'rasmuslerdorf' },
  { name: 'argon2i PHC (reference README)', hash: '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', password: 'password' },
  {
    name: 'Firebase modified scrypt (firebase/scrypt README)',
    hash: encodeFirebaseScrypt(
      {
        base64SignerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
        base64SaltSeparator: 'Bw==',
        rounds: 8,
        memCost: 14,
      },
      'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
      '42xEC+ixf3L2lw==',
    ),
    password: 'user1password',
  },
  { name: 'Django pbkdf2_sha256', hash: 'pbkdf2_sha256$260000$s3aS4ltV4lue$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=', password: 'correct horse' },
  { name: 'Django pbkdf2_sha1', hash: 'pbkdf2_sha1$30000$s3aS4ltV4lue$U1ZkditOEHB2vfdJAF3Wv+GhhCE=', password: 'correct horse' },
  { name: 'passlib pbkdf2-sha256', hash: '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg', password: 'correct horse' },
  { name: 'passlib pbkdf2 (SHA-1)', hash: '$pbkdf2$131000$AAECAwQFBgcICQoLDA0ODw$kbfyaFq.k8Tj3Nifsdff2jC.KBU', password: 'correct horse' },
  {
    name: 'PHC pbkdf2-sha512',
    hash: '$pbkdf2-sha512$i=100000,l=64$AAECAwQFBgcICQoLDA0ODw$Cydfp1z9RwhFbZBlUPGEUbm90YYIzLkDEOiu/l8ZkFWdvi9oLM8GozOKTYJ8WKZJkm3CNbSBItnsIxvYurqNAw',
    password: 'correct horse',
  },
  { name: 'scrypt PHC', hash: '$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU', password: 'correct horse' },
];

describe('Foreign hash verifiers', () => {
  it.each(VECTORS)('accept the right password and refuse a wrong one: $name', async ({ hash, password }) => {
    const parsed = parsePasswordHash(hash);
    if (!parsed.ok) throw new Error(parsed.problem);
    await expect(verifyForeignHash(parsed.hash, password)).resolves.toBe(true);
    await expect(verifyForeignHash(parsed.hash, `${password}x`)).resolves.toBe(false);
  });
});

describe('MigratingHasher', () => {
  const argon2 = new Argon2Hasher();
  const hasher = new MigratingHasher(argon2);

  it('verifies every foreign format and asks for a re-hash of each', async () => {
    for (const { hash, password } of VECTORS) {
      await expect(hasher.verify(hash, password)).resolves.toBe(true);
      await expect(hasher.verify(hash, 'not the password')).resolves.toBe(false);
      expect(hasher.needsRehash(hash)).toBe(true);
    }
  });

  it('hashes with argon2id at the configured parameters, which need no re-hash', async () => {
    const hash = await hasher.hash('a new password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hasher.needsRehash(hash)).toBe(false);
    await expect(hasher.verify(hash, 'a new password')).resolves.toBe(true);
  });

  it('reads an unknown, corrupt or out-of-bounds hash as a wrong password', async () => {
    await expect(hasher.verify('md5$abc', 'x')).resolves.toBe(false);
    await expect(hasher.verify('$scrypt$ln=25,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU', 'correct horse')).resolves.toBe(
      false,
    );
    await expect(hasher.verify('', '')).resolves.toBe(false);
  });
});
