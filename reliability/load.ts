import { OverloadedError } from '../lambdas/core/errors';
import { checkInvariants, type Harness, median, Part, percentile, request } from './harness';

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
  /**
   * Designed 503s by step: `temporarily_unavailable` with a Retry-After.
   * `shed` is the early "busy, come back" (the argon2 queue over its time
   * budget); `bounded` is a dependency that did not answer within its bound
   * (a DynamoDB call past its timeout). Counted and reported, not failed; the
   * client waits as told. Any other 5xx, or a dropped connection, is a failure.
   */
  shed: Map<string, number>;
  bounded: Map<string, number>;
  /** Epoch ms when the run began; `serverErrors[].at` counts from here. */
  startedAt: number;
}

const PASSWORD = 'reliability run passphrase';

/** Many concurrent clients, each: register, login, refreshes, extra steps, delete; repeat until the time is up. */
export async function runLoad(harness: Harness, options: LoadOptions): Promise<LoadOutcome> {
  const url = harness.stack.url;
  const started = Date.now();
  const outcome: LoadOutcome = {
    statusCounts: new Map(),
    latencies: new Map(),
    expectedEmails: new Set(),
    uncertain: new Map(),
    iterations: 0,
    serverErrors: [],
    shed: new Map(),
    bounded: new Map(),
    startedAt: started,
  };
  const deadline = started + options.seconds * 1000;
  const record = <R extends { status: number; ms: number; json?: any; headers?: Headers }>(step: string, result: R): R => {
    const key = `${step} ${result.status}`;
    outcome.statusCounts.set(key, (outcome.statusCounts.get(key) ?? 0) + 1);
    if (result.status >= 200 && result.status < 300) (outcome.latencies.get(step) ?? outcome.latencies.set(step, []).get(step)!).push(result.ms);
    // With a fault injected every 503 is part of what the fault part examines; shedding is told apart only under plain load.
    if (!options.tolerate5xx && (isShed(result) || isPartnerTimeout(result))) {
      const kind =
        result.json?.formError === OverloadedError.MESSAGE || result.json?.error_description === OverloadedError.MESSAGE ? outcome.shed : outcome.bounded;
      kind.set(step, (kind.get(step) ?? 0) + 1);
    } else if (result.status >= 500 || result.status === 0) outcome.serverErrors.push({ step, status: result.status, ms: result.ms, at: Date.now() - started });
    if (process.env.RELIABILITY_DEBUG && result.status >= 400) console.error(step, result.status, (result as { text?: string }).text?.slice(0, 200));
    return result;
  };

  let sequence = 0;
  const client = async (index: number) => {
    while (Date.now() < deadline) {
      sequence += 1;
      const email = `load.${index}.${sequence}.${started}@example.com`;
      const registered = record(
        'register',
        await request(url, 'POST', '/login-flow/register', {
          firstName: 'Load',
          lastName: `Client ${index}`,
          email,
          password: PASSWORD,
          approveTermsOfUse: 'on',
        }),
      );
      if (registered.status === 200) outcome.expectedEmails.add(email);
      else {
        if (registered.status >= 500 || registered.status === 0) outcome.uncertain.set(email, 'register');
        await backOff(registered, deadline, options.tolerate5xx);
        continue;
      }
      const login = record('login', await request(url, 'POST', '/login-flow/login', { email, password: PASSWORD }));
      await backOff(login, deadline, options.tolerate5xx);
      let refreshToken: string | undefined = login.json?.refresh_token ?? registered.json?.refresh_token;
      let accessToken: string | undefined = login.json?.access_token ?? registered.json?.access_token;
      for (let step = 0; step < options.refreshesPerIteration && refreshToken; step += 1) {
        const refreshed = record('refresh', await request(url, 'POST', '/login-flow/refresh', { refresh_token: refreshToken }));
        refreshToken = refreshed.status === 200 ? refreshed.json.refresh_token : undefined;
        await backOff(refreshed, deadline, options.tolerate5xx);
        if (refreshed.status === 200) accessToken = refreshed.json.access_token;
      }
      // Hand-offs need a verified address (see Harness.markVerified).
      if (options.extraSteps?.length) await harness.markVerified(email).catch(() => undefined);
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

/**
 * A partner (here the in-process simulator, on the same busy cores) that did not answer within the configured
 * budget: the documented 504 `partner_timeout`, a bounded wait like a DynamoDB timeout, not a failure.
 */
export function isPartnerTimeout(result: { status: number; json?: any }): boolean {
  return result.status === 504 && result.json?.error === 'partner_timeout';
}

/** Designed shedding: 503 `temporarily_unavailable` that says when to come back. */
export function isShed(result: { status: number; json?: any; headers?: Headers }): boolean {
  return result.status === 503 && result.json?.error === 'temporarily_unavailable' && Number(result.headers?.get('retry-after')) >= 1;
}

/** A shed request's client waits as told (never past the end of the run), as a well-behaved app does. */
async function backOff(result: { status: number; json?: any; headers?: Headers }, deadline: number, faultInjected = false): Promise<void> {
  if (faultInjected || !isShed(result)) return;
  const waitMs = Math.min(Number(result.headers?.get('retry-after')) * 1000, Math.max(0, deadline - Date.now()));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
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
  const answered = [...outcome.statusCounts.values()].reduce((sum, count) => sum + count, 0);
  const describe = (label: string, counts: Map<string, number>) => {
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    part.note(
      `${label}: ${total} of ${answered} answers (${((100 * total) / Math.max(1, answered)).toFixed(1)}%)` +
        (total ? `: ${[...counts.entries()].map(([step, count]) => `${step} ${count}`).join(', ')}` : ''),
    );
  };
  describe('designed shedding (503 temporarily_unavailable + Retry-After, argon2 queue over its budget)', outcome.shed);
  describe('bounded dependency waits (503 temporarily_unavailable + Retry-After for DynamoDB past its timeout, 504 partner_timeout)', outcome.bounded);
}

export async function loadPart(harness: Harness, options: LoadOptions): Promise<Part> {
  const part = new Part(`Load: ${options.clients} concurrent clients for ${options.seconds} s`);
  const outcome = await runLoad(harness, options);
  // A shed register wrote nothing, a bounded timeout may have: sign in to find out before checking the data.
  await settleUncertain(harness, outcome);
  describeLoad(part, outcome);
  const failures = outcome.serverErrors.map((error) => `${error.step} ${error.status}`);
  part.check(
    outcome.serverErrors.length === 0,
    `no failure: no 500, no undesigned 5xx, no dropped connection (${outcome.serverErrors.length}${failures.length ? `: ${[...new Set(failures)].join(', ')}` : ''})`,
  );
  // Progress, not speed: how many iterations fit in the time depends on the machine (the note above reports it); what
  // must hold is that every step of the journey was answered successfully under the load.
  const steps = ['register', 'login', 'refresh', 'delete'];
  const answered = steps.filter((step) => outcome.latencies.get(step)?.length);
  part.check(
    outcome.iterations >= 1 && answered.length === steps.length,
    `the journey completed under load: ${outcome.iterations} full iterations, every step answered 2xx (${answered.join(', ') || 'none'})`,
  );
  part.absorb(checkInvariants(await harness.scanTable(), outcome.expectedEmails));
  return part;
}
