/**
 * `npm run test:reliability`: load, faults, hostile input, timing and key
 * rotation against the local stack. Each part prints what it tried and what
 * held; the last line is "reliability: N passed, N failed". Sizes are bounded
 * by the variables below so the suite fits CI.
 */
import { dynamoOutagePart } from './faults';
import { startHarness, type Part } from './harness';
import { hostileInputPart } from './hostile';
import { keyRotationPart } from './key-rotation';
import { loadPart } from './load';
import { astratoHandOff, partnerFaultsPart } from './partners';
import { timingPart } from './timing';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const settings = {
  LOGIN_IP_MAX_FAILURES: '1000000',
  RESET_EMAILS_PER_HOUR: '1000000',
};

async function withHarness(run: (harness: Awaited<ReturnType<typeof startHarness>>) => Promise<Part>, env: Record<string, string> = {}): Promise<Part> {
  const harness = await startHarness({ env: { ...settings, ...env } });
  try {
    return await run(harness);
  } finally {
    await harness.stop();
  }
}

async function main(): Promise<void> {
  const parts: Part[] = [];
  const started = Date.now();
  const only = process.env.RELIABILITY_ONLY?.split(',');
  const want = (name: string) => !only || only.includes(name);

  if (want('load')) parts.push(await withHarness((harness) => loadPart(harness, { clients: number('RELIABILITY_CLIENTS', 200), seconds: number('RELIABILITY_LOAD_SECONDS', 30), refreshesPerIteration: 3, extraSteps: [astratoHandOff] })));
  if (want('faults')) parts.push(await withHarness((harness) => dynamoOutagePart(harness, { clients: 40, seconds: 16, outageAfterSeconds: 4, outageSeconds: 5 })));
  if (want('partners')) parts.push(await withHarness((harness) => partnerFaultsPart(harness, 600), { PARTNER_TIMEOUT_MS: '600' }));
  if (want('hostile')) parts.push(await withHarness((harness) => hostileInputPart(harness, number('RELIABILITY_FUZZ_RUNS', 600))));
  if (want('timing')) parts.push(await withHarness((harness) => timingPart(harness, number('RELIABILITY_TIMING_SAMPLES', 41)), { LOGIN_BACKOFF_FREE_FAILURES: '1000000' }));
  if (want('rotation')) parts.push(await withHarness((harness) => keyRotationPart(harness, 20)));

  let passed = 0;
  let failed = 0;
  for (const part of parts) {
    console.log(`\n== ${part.name}`);
    for (const line of part.tried) console.log(`   tried: ${line}`);
    for (const line of part.held) console.log(`   held:  ${line}`);
    for (const line of part.failed) console.log(`   FAILED: ${line}`);
    passed += part.held.length;
    failed += part.failed.length;
  }
  console.log(`\nreliability suite took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`reliability: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('reliability: 0 passed, 1 failed');
  process.exit(1);
});
