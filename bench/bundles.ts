/**
 * Each function as it is deployed: built from the route table with the very
 * esbuild options the CDK stack uses (lib/bundling.ts), then weighed and
 * imported in fresh Node processes, which is the module-loading part of a
 * Lambda cold start.
 */

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ROUTES, type Route, routeId } from '../lambdas/routes';
import { ESBUILD_ALIASES, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, LAMBDA_NODE_TARGET, MAIN_FIELDS, RUNTIME_SDK_EXTERNAL_MODULES } from '../lib/bundling';
import { median } from './stats';

const REPO = resolve(__dirname, '..');

export interface BundleFigures {
  route: string;
  handler: string;
  /** Bytes of index.mjs (the source map is a separate file and not shipped to the runtime's memory); NaN when the build failed. */
  bytes: number;
  /** Of those, bytes that come from the AWS SDK (@aws-sdk, @smithy), bundled since lib/bundling.ts stopped leaving it to the runtime. */
  sdkBytes: number;
  buildError?: string;
  /** The three biggest inputs, to say where the bytes come from. */
  largestInputs: { path: string; bytes: number }[];
  importMs: { median: number; samples: number[] } | { error: string };
  /** The same function built the old way, the SDK left external (the runtime's CommonJS copy), imported in the same rounds. */
  runtimeSdkImportMs: { median: number; samples: number[] } | { error: string };
}

function inputsByPackage(metafile: Metafile, outfile: string): Map<string, number> {
  const output = Object.entries(metafile.outputs).find(([path]) => resolve(path) === resolve(outfile))?.[1];
  const byPackage = new Map<string, number>();
  if (!output) return byPackage;
  for (const [path, input] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match ? match[1] : path.replace(/^.*?(lambdas\/)/, '$1');
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return byPackage;
}

interface Built {
  outfile: string;
  bytes: number;
  sdkBytes: number;
  largest: { path: string; bytes: number }[];
}

async function bundle(route: Route, outdir: string, external = EXTERNAL_MODULES): Promise<Built> {
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPO, 'lambdas', 'handlers', `${route.handler}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    minify: true,
    sourcemap: true,
    external,
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    // The stack's substitutions apply to the SDK it bundles; the runtime-SDK variant leaves the SDK (and its chain) external.
    ...(external === EXTERNAL_MODULES ? { alias: { ...ESBUILD_ALIASES }, absWorkingDir: REPO } : {}),
    metafile: true,
    logLevel: 'silent',
  });
  const byPackage = inputsByPackage(result.metafile, outfile);
  const sdkBytes = [...byPackage.entries()].filter(([name]) => /^@(aws-sdk|smithy)\//.test(name)).reduce((sum, [, bytes]) => sum + bytes, 0);
  const largest = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([path, bytes]) => ({ path, bytes }));
  return { outfile, bytes: statSync(outfile).size, sdkBytes, largest };
}

/** Milliseconds to import the bundle in a fresh Node process, measured inside that process. */
function importOnce(outfile: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(outfile).href)});console.log(performance.now()-t)`;
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return fail(new Error((stderr || error.message).trim().split('\n').slice(0, 3).join(' ')));
      done(Number(stdout.trim()));
    });
  });
}

/**
 * Builds every route's function into a temporary folder whose node_modules
 * points at the repo's, so the externals (the AWS SDK the runtime provides,
 * argon2's native package shipped beside the bundle) resolve as they do in
 * Lambda, and imports each `runs` times (at least 3, more while `budgetMs`
 * lasts), round-robin so noise spreads evenly.
 * `env` is what the function would get (TABLE_NAME, ...), so module-scope
 * settings parse; nothing touches the network at import.
 */
export async function measureBundles(env: Record<string, string>, runs = 7, budgetMs = 60_000): Promise<BundleFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loginbridge-bench-bundles-'));
  try {
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const built: ({ route: Route; baseline: boolean } & (Built | { buildError: string }))[] = [];
    for (const route of ROUTES) {
      for (const baseline of [false, true]) {
        const outdir = join(dir, `${routeId(route)}${baseline ? '-runtime-sdk' : ''}`);
        mkdirSync(outdir);
        try {
          built.push({ route, baseline, ...(await bundle(route, outdir, baseline ? RUNTIME_SDK_EXTERNAL_MODULES : EXTERNAL_MODULES)) });
        } catch (error) {
          // A route whose handler does not build is reported, not fatal: the other figures still count.
          built.push({ route, baseline, buildError: error instanceof Error ? error.message.split('\n')[0] : String(error) });
        }
      }
    }
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
    const samples = built.map(() => [] as number[]);
    const failures = built.map((entry) => ('buildError' in entry ? `build failed: ${entry.buildError}` : undefined));
    // At least three imports of each bundle; the rest only while the time budget lasts, so many routes cannot stretch the run.
    const started = performance.now();
    for (let run = 0; run < runs && (run < 3 || performance.now() - started < budgetMs); run += 1) {
      for (const [index, entry] of built.entries()) {
        if (failures[index] || 'buildError' in entry) continue;
        try {
          samples[index].push(await importOnce(entry.outfile, childEnv));
        } catch (error) {
          failures[index] = error instanceof Error ? error.message : String(error);
        }
      }
    }
    const importMs = (index: number) => (failures[index] ? { error: failures[index] as string } : { median: median(samples[index]), samples: samples[index] });
    return built.flatMap((entry, index) =>
      entry.baseline
        ? []
        : [
            {
              route: `${entry.route.method} ${entry.route.path}`,
              handler: entry.route.handler,
              ...('buildError' in entry
                ? { bytes: Number.NaN, sdkBytes: Number.NaN, buildError: entry.buildError, largestInputs: [] }
                : { bytes: entry.bytes, sdkBytes: entry.sdkBytes, largestInputs: entry.largest }),
              importMs: importMs(index),
              // Built right after it, so its baseline is the next entry.
              runtimeSdkImportMs: importMs(index + 1),
            },
          ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
