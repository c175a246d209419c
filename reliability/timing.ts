import { type Harness, median, Part, request } from './harness';

async function alternate(samples: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  const first: number[] = [];
  const second: number[] = [];
  // Interleaved so drift on a shared machine hits both sides alike.
  for (let index = 0; index < samples; index += 1) {
    if (index % 2) {
      first.push(await a());
      second.push(await b());
    } else {
      second.push(await b());
      first.push(await a());
    }
  }
  return [first, second];
}

/**
 * The margin of the timing checks. Each sample of one case is taken back to back with one of the other, so load on a
 * shared machine weighs on both halves of a pair; the check is on the median of the pairs' ratios. Measured: within
 * 1 % on a quiet machine, up to 23 % for login at load average 12 (four other test runs on the two cores), where
 * DynamoDB Local's writes of a new counter item (an unknown email's) slow down more than updates. The margin is set
 * for that machine; that both paths do the same work (one argon2id verification, the same DynamoDB requests) is
 * asserted exactly, by counting, in test/integration/login-flow/login-passwords.test.ts. This part catches gross
 * oracles: an unpadded reset answers an unknown email in a few ms against 400.
 */
const MARGIN = 0.5;

/** The median over pairs of first[i] / second[i]: drift hits both halves of a pair alike. */
function pairedRatio(first: number[], second: number[]): number {
  return median(first.map((value, index) => value / second[index]));
}

/** No timing oracle: unknown vs wrong-password logins, unknown vs known reset requests, as ratios within one run. */
export async function timingPart(harness: Harness, samples: number): Promise<Part> {
  const part = new Part(`Timing: ${samples} interleaved samples per case`);
  const url = harness.stack.url;
  const email = `timing.${Date.now()}@example.com`;
  const password = 'reliability timing passphrase';
  await request(url, 'POST', '/login-flow/register', { firstName: 'Tim', lastName: 'Ing', email, password, approveTermsOfUse: 'on' });
  let ghost = 0;
  const timed = async (path: string, body: unknown) => (await request(url, 'POST', path, body)).ms;

  // Warm both code paths first.
  await timed('/login-flow/login', { email, password: 'wrong password here' });
  await timed('/login-flow/login', { email: `ghost.warm.${Date.now()}@example.com`, password: 'wrong password here' });

  const [wrong, unknown] = await alternate(
    samples,
    () => timed('/login-flow/login', { email, password: 'wrong password here' }),
    () => timed('/login-flow/login', { email: `ghost.${(ghost += 1)}.${Date.now()}@example.com`, password: 'wrong password here' }),
  );
  const loginGap = Math.abs(pairedRatio(unknown, wrong) - 1);
  part.note(`login: wrong password median ${median(wrong).toFixed(1)} ms, unknown email median ${median(unknown).toFixed(1)} ms`);
  part.check(loginGap < MARGIN, `login: unknown / wrong password, median of paired ratios within ${MARGIN * 100} % of 1 (${(loginGap * 100).toFixed(1)} %)`);

  const [known, stranger] = await alternate(
    samples,
    () => timed('/login-flow/reset-password', { email }),
    () => timed('/login-flow/reset-password', { email: `ghost.reset.${(ghost += 1)}@example.com` }),
  );
  const resetGap = Math.abs(pairedRatio(stranger, known) - 1);
  part.note(`reset: known email median ${median(known).toFixed(1)} ms, unknown email median ${median(stranger).toFixed(1)} ms`);
  part.check(resetGap < MARGIN, `reset: unknown / known email, median of paired ratios within ${MARGIN * 100} % of 1 (${(resetGap * 100).toFixed(1)} %)`);
  return part;
}
