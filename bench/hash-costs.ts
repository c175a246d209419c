/**
 * `npm run bench:hash-costs`: how long one verification of each foreign hash
 * format takes here, at a few work factors, next to argon2id at the service's
 * parameters, as the per-unit figures of VERIFY_COST_MODEL
 * (lambdas/core/password-formats.ts) are stated: bcrypt ms at cost 10, scrypt
 * ms per MiB of N*r*p, PBKDF2 ms per 100,000 iterations per digest. Prints
 * each median and the model's estimate beside it; see docs/performance.md.
 *
 * Knobs (environment): BENCH_HASH_RUNS (5 verifications per case).
 */

import { performance } from 'node:perf_hooks';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { verifyForeignHash } from '../lambdas/adapters/foreign-hash-verifiers';
import { parsePasswordHash, VERIFY_BUDGET_MS, verificationCostMs } from '../lambdas/core/password-formats';
import { median } from './stats';

const RUNS = Number(process.env.BENCH_HASH_RUNS ?? 5);
const PASSWORD = 'correct horse battery staple';
const salt = Buffer.alloc(16, 7).toString('base64').replace(/=+$/, '');
const key = Buffer.alloc(32, 9).toString('base64').replace(/=+$/, '');

async function timed(verify: () => Promise<unknown>): Promise<number> {
  await verify();
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await verify();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const cases: [string, string][] = [
    ['bcrypt cost 10', await bcrypt.hash(PASSWORD, 10)],
    ['bcrypt cost 12', await bcrypt.hash(PASSWORD, 12)],
    ['scrypt ln=14,r=8,p=1 (16 MiB)', `$scrypt$ln=14,r=8,p=1$${salt}$${key}`],
    ['scrypt ln=16,r=8,p=1 (64 MiB)', `$scrypt$ln=16,r=8,p=1$${salt}$${key}`],
    ['PBKDF2-SHA1 600,000', `$pbkdf2$600000$${salt}$${key}`],
    ['PBKDF2-SHA256 600,000', `$pbkdf2-sha256$600000$${salt}$${key}`],
    ['PBKDF2-SHA512 210,000', `$pbkdf2-sha512$210000$${salt}$${key}`],
  ];
  const native = await argon2Hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  console.log(`${RUNS} verifications per case, median ms; budget ${VERIFY_BUDGET_MS} ms`);
  console.log(`argon2id m=19456,t=2,p=1 (native accounts and the decoy): ${(await timed(() => argon2Verify(native, PASSWORD))).toFixed(1)} ms`);
  for (const [name, encoded] of cases) {
    const parsed = parsePasswordHash(encoded);
    if (!parsed.ok) {
      console.log(`${name}: refused (${parsed.problem})`);
      continue;
    }
    const measured = await timed(() => verifyForeignHash(parsed.hash, PASSWORD));
    console.log(`${name}: ${measured.toFixed(1)} ms measured, ${verificationCostMs(parsed.hash).toFixed(0)} ms estimated`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
