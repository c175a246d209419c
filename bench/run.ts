/**
 * `npm run bench`: drives the local stack (the same handlers as Lambda) with
 * autocannon for register, login and refresh, measures the floors those
 * figures are held against in the same run (argon2 alone, DynamoDB Local
 * alone through the SDK and through raw keep-alive HTTP), counts DynamoDB
 * requests and capacity units per call, weighs and imports every function
 * bundle, prints PASS/MISS per target and writes bench/results/latest.json
 * (untracked; committed figures live in docs/performance.md). See
 * docs/performance.md.
 *
 * Knobs (environment): BENCH_SECONDS (measured seconds per round, 5),
 * BENCH_ROUNDS (3), BENCH_WARMUP_SECONDS (2), BENCH_FLOOR_SECONDS (3),
 * BENCH_CONNECTIONS (login/register, 16), BENCH_REFRESH_CONNECTIONS (50 chains),
 * BENCH_IMPORT_RUNS (7, fewer but at least 3 once BENCH_IMPORT_BUDGET_SECONDS,
 * 45, is spent), BENCH_PROFILE (1: V8 profile of the server's main thread),
 * BENCH_DYNAMODB_ENDPOINT (use that DynamoDB instead of starting DynamoDB Local),
 * UV_THREADPOOL_SIZE (libuv's, 4).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client';
import { startLocalStack } from '../local/stack';
import { type BundleFigures, measureBundles } from './bundles';
import { type CpuUse, childPids, cpuBetween, watchCpu } from './cpu';
import { argon2VerifyFloor, bareLoginFloor, dynamoRefreshFloor, type RateFloor } from './floors';
import { BENCH_PASSWORD, type ClientCommand, type ClientMessage, type LoadResult, type Scenario } from './load-protocol';
import { type ProfileSummary, startProfile } from './profile';
import { rawHttpFloor } from './raw-floor';
import { fixed, kb, type TargetOutcome, table, verdicts } from './report';
import { measureRequests, type RequestFigures } from './requests';
import { median, round } from './stats';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const SECONDS = number('BENCH_SECONDS', 5);
const ROUNDS = number('BENCH_ROUNDS', 3);
const WARMUP_SECONDS = number('BENCH_WARMUP_SECONDS', 2);
const FLOOR_SECONDS = number('BENCH_FLOOR_SECONDS', 3);
const CONNECTIONS = number('BENCH_CONNECTIONS', 16);
const REFRESH_CONNECTIONS = number('BENCH_REFRESH_CONNECTIONS', 50);
const IMPORT_RUNS = number('BENCH_IMPORT_RUNS', 7);
const IMPORT_BUDGET_SECONDS = number('BENCH_IMPORT_BUDGET_SECONDS', 45);
/** BENCH_PROFILE=1: a V8 profile of the server's main thread during the last login and refresh rounds. */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** libuv reads it once, at the first threadpool use; 4 when unset. */
const THREADPOOL = number('UV_THREADPOOL_SIZE', 4);
/** Sessions set aside for the DynamoDB floor. */
const FLOOR_SESSIONS = 400;

const TARGETS = {
  loginOverArgon2: 0.85,
  refreshOverDynamo: 1.5,
  bundleBytes: 300 * 1024,
  /** Import (cold start) per function; login and refresh are on every user's path. */
  importMs: (handler: string) => (handler === 'login-flow/login' || handler === 'login-flow/refresh' ? 100 : 150),
  refreshRequests: 1,
  refreshWriteUnits: 1,
  loginRequests: 3,
  refreshOverRawFloor: 0.3,
  refreshP99Ms: 150,
};

const log = (message: string) => process.stdout.write(`${message}\n`);

/** The load generator in its own process, one command at a time. */
function startLoadClient(): { ask: (command: ClientCommand) => Promise<ClientMessage>; child: ChildProcess } {
  const child = fork(join(__dirname, 'load-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (command: ClientCommand) =>
    new Promise<ClientMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load client exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: ClientMessage) => {
        child.off('exit', onExit);
        if (message.type === 'error') reject(new Error(message.message));
        else resolve(message);
      });
      child.send(command, (error) => {
        if (error) reject(error);
      });
    });
  return { ask, child };
}

interface HttpFigures {
  connections: number;
  rounds: LoadResult[];
  okPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function httpFigures(rounds: LoadResult[]): HttpFigures {
  return {
    connections: rounds[0].connections,
    rounds,
    okPerSecond: median(rounds.map((r) => r.okPerSecond)),
    p50: median(rounds.map((r) => r.latency.p50)),
    p99: median(rounds.map((r) => r.latency.p99)),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  };
}

function floorFigures(rounds: RateFloor[]) {
  return {
    concurrency: rounds[0].concurrency,
    rounds,
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.latency.p50)),
    p99: median(rounds.map((r) => r.latency.p99)),
  };
}

function describeLoad(result: LoadResult): string {
  const odd =
    result.non2xx || result.errors || result.timeouts
      ? ` non-2xx ${result.non2xx} ${JSON.stringify(result.statuses)} errors ${result.errors} timeouts ${result.timeouts}`
      : '';
  return `${fixed(result.okPerSecond)} req/s, p50 ${fixed(result.latency.p50, 2)} ms, p99 ${fixed(result.latency.p99, 2)} ms (${result.latency.count} ok)${odd}`;
}

function describeFloor(floor: RateFloor): string {
  return `${fixed(floor.perSecond)} ops/s, p50 ${fixed(floor.latency.p50, 2)} ms, p99 ${fixed(floor.latency.p99, 2)} ms (${floor.operations} ops)`;
}

// The SDK warns once per process that future versions need Node 22; the deployed runtime is Node 24, so it is noise here.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) console.warn(warning);
});

async function main(): Promise<void> {
  const started = new Date();
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    uvThreadpoolSize: THREADPOOL,
    loadAverageAtStart: loadavg().map((value) => round(value)),
  };
  log(
    `LoginBridge benchmark, ${started.toISOString()}: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, libuv threadpool ${THREADPOOL}, load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  if (machine.loadAverageAtStart[0] > machine.cores) {
    log(
      `WARNING: the machine is busy (load average ${machine.loadAverageAtStart[0]} on ${machine.cores} cores): figures will be low and noisy; the ratios, paired per round, suffer least.`,
    );
  }
  log(
    `rounds ${ROUNDS} x ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up; floors ${FLOOR_SECONDS} s per round; ${CONNECTIONS} connections (refresh ${REFRESH_CONNECTIONS})\n`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'loginbridge-bench-'));
  const stack = await startLocalStack({
    inMemory: true,
    port: 0,
    simulators: false,
    dataDir,
    // DynamoDB elsewhere (another machine's DynamoDB Local) takes its CPU off the two cores argon2 needs.
    ...(process.env.BENCH_DYNAMODB_ENDPOINT ? { dynamoDbEndpoint: process.env.BENCH_DYNAMODB_ENDPOINT, tableName: `loginbridge-bench-${Date.now()}` } : {}),
    env: {
      LOG_LEVEL: 'SILENT',
      // Every request here succeeds, but nothing should throttle the run should one fail.
      LOGIN_IP_MAX_FAILURES: '1000000',
      LOGIN_BACKOFF_FREE_FAILURES: '1000000',
      RESET_EMAILS_PER_HOUR: '1000000',
    },
  });
  const client = startLoadClient();
  const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (client.child.connected) client.child.send({ type: 'exit' });
      db.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    })());
  // Ctrl-C must not leave DynamoDB Local's Java process behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  try {
    log('Bundles: building every route with lib/bundling.ts options and importing each in fresh Node processes...');
    log('DynamoDB requests and capacity units per call (a counting proxy in a child process)...');
    const requests = await measureRequests(stack.dynamoDbEndpoint);
    const bundles = await measureBundles(
      { TABLE_NAME: stack.tableName, AWS_REGION: 'us-east-1', PUBLIC_BASE_URL: stack.url, LOG_LEVEL: 'SILENT' },
      IMPORT_RUNS,
      IMPORT_BUDGET_SECONDS * 1000,
    );

    const cpu = watchCpu({ 'DynamoDB Local': childPids(process.pid, 'java')[0], 'load client': client.child.pid });
    const cpuUse: Record<string, CpuUse[]> = {};
    const measured = async <T>(label: string, run: () => Promise<T>, operations: (value: T) => number): Promise<T> => {
      const before = cpu.sample();
      const value = await run();
      (cpuUse[label] ??= []).push(cpuBetween(before, cpu.sample(), operations(value)));
      return value;
    };
    const profiles: Record<string, ProfileSummary> = {};
    const load = async (scenario: Scenario, connections: number, seconds: number, label?: string, profile = false) => {
      const command = { type: 'run', scenario, url: stack.url, connections, durationSeconds: seconds } as const;
      const run = async () => {
        const profiler = profile ? await startProfile() : undefined;
        const result = (await client.ask(command)) as LoadResult;
        if (profiler) profiles[scenario] = await profiler.stop(join(tmpdir(), `loginbridge-bench-${scenario}-${process.pid}.cpuprofile`));
        return result;
      };
      const result = label ? await measured(label, run, (r) => r.latency.count) : await run();
      log(`  ${scenario.padEnd(8)} ${String(connections).padStart(2)} conn  ${describeLoad(result)}`);
      return result;
    };

    log('\nRegister (unique emails; feeds the login and refresh pools):');
    await load('register', CONNECTIONS, WARMUP_SECONDS);
    const register: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round += 1) register.push(await load('register', CONNECTIONS, SECONDS, 'register'));

    log(`\nLogin, each round after an argon2 floor round (${THREADPOOL} verifications in flight = the libuv threadpool) and a bare-login floor round:`);
    await load('login', CONNECTIONS, WARMUP_SECONDS);
    const argon2Sequential = await argon2VerifyFloor(BENCH_PASSWORD, 1, FLOOR_SECONDS * 1000);
    log(`  argon2 verify, 1 in flight: ${describeFloor(argon2Sequential)}`);
    const sample = await client.ask({ type: 'accounts', count: 500 });
    const emails = sample.type === 'accounts' ? sample.emails : [];
    const login: LoadResult[] = [];
    const argon2: RateFloor[] = [];
    const bareLogin: RateFloor[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      argon2.push(
        await measured(
          'argon2 verify floor',
          () => argon2VerifyFloor(BENCH_PASSWORD, THREADPOOL, FLOOR_SECONDS * 1000),
          (f) => f.operations,
        ),
      );
      log(`  argon2 verify floor: ${describeFloor(argon2[round])}`);
      bareLogin.push(
        await measured(
          'bare login floor',
          () => bareLoginFloor(db, stack.tableName, emails, BENCH_PASSWORD, CONNECTIONS, FLOOR_SECONDS * 1000),
          (f) => f.operations,
        ),
      );
      log(`  bare login floor (argon2 + the login's DynamoDB operations, no HTTP): ${describeFloor(bareLogin[round])}`);
      login.push(await load('login', CONNECTIONS, SECONDS, 'login', PROFILE && round === ROUNDS - 1));
    }

    log(
      `\nRefresh at ${REFRESH_CONNECTIONS} chains, each round after a DynamoDB floor round (the rotation's UpdateItem through the SDK) and a raw-HTTP floor round (GetItem + PutItem over keep-alive HTTP, no SDK), all at the same concurrency:`,
    );
    // A share of the pool, so the refresh run keeps far more tokens than connections.
    const pool = login[login.length - 1].tokens;
    const reserved = await client.ask({ type: 'reserve', count: Math.max(REFRESH_CONNECTIONS, Math.min(FLOOR_SESSIONS, Math.floor(pool / 3))) });
    const floorTokens = reserved.type === 'reserved' ? reserved.tokens : [];
    await load('refresh', REFRESH_CONNECTIONS, WARMUP_SECONDS);
    const dynamoSequential = await dynamoRefreshFloor(db, stack.tableName, floorTokens, 1, FLOOR_SECONDS * 1000);
    log(`  DynamoDB floor, 1 in flight: ${describeFloor(dynamoSequential)}`);
    const refreshSequential = await load('refresh', 1, FLOOR_SECONDS);
    const refresh: LoadResult[] = [];
    const dynamo: RateFloor[] = [];
    const raw: RateFloor[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      dynamo.push(
        await measured(
          'DynamoDB floor',
          () => dynamoRefreshFloor(db, stack.tableName, floorTokens, REFRESH_CONNECTIONS, FLOOR_SECONDS * 1000),
          (f) => f.operations,
        ),
      );
      log(`  DynamoDB floor: ${describeFloor(dynamo[round])}`);
      raw.push(
        await measured(
          'raw HTTP floor',
          () => rawHttpFloor(stack.dynamoDbEndpoint, stack.tableName, REFRESH_CONNECTIONS, FLOOR_SECONDS * 1000),
          (f) => f.operations,
        ),
      );
      log(`  raw-HTTP floor (GetItem + PutItem): ${describeFloor(raw[round])}`);
      refresh.push(await load('refresh', REFRESH_CONNECTIONS, SECONDS, 'refresh', PROFILE && round === ROUNDS - 1));
    }

    const http = {
      register: httpFigures(register),
      login: httpFigures(login),
      refresh: httpFigures(refresh),
      refreshSequential: httpFigures([refreshSequential]),
    };
    const floors = {
      argon2Verify: floorFigures(argon2),
      argon2VerifySequential: floorFigures([argon2Sequential]),
      bareLogin: floorFigures(bareLogin),
      dynamoRefresh: floorFigures(dynamo),
      dynamoRefreshSequential: floorFigures([dynamoSequential]),
      rawHttpGetPut: floorFigures(raw),
    };
    // Paired per round (each HTTP round right after its floor round), so a noisy neighbour moves both.
    const ratios = {
      loginOverArgon2: median(login.map((r, i) => r.okPerSecond / argon2[i].perSecond)),
      loginOverBareLogin: median(login.map((r, i) => r.okPerSecond / bareLogin[i].perSecond)),
      registerOverArgon2: http.register.okPerSecond / floors.argon2Verify.perSecond,
      refreshP50OverDynamoP50: median(refresh.map((r, i) => r.latency.p50 / dynamo[i].latency.p50)),
      refreshSequentialP50OverDynamoP50: refreshSequential.latency.p50 / dynamoSequential.latency.p50,
      refreshOverDynamoThroughput: median(refresh.map((r, i) => r.okPerSecond / dynamo[i].perSecond)),
      refreshOverRawHttpFloor: median(refresh.map((r, i) => r.okPerSecond / raw[i].perSecond)),
    };
    const counted = (call: string) => requests.find((figures) => figures.call === call) as RequestFigures;
    const refreshCount = counted('refresh');
    const loginCount = counted('login');
    const refreshClean = http.refresh.non2xx === 0 && http.refresh.errors === 0;

    const targets: TargetOutcome[] = [
      {
        name: 'refresh DynamoDB requests',
        target: `= ${TARGETS.refreshRequests}`,
        measured: fixed(refreshCount.requests, 2),
        pass: refreshCount.requests <= TARGETS.refreshRequests,
      },
      {
        name: 'refresh write units',
        target: `<= ${TARGETS.refreshWriteUnits}`,
        measured: fixed(refreshCount.writeUnits, 2),
        pass: refreshCount.writeUnits <= TARGETS.refreshWriteUnits,
      },
      {
        name: 'login DynamoDB requests',
        target: `<= ${TARGETS.loginRequests}`,
        measured: fixed(loginCount.requests, 2),
        pass: loginCount.requests <= TARGETS.loginRequests,
      },
      {
        name: `refresh req/s / raw-HTTP floor (${REFRESH_CONNECTIONS} chains)`,
        target: `>= ${TARGETS.refreshOverRawFloor}`,
        measured: fixed(ratios.refreshOverRawHttpFloor, 3),
        pass: ratios.refreshOverRawHttpFloor >= TARGETS.refreshOverRawFloor && refreshClean,
      },
      {
        name: `refresh p99 (${REFRESH_CONNECTIONS} chains)`,
        target: `< ${TARGETS.refreshP99Ms} ms`,
        measured: `${fixed(http.refresh.p99)} ms`,
        pass: http.refresh.p99 < TARGETS.refreshP99Ms && refreshClean,
        ...(refreshClean ? {} : { note: `${http.refresh.non2xx} non-2xx, ${http.refresh.errors} errors: figures do not count` }),
      },
      {
        name: 'login req/s / argon2 verify/s',
        target: `>= ${TARGETS.loginOverArgon2}`,
        measured: fixed(ratios.loginOverArgon2, 2),
        pass: ratios.loginOverArgon2 >= TARGETS.loginOverArgon2 && http.login.non2xx === 0 && http.login.errors === 0,
        ...(http.login.non2xx || http.login.errors ? { note: `${http.login.non2xx} non-2xx, ${http.login.errors} errors: figures do not count` } : {}),
      },
      {
        name: `refresh p50 / DynamoDB p50 (${REFRESH_CONNECTIONS} conn)`,
        target: `<= ${TARGETS.refreshOverDynamo}x`,
        measured: `${fixed(ratios.refreshP50OverDynamoP50, 2)}x`,
        pass: ratios.refreshP50OverDynamoP50 <= TARGETS.refreshOverDynamo && http.refresh.non2xx === 0 && http.refresh.errors === 0,
        ...(http.refresh.non2xx || http.refresh.errors ? { note: `${http.refresh.non2xx} non-2xx, ${http.refresh.errors} errors: figures do not count` } : {}),
      },
      ...bundles.flatMap((bundle): TargetOutcome[] => [
        bundle.buildError
          ? { name: `${bundle.handler} bundle`, target: `< ${kb(TARGETS.bundleBytes)}`, measured: 'build failed', pass: false, note: bundle.buildError }
          : // Our own code and libraries: the SDK is bundled on purpose (it imports faster than the runtime copy), so it does not count here.
            {
              name: `${bundle.handler} bundle without the SDK`,
              target: `< ${kb(TARGETS.bundleBytes)}`,
              measured: kb(bundle.bytes - bundle.sdkBytes),
              pass: bundle.bytes - bundle.sdkBytes < TARGETS.bundleBytes,
            },
        'error' in bundle.importMs
          ? {
              name: `${bundle.handler} import`,
              target: `< ${TARGETS.importMs(bundle.handler)} ms`,
              measured: 'failed',
              pass: false,
              note: bundle.importMs.error,
            }
          : {
              name: `${bundle.handler} import`,
              target: `< ${TARGETS.importMs(bundle.handler)} ms`,
              measured: `${fixed(bundle.importMs.median)} ms`,
              pass: bundle.importMs.median < TARGETS.importMs(bundle.handler),
            },
      ]),
    ];

    const cpuMedians = Object.fromEntries(
      Object.entries(cpuUse).map(([label, uses]) => {
        const keys = Object.keys(uses[0].cores);
        return [
          label,
          {
            cores: Object.fromEntries(keys.map((key) => [key, round(median(uses.map((use) => use.cores[key])))])),
            msPerOperation: Object.fromEntries(keys.map((key) => [key, round(median(uses.map((use) => use.msPerOperation[key])))])),
          },
        ];
      }),
    );
    printSummary(http, floors, ratios, cpuMedians, bundles, requests, targets);
    for (const [scenario, summary] of Object.entries(profiles)) {
      log(`\nServer main thread during the last ${scenario} round (V8 profile ${summary.file}):`);
      log(
        table(
          ['where', '% of main thread'],
          summary.top.map((entry) => [entry.owner, fixed(entry.percent)]),
        ),
      );
    }
    const results = {
      date: started.toISOString(),
      machine: { ...machine, loadAverageAtEnd: loadavg().map((value) => round(value)) },
      settings: {
        seconds: SECONDS,
        rounds: ROUNDS,
        warmupSeconds: WARMUP_SECONDS,
        floorSeconds: FLOOR_SECONDS,
        connections: CONNECTIONS,
        refreshConnections: REFRESH_CONNECTIONS,
        importRuns: IMPORT_RUNS,
      },
      http: Object.fromEntries(
        Object.entries(http).map(([name, figures]) => [
          name,
          {
            connections: figures.connections,
            okPerSecond: round(figures.okPerSecond),
            p50Ms: round(figures.p50),
            p99Ms: round(figures.p99),
            non2xx: figures.non2xx,
            errors: figures.errors,
            rounds: figures.rounds.map((r) => ({
              okPerSecond: round(r.okPerSecond),
              p50Ms: round(r.latency.p50),
              p99Ms: round(r.latency.p99),
              statuses: r.statuses,
            })),
          },
        ]),
      ),
      floors: Object.fromEntries(
        Object.entries(floors).map(([name, figures]) => [
          name,
          {
            concurrency: figures.concurrency,
            perSecond: round(figures.perSecond),
            p50Ms: round(figures.p50),
            p99Ms: round(figures.p99),
            rounds: figures.rounds.map((r) => ({ perSecond: round(r.perSecond), p50Ms: round(r.latency.p50), p99Ms: round(r.latency.p99) })),
          },
        ]),
      ),
      ratios: Object.fromEntries(Object.entries(ratios).map(([name, value]) => [name, round(value, 3)])),
      cpu: cpuMedians,
      requests: requests.map((figures) => ({ ...figures, readUnits: round(figures.readUnits), writeUnits: round(figures.writeUnits) })),
      ...(PROFILE ? { profiles } : {}),
      bundles: bundles.map((bundle) => ({
        ...bundle,
        importMs: 'error' in bundle.importMs ? bundle.importMs : { median: round(bundle.importMs.median), runs: bundle.importMs.samples.length },
        runtimeSdkImportMs:
          'error' in bundle.runtimeSdkImportMs
            ? bundle.runtimeSdkImportMs
            : { median: round(bundle.runtimeSdkImportMs.median), runs: bundle.runtimeSdkImportMs.samples.length },
      })),
      targets,
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`\nWritten to bench/results/latest.json`);
  } finally {
    await stop();
  }
}

function printSummary(
  http: Record<string, HttpFigures>,
  floors: Record<string, ReturnType<typeof floorFigures>>,
  ratios: Record<string, number>,
  cpu: Record<string, { cores: Record<string, number>; msPerOperation: Record<string, number> }>,
  bundles: BundleFigures[],
  requests: RequestFigures[],
  targets: TargetOutcome[],
): void {
  log('\n== Summary (medians over rounds) ==\n');
  log(
    table(
      ['HTTP', 'conn', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
      Object.entries(http).map(([name, f]) => [name, f.connections, fixed(f.okPerSecond), fixed(f.p50, 2), fixed(f.p99, 2), f.non2xx + f.errors]),
    ),
  );
  log('');
  log(
    table(
      ['floor', 'in flight', 'ops/s', 'p50 ms', 'p99 ms'],
      Object.entries(floors).map(([name, f]) => [name, f.concurrency, fixed(f.perSecond), fixed(f.p50, 2), fixed(f.p99, 2)]),
    ),
  );
  log('');
  log(
    table(
      ['ratio', 'value'],
      Object.entries(ratios).map(([name, value]) => [name, fixed(value, 3)]),
    ),
  );
  log('\nCPU per operation in ms (cores busy in brackets; "other processes" is whatever else ran on the machine meanwhile):');
  const labels = Object.keys(Object.values(cpu)[0]?.cores ?? {});
  log(
    table(
      ['run', ...labels],
      Object.entries(cpu).map(([name, use]) => [name, ...labels.map((label) => `${fixed(use.msPerOperation[label], 2)} (${fixed(use.cores[label], 2)})`)]),
    ),
  );
  log('');
  log(
    table(
      ['bundle', 'size', 'of it AWS SDK', 'import ms (median)', 'runtime SDK import ms', 'ratio', 'largest inputs'],
      bundles.map((b) => [
        b.handler,
        b.buildError ? 'build failed' : kb(b.bytes),
        b.buildError ? '' : kb(b.sdkBytes),
        'error' in b.importMs ? 'failed' : fixed(b.importMs.median),
        'error' in b.runtimeSdkImportMs ? 'failed' : fixed(b.runtimeSdkImportMs.median),
        'error' in b.importMs || 'error' in b.runtimeSdkImportMs ? '' : fixed(b.importMs.median / b.runtimeSdkImportMs.median, 2),
        b.largestInputs.map((input) => `${input.path} ${kb(input.bytes)}`).join(', '),
      ]),
    ),
  );
  log('\nDynamoDB per call (means over the samples; write units as DynamoDB bills them: transactions x2, refused writes 1):');
  log(
    table(
      ['call', 'requests', 'read units', 'write units', 'operations'],
      requests.map((r) => [
        r.call,
        fixed(r.requests, 2),
        fixed(r.readUnits, 2),
        fixed(r.writeUnits, 2),
        Object.entries(r.byOperation)
          .map(([op, n]) => `${op} ${fixed(n, 2)}`)
          .join(', '),
      ]),
    ),
  );
  log('');
  log(verdicts(targets));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
