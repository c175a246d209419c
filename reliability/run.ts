/**
 * `npm run test:reliability`: load, faults, hostile input, timing, key
 * rotation and bursts against the local stack. Each part prints what it tried and what
 * held; the last line is "reliability: N passed, N failed". Sizes are bounded
 * by the variables below so the suite fits CI.
 */
import { spawn } from 'node:child_process';
import { BURST_SETTINGS, burstsPart } from './bursts';
import { CONSOLE_SIGN_OUT_SETTINGS, consoleSignOutPart } from './console-sign-out';
import { FACTOR_BURST_SETTINGS, factorBurstPart, PASSKEY_BURST_SETTINGS, passkeyBurstPart } from './factors';
import { dynamoOutagePart } from './faults';
import { type Part, startHarness } from './harness';
import { hostileInputPart } from './hostile';
import { keyRotationPart } from './key-rotation';
import { loadPart } from './load';
import { nativeSignInPart } from './native-sign-in';
import { partnerClaimBurstPart } from './partner-claims';
import { astratoHandOff, partnerFaultsPart } from './partners';
import { timingPart } from './timing';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const settings = {
  LOGIN_IP_MAX_FAILURES: '1000000',
  RESET_EMAILS_PER_HOUR: '1000000',
  MAIL_PER_RECIPIENT_PER_WINDOW: '1000000',
  MAIL_PER_SENDER_PER_WINDOW: '1000000',
};

async function withHarness(run: (harness: Awaited<ReturnType<typeof startHarness>>) => Promise<Part>, env: Record<string, string> = {}): Promise<Part> {
  const harness = await startHarness({ env: { ...settings, ...env } });
  try {
    return await run(harness);
  } finally {
    await harness.stop();
  }
}

const PARTS: Record<string, () => Promise<Part>> = {
  load: () =>
    withHarness((harness) =>
      loadPart(harness, {
        clients: number('RELIABILITY_CLIENTS', 200),
        seconds: number('RELIABILITY_LOAD_SECONDS', 30),
        refreshesPerIteration: 3,
        extraSteps: [astratoHandOff],
      }),
    ),
  faults: () => withHarness((harness) => dynamoOutagePart(harness, { clients: 40, seconds: 16, outageAfterSeconds: 4, outageSeconds: 5 })),
  partners: () => withHarness((harness) => partnerFaultsPart(harness, 600), { PARTNER_TIMEOUT_MS: '600' }),
  hostile: () => withHarness((harness) => hostileInputPart(harness, number('RELIABILITY_FUZZ_RUNS', 600))),
  timing: () => withHarness((harness) => timingPart(harness, number('RELIABILITY_TIMING_SAMPLES', 41)), { LOGIN_BACKOFF_FREE_FAILURES: '1000000' }),
  rotation: () => withHarness((harness) => keyRotationPart(harness, 20)),
  bursts: () => withHarness((harness) => burstsPart(harness, number('RELIABILITY_BURST_SIZE', 120)), BURST_SETTINGS),
  consoleSignOut: () => withHarness((harness) => consoleSignOutPart(harness, 5, number('RELIABILITY_CONSOLE_APPROVALS', 24)), CONSOLE_SIGN_OUT_SETTINGS),
  factors: () => withHarness((harness) => factorBurstPart(harness, number('RELIABILITY_BURST_SIZE', 120)), FACTOR_BURST_SETTINGS),
  passkeys: () => withHarness((harness) => passkeyBurstPart(harness, number('RELIABILITY_BURST_SIZE', 120)), PASSKEY_BURST_SETTINGS),
  partnerClaims: () => withHarness((harness) => partnerClaimBurstPart(harness, number('RELIABILITY_CLAIM_BURST_SIZE', 48))),
  // Starts its own harness: the Google simulator's URLs are in the stack's environment.
  nativeSignIn: () => nativeSignInPart(number('RELIABILITY_NATIVE_BURST_SIZE', 40)),
};

const RESULT_MARK = 'RELIABILITY_PART_RESULT ';

/** One part in this process; the parent reads the marked line. */
async function runPart(name: string): Promise<void> {
  const part = await PARTS[name]();
  console.log(RESULT_MARK + JSON.stringify({ name: part.name, tried: part.tried, held: part.held, failed: part.failed }));
  process.exit(0);
}

/**
 * Each part in a fresh process: the handlers keep per-instance state (clients,
 * caches, settings) exactly as a Lambda instance does, so two stacks must not
 * share one process.
 */
function spawnPart(name: string): Promise<Pick<Part, 'name' | 'tried' | 'held' | 'failed'>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--part', name], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    child.on('close', (code) => {
      const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_MARK));
      if (line) return resolve(JSON.parse(line.slice(RESULT_MARK.length)));
      resolve({
        name,
        tried: [],
        held: [],
        failed: [
          `the part crashed (exit ${code}): ${errors
            .split('\n')
            .filter((text) => !/smithy|AWS SDK|node >=22/.test(text))
            .slice(-8)
            .join(' | ')}`,
        ],
      });
    });
  });
}

async function main(): Promise<void> {
  const partArgument = process.argv.indexOf('--part');
  if (partArgument !== -1) return runPart(process.argv[partArgument + 1]);

  const started = Date.now();
  const only = process.env.RELIABILITY_ONLY?.split(',');
  let passed = 0;
  let failed = 0;
  for (const name of Object.keys(PARTS).filter((candidate) => !only || only.includes(candidate))) {
    const part = await spawnPart(name);
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
