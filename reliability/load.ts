import { checkInvariants, median, Part, percentile, request, type Harness } from './harness';

export interface LoadOptions {
  clients: number;
  seconds: number;
  refreshesPerIteration: number;
  /** Extra steps a signed-in client performs each iteration (e.g. an SSO hand-off). */
  extraSteps?: { name: string; run: (url: string, accessToken: string) => Promise<{ status: number; ms: number }> }[];
  /** Called once, mid-run, e.g. to kill DynamoDB; the run goes on until `seconds` is over. */
  midRun?: { afterSeconds: number; action: () => Promise<void> };
  /** 5xx expected while a fault is injected: counted, not failed. */
  tolerate5xx?: boolean;
}

export interface LoadOutcome {
  statusCounts: Map<string, number>;
  latencies: Map<string, number[]>;
  expectedEmails: Set<string>;
  /** Emails whose fate an error left uncertain (a 5xx on register or delete); probed afterwards. */
  uncertain: Map<string, string>;
  iterations: number;
  serverErrors: { step: string; status: number; ms: number; at: number }[];
  /** Epoch ms when the run began; `serverErrors[].at` counts from here. */
  startedAt: number;
}

const PASSWORD = 'reliability run passphrase';

/** Many concurrent clients, each: register, login, refreshes, extra steps, delete; repeat until the time is up. */
export async function runLoad(harness: Harness, options: LoadOptions): Promise<LoadOutcome> {
  const url = harness.stack.url;
  const started = Date.now();
  const outcome: LoadOutcome = { statusCounts: new Map(), latencies: new Map(), expectedEmails: new Set(), uncertain: new Map(), iterations: 0, serverErrors: [], startedAt: started };
  const deadline = started + options.seconds * 1000;
  const record = <R extends { status: number; ms: number }>(step: string, result: R): R => {
    const key = `${step} ${result.status}`;
    outcome.statusCounts.set(key, (outcome.statusCounts.get(key) ?? 0) + 1);
    if (result.status >= 200 && result.status < 300) (outcome.latencies.get(step) ?? outcome.latencies.set(step, []).get(step)!).push(result.ms);
    if (result.status >= 500 || result.status === 0) outcome.serverErrors.push({ step, status: result.status, ms: result.ms, at: Date.now() - started });
    if (process.env.RELIABILITY_DEBUG && result.status >= 400) console.error(step, result.status, (result as { text?: string }).text?.slice(0, 200));
    return result;
  };

  let sequence = 0;
  const client = async (index: number) => {
    while (Date.now() < deadline) {
      sequence += 1;
      const email = `load.${index}.${sequence}.${started}@example.com`;
      const registered = record('register', await request(url, 'POST', '/login-flow/register', { firstName: 'Load', lastName: `Client ${index}`, email, password: PASSWORD, approveTermsOfUse: 'on' }));
      if (registered.status === 200) outcome.expectedEmails.add(email);
      else {
        if (registered.status >= 500 || registered.status === 0) outcome.uncertain.set(email, 'register');
        continue;
      }
      const login = record('login', await request(url, 'POST', '/login-flow/login', { email, password: PASSWORD }));
      let refreshToken: string | undefined = login.json?.refresh_token ?? registered.json?.refresh_token;
      let accessToken: string | undefined = login.json?.access_token ?? registered.json?.access_token;
      for (let step = 0; step < options.refreshesPerIteration && refreshToken; step += 1) {
        const refreshed = record('refresh', await request(url, 'POST', '/login-flow/refresh', { refresh_token: refreshToken }));
        refreshToken = refreshed.status === 200 ? refreshed.json.refresh_token : undefined;
        if (refreshed.status === 200) accessToken = refreshed.json.access_token;
      }
      for (const extra of options.extraSteps ?? []) if (accessToken) record(extra.name, await extra.run(url, accessToken));
      if (!accessToken) continue;
      const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': accessToken })).toString('base64url');
      const deleted = record('delete', await request(url, 'POST', `/login-flow/delete-account?ctx=${ctx}`));
      if (deleted.status === 200) outcome.expectedEmails.delete(email);
      else if (deleted.status >= 500 || deleted.status === 0) outcome.uncertain.set(email, 'delete');
      outcome.iterations += 1;
    }
  };

  const mid = options.midRun
    ? new Promise<void>((resolve) => setTimeout(() => void options.midRun!.action().then(resolve, resolve), options.midRun!.afterSeconds * 1000))
    : Promise.resolve();
  await Promise.all([...Array.from({ length: options.clients }, (_, index) => client(index)), mid]);
  return outcome;
}

/** After recovery, decides uncertain emails by signing in with the known password: 200 means the account exists. */
export async function settleUncertain(harness: Harness, outcome: LoadOutcome): Promise<void> {
  for (const email of outcome.uncertain.keys()) {
    const probe = await request(harness.stack.url, 'POST', '/login-flow/login', { email, password: PASSWORD });
    if (probe.status === 200) outcome.expectedEmails.add(email);
    else outcome.expectedEmails.delete(email);
  }
}

export function describeLoad(part: Part, outcome: LoadOutcome): void {
  const counts = [...outcome.statusCounts.entries()].sort(([a], [b]) => a.localeCompare(b));
  part.note(`${outcome.iterations} full iterations; answers by step and status: ${counts.map(([key, count]) => `${key}: ${count}`).join(', ')}`);
  for (const [step, values] of outcome.latencies) {
    part.note(`${step}: ${values.length} ok, p50 ${median(values).toFixed(0)} ms, p99 ${percentile(values, 0.99).toFixed(0)} ms`);
  }
}

export async function loadPart(harness: Harness, options: LoadOptions): Promise<Part> {
  const part = new Part(`Load: ${options.clients} concurrent clients for ${options.seconds} s`);
  const outcome = await runLoad(harness, options);
  describeLoad(part, outcome);
  part.check(outcome.serverErrors.length === 0, `no 5xx and no dropped connection during the run (${outcome.serverErrors.length})`);
  part.check(outcome.iterations >= options.clients, `every client completed at least one iteration on average (${outcome.iterations} iterations)`);
  part.absorb(checkInvariants(await harness.scanTable(), outcome.expectedEmails));
  return part;
}
