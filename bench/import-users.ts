/**
 * `npm run bench:import`: generates a JSON Lines file of users (every hash
 * format in turn, names, external ids), imports it into a fresh table of
 * DynamoDB Local (on disk, started here unless BENCH_DYNAMODB_ENDPOINT is
 * set) and measures users/s and the importer's memory (peak RSS and heap of
 * this process, sampled every 200 ms). Prints the median of the runs and
 * writes bench/results/import-users.json. See docs/performance.md.
 *
 * Knobs (environment): BENCH_IMPORT_LINES (1000000), BENCH_IMPORT_RUNS (3),
 * BENCH_IMPORT_BATCH (10 users per transaction), BENCH_IMPORT_CONCURRENCY (16),
 * BENCH_DYNAMODB_ENDPOINT, BENCH_IMPORT_DRY_RUN (1: the same streaming and
 * batching with existence reads instead of writes, to see the memory of a
 * long file when DynamoDB Local's write rate would take hours),
 * BENCH_IMPORT_PROGRESS (1: a progress line with memory every 30 s).
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable } from '../local/table';
import { importUsers } from '../local/users/import-users';
import { median } from './stats';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
};

const LINES = number('BENCH_IMPORT_LINES', 1_000_000);
const RUNS = number('BENCH_IMPORT_RUNS', 3);
const BATCH = number('BENCH_IMPORT_BATCH', 10);
const CONCURRENCY = number('BENCH_IMPORT_CONCURRENCY', 16);
const DRY_RUN = process.env.BENCH_IMPORT_DRY_RUN === '1';
const PROGRESS = process.env.BENCH_IMPORT_PROGRESS === '1';

/** Real-looking hashes of each family (they are parsed and bound-checked like any import; never verified here). */
const HASHES = [
  '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
  '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObGRdescudvJCs',
  'pbkdf2_sha256$260000$s3aS4ltV4lue$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=',
  '$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU',
  '$pbkdf2-sha512$i=100000,l=64$AAECAwQFBgcICQoLDA0ODw$Cydfp1z9RwhFbZBlUPGEUbm90YYIzLkDEOiu/l8ZkFWdvi9oLM8GozOKTYJ8WKZJkm3CNbSBItnsIxvYurqNAw',
];

async function generate(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  for (let index = 0; index < lines; index += 1) {
    const line = JSON.stringify({
      email: `user${index}@bench.example.com`,
      firstName: `First${index % 997}`,
      lastName: `Last${index % 991}`,
      approveMarketing: index % 3 === 0,
      emailVerified: index % 2 === 0,
      externalId: `legacy-${index}`,
      ...(index % 10 === 9 ? {} : { password: HASHES[index % HASHES.length] }),
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lb-bench-import-'));
  const dynamo = process.env.BENCH_DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal({ dataDir: join(work, 'dynamodb') });
  const endpoint = process.env.BENCH_DYNAMODB_ENDPOINT ?? dynamo!.endpoint;
  const file = join(work, 'users.jsonl');
  try {
    await generate(file, LINES);
    console.log(
      `${DRY_RUN ? 'Dry run (reads, no writes): ' : ''}Generated ${LINES} lines (${(statSync(file).size / 1048576).toFixed(0)} MiB); ${RUNS} runs, ${BATCH} users per transaction, ${CONCURRENCY} in flight, ${cpus().length} cores`,
    );
    const runs: { usersPerSecond: number; seconds: number; peakRssMiB: number; peakHeapMiB: number; imported: number }[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const tableName = `bench-import-${Date.now()}-${run}`;
      await ensureTable(endpoint, tableName);
      global.gc?.();
      let peakRss = 0;
      let peakHeap = 0;
      let samples = 0;
      const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        peakHeap = Math.max(peakHeap, usage.heapUsed);
        samples += 1;
        if (PROGRESS && samples % 150 === 0)
          console.log(
            `  memory now: RSS ${Math.round(usage.rss / 1048576)} MiB, heap ${Math.round(usage.heapUsed / 1048576)} MiB; peak RSS ${Math.round(peakRss / 1048576)} MiB`,
          );
      }, 200);
      const report = await importUsers({
        file,
        target: { tableName, endpoint, region: 'us-east-1' },
        batchSize: BATCH,
        concurrency: CONCURRENCY,
        reportFile: join(work, `report-${run}.jsonl`),
        dryRun: DRY_RUN,
        progress: PROGRESS ? process.stdout : null,
      });
      clearInterval(sampler);
      if (report.imported !== LINES) throw new Error(`run ${run}: imported ${report.imported} of ${LINES} (${report.failed} failed)`);
      const figures = {
        dryRun: DRY_RUN,
        usersPerSecond: Math.round(report.usersPerSecond),
        seconds: Math.round(report.seconds),
        peakRssMiB: Math.round(peakRss / 1048576),
        peakHeapMiB: Math.round(peakHeap / 1048576),
        imported: report.imported,
      };
      runs.push(figures);
      console.log(
        `run ${run}: ${figures.usersPerSecond} users/s (${figures.seconds} s), peak RSS ${figures.peakRssMiB} MiB, peak heap ${figures.peakHeapMiB} MiB`,
      );
    }
    const result = {
      lines: LINES,
      runs,
      median: {
        usersPerSecond: median(runs.map((run) => run.usersPerSecond)),
        peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
        peakHeapMiB: median(runs.map((run) => run.peakHeapMiB)),
      },
      batch: BATCH,
      concurrency: CONCURRENCY,
      cores: cpus().length,
      at: new Date().toISOString(),
    };
    console.log(`median: ${result.median.usersPerSecond} users/s, peak RSS ${result.median.peakRssMiB} MiB, peak heap ${result.median.peakHeapMiB} MiB`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'import-users.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await dynamo?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
