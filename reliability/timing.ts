import { median, Part, request, type Harness } from './harness';

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

/** No timing oracle: unknown vs wrong-password logins, unknown vs known reset requests, medians within 10 %. */
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
  const loginGap = Math.abs(median(wrong) - median(unknown)) / median(wrong);
  part.note(`login: wrong password median ${median(wrong).toFixed(1)} ms, unknown email median ${median(unknown).toFixed(1)} ms`);
  part.check(loginGap < 0.1, `login medians within 10 % (${(loginGap * 100).toFixed(1)} %)`);

  const [known, stranger] = await alternate(
    samples,
    () => timed('/login-flow/reset-password', { email }),
    () => timed('/login-flow/reset-password', { email: `ghost.reset.${(ghost += 1)}@example.com` }),
  );
  const resetGap = Math.abs(median(known) - median(stranger)) / median(stranger);
  part.note(`reset: known email median ${median(known).toFixed(1)} ms, unknown email median ${median(stranger).toFixed(1)} ms`);
  part.check(resetGap < 0.1, `reset medians within 10 % (${(resetGap * 100).toFixed(1)} %)`);
  return part;
}
