/**
 * DynamoDB requests and capacity units per register, login and refresh: a
 * child process runs the local stack's handlers against DynamoDB through the
 * counting proxy (bench/dynamo-meter.ts), sends each call a few times in a
 * row and divides. Its own process, so the proxy never sits in front of the
 * throughput figures.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/stack';
import { type MeterReading, startDynamoMeter } from './dynamo-meter';
import { BENCH_PASSWORD } from './load-protocol';

export type CountedCall = 'register' | 'login' | 'refresh' | 'refresh retry (grace)';

export interface RequestFigures {
  call: CountedCall;
  samples: number;
  requests: number;
  readUnits: number;
  writeUnits: number;
  byOperation: Record<string, number>;
}

/** Forks this file and waits for its figures. */
export function measureRequests(dynamoDbEndpoint: string, samples = 10): Promise<RequestFigures[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [dynamoDbEndpoint, String(samples)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { figures?: RequestFigures[]; error?: string }) =>
      message.figures ? resolve(message.figures) : reject(new Error(message.error)),
    );
    child.once('exit', (code) => reject(new Error(`request counting exited (${code})`)));
  });
}

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

async function count(upstream: string, samples: number): Promise<RequestFigures[]> {
  const meter = await startDynamoMeter(upstream);
  const dataDir = mkdtempSync(join(tmpdir(), 'loginbridge-bench-requests-'));
  const stack = await startLocalStack({
    port: 0,
    simulators: false,
    dataDir,
    dynamoDbEndpoint: meter.endpoint,
    tableName: `loginbridge-requests-${Date.now()}`,
    env: { LOG_LEVEL: 'SILENT', LOGIN_IP_MAX_FAILURES: '1000000', LOGIN_BACKOFF_FREE_FAILURES: '1000000' },
  });
  const figures: RequestFigures[] = [];
  const measure = async (call: CountedCall, run: (index: number) => Promise<void>) => {
    // One untimed call first: caches (signing key, decoy hash) fill on first use, not per request.
    await run(-1);
    meter.reset();
    for (let index = 0; index < samples; index += 1) await run(index);
    const reading: MeterReading = meter.read();
    figures.push({
      call,
      samples,
      requests: reading.requests / samples,
      readUnits: reading.readUnits / samples,
      writeUnits: reading.writeUnits / samples,
      byOperation: Object.fromEntries(Object.entries(reading.byOperation).map(([operation, n]) => [operation, n / samples])),
    });
  };
  try {
    const runId = `${process.pid}-${Date.now()}`;
    const emails: string[] = [];
    let tokens: string[] = [];
    await measure('register', async (index) => {
      const email = `requests.${runId}.${index + 1}@example.com`;
      const body = await post(stack.url, '/login-flow/register', {
        firstName: 'Bench',
        lastName: 'Mark',
        email,
        password: BENCH_PASSWORD,
        approveTermsOfUse: 'on',
        approveMarketing: null,
      });
      emails.push(email);
      tokens.push(body.refresh_token as string);
    });
    await measure('login', async (index) => {
      await post(stack.url, '/login-flow/login', { email: emails[(index + emails.length) % emails.length], password: BENCH_PASSWORD });
    });
    await measure('refresh', async (index) => {
      const slot = (index + 1) % tokens.length;
      tokens[slot] = (await post(stack.url, '/login-flow/refresh', { refresh_token: tokens[slot] })).refresh_token as string;
    });
    // A client that lost the answer presents the token it just rotated again.
    const previous = await Promise.all(
      tokens.map(async (token) => ({ token, next: (await post(stack.url, '/login-flow/refresh', { refresh_token: token })).refresh_token as string })),
    );
    await measure('refresh retry (grace)', async (index) => {
      const { token, next } = previous[(index + 1) % previous.length];
      const again = (await post(stack.url, '/login-flow/refresh', { refresh_token: token })).refresh_token;
      if (again !== next) throw new Error('a retry within the grace window got a different successor');
    });
    tokens = [];
    return figures;
  } finally {
    await stack.stop();
    await meter.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.removeAllListeners('warning');
  const [upstream, samples] = process.argv.slice(2);
  count(upstream, Number(samples)).then(
    (figures) => process.send?.({ figures }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error instanceof Error ? error.stack : error) }, () => process.exit(1)),
  );
}
