/**
 * The load generator, a separate process so that its own work does not run
 * on the server's event loop (the server is one Node process, as a Lambda
 * instance is). It keeps the accounts it registered and every unused refresh
 * token between runs: register feeds login, and register and login feed
 * refresh, whose answers feed it back, so every refresh presents a token that
 * is current and was never presented before.
 */
import autocannon from 'autocannon';
import { BENCH_PASSWORD, type ClientCommand, type ClientMessage, type LoadCommand, type LoadResult, type Scenario } from './load-protocol';

const runId = `${process.pid}-${Date.now()}`;
let registered = 0;
const accounts: string[] = [];
let nextAccount = 0;
/** Refresh tokens never presented yet, oldest first. */
const tokens: string[] = [];

const json = { 'content-type': 'application/json' };

function refreshTokenOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { refresh_token?: unknown };
    return typeof parsed.refresh_token === 'string' ? parsed.refresh_token : undefined;
  } catch {
    return undefined;
  }
}

function request(scenario: Scenario) {
  switch (scenario) {
    case 'register':
      return {
        method: 'POST',
        path: '/login-flow/register',
        headers: json,
        setupRequest: (base: object, context: Record<string, unknown>) => {
          registered += 1;
          const email = `bench.${runId}.${registered}@example.com`;
          // With one request in flight per connection, the context still holds this email when its answer arrives.
          context.email = email;
          const body = { firstName: 'Bench', lastName: 'Mark', email, password: BENCH_PASSWORD, approveTermsOfUse: 'on', approveMarketing: null };
          return { ...base, body: JSON.stringify(body) };
        },
        onResponse: (status: number, body: string, context: Record<string, unknown>) => {
          if (status !== 200) return;
          const token = refreshTokenOf(body);
          if (token) tokens.push(token);
          if (typeof context.email === 'string') accounts.push(context.email);
        },
      };
    case 'login':
      return {
        method: 'POST',
        path: '/login-flow/login',
        headers: json,
        setupRequest: (base: object) => {
          const email = accounts[nextAccount % accounts.length];
          nextAccount += 1;
          return { ...base, body: JSON.stringify({ email, password: BENCH_PASSWORD }) };
        },
        onResponse: (status: number, body: string) => {
          const token = status === 200 ? refreshTokenOf(body) : undefined;
          if (token) tokens.push(token);
        },
      };
    case 'refresh':
      return {
        method: 'POST',
        path: '/login-flow/refresh',
        headers: json,
        setupRequest: (base: object) => {
          const token = tokens.shift();
          // No unused token left: autocannon skips the request rather than send a stale one.
          return token ? { ...base, body: JSON.stringify({ refresh_token: token }) } : undefined;
        },
        onResponse: (status: number, body: string) => {
          const token = status === 200 ? refreshTokenOf(body) : undefined;
          if (token) tokens.push(token);
        },
      };
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

async function run(command: LoadCommand): Promise<LoadResult> {
  if (command.scenario === 'login' && !accounts.length) throw new Error('login needs accounts: run register first');
  if (command.scenario === 'refresh' && tokens.length < command.connections * 4) {
    throw new Error(`refresh needs at least ${command.connections * 4} unused refresh tokens, the pool has ${tokens.length}`);
  }
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise<LoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: command.url,
        connections: command.connections,
        pipelining: 1,
        duration: command.durationSeconds,
        timeout: 30,
        requests: [request(command.scenario)],
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const completed = Object.values(statuses).reduce((sum, count) => sum + count, 0);
        const ok = Object.entries(statuses)
          .filter(([status]) => status.startsWith('2'))
          .reduce((sum, [, count]) => sum + count, 0);
        resolve({
          type: 'result',
          scenario: command.scenario,
          connections: command.connections,
          durationSeconds: result.duration,
          requestsPerSecond: completed / result.duration,
          okPerSecond: ok / result.duration,
          latency: { count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
          statuses,
          non2xx: completed - ok,
          errors: result.errors,
          timeouts: result.timeouts,
          accounts: accounts.length,
          tokens: tokens.length,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
  });
}

function send(message: ClientMessage): void {
  process.send?.(message);
}

process.on('message', (command: ClientCommand) => {
  if (command.type === 'exit') process.exit(0);
  if (command.type === 'reserve') {
    // Taken from the end: the freshest tokens, whose families have rotated least, like the ones the floor stands for.
    send({ type: 'reserved', tokens: tokens.splice(Math.max(0, tokens.length - command.count), command.count) });
    return;
  }
  if (command.type === 'accounts') {
    send({ type: 'accounts', emails: accounts.slice(0, command.count) });
    return;
  }
  run(command).then(send, (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
