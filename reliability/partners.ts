import { type Harness, median, Part, request } from './harness';

/** The base URL of a partner simulator the local stack started. */
export function simulatorUrl(harness: Harness, name: string): string {
  const partner = harness.stack.partners.find((candidate) => candidate.name === name);
  const url = partner && Object.entries(partner.env).find(([key]) => key.endsWith('_BASE_URL'))?.[1];
  if (!url) throw new Error(`no ${name} simulator is running`);
  return url;
}

async function fault(baseUrl: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}/__simulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator refused the fault: ${response.status}`);
}

async function clearFaults(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/__simulator/faults`, { method: 'DELETE' });
}

/** A signed-in user's Astrato hand-off, as one step of the load. */
export const astratoHandOff = {
  name: 'sso/astrato',
  run: (url: string, accessToken: string) => request(url, 'POST', '/sso/astrato', {}, { authorization: `Bearer ${accessToken}` }),
};

/**
 * Partner simulators slowed past the timeout, then failing: hand-offs answer
 * 504 / 502 within the configured time, while other routes keep their latency.
 */
export async function partnerFaultsPart(harness: Harness, timeoutMs: number): Promise<Part> {
  const part = new Part(`Faults: partners slowed past the ${timeoutMs} ms timeout, then failing`);
  const url = harness.stack.url;
  const astrato = simulatorUrl(harness, 'astrato');
  const password = 'reliability partner passphrase';
  const users: { access_token: string; refresh_token: string }[] = [];
  for (let index = 0; index < 8; index += 1) {
    const email = `partner.${index}.${Date.now()}@example.com`;
    const response = await request(url, 'POST', '/login-flow/register', { firstName: 'Par', lastName: 'Tner', email, password, approveTermsOfUse: 'on' });
    // Hand-offs need a verified address.
    await harness.markVerified(email);
    users.push(response.json as { access_token: string; refresh_token: string });
  }
  const handOff = (index: number) => request(url, 'POST', '/sso/astrato', {}, { authorization: `Bearer ${users[index % users.length].access_token}` });
  const refreshTokens = users.map((user) => user.refresh_token);
  const refreshRound = async () => {
    const times: number[] = [];
    for (let index = 0; index < refreshTokens.length; index += 1) {
      const response = await request(url, 'POST', '/login-flow/refresh', { refresh_token: refreshTokens[index] });
      if (response.status === 200) refreshTokens[index] = response.json.refresh_token;
      times.push(response.ms);
    }
    return times;
  };

  const healthy = await handOff(0);
  part.check(healthy.status === 200, `a hand-off works while the partner is healthy (${healthy.status})`);
  const baseline = [...(await refreshRound()), ...(await refreshRound())];

  // Slow: every call waits well past our timeout.
  const partnerDelayMs = timeoutMs * 10;
  await fault(astrato, { kind: 'slow', delayMs: partnerDelayMs, times: 1000, path: '/oem/setup' });
  const slowRefreshes: number[] = [];
  const [slowAnswers] = await Promise.all([
    Promise.all(Array.from({ length: 8 }, (_, index) => handOff(index))),
    (async () => {
      slowRefreshes.push(...(await refreshRound()), ...(await refreshRound()));
    })(),
  ]);
  await clearFaults(astrato);
  const slowStatuses = slowAnswers.map((answer) => answer.status);
  const slowest = Math.max(...slowAnswers.map((answer) => answer.ms));
  part.note(`slow partner: hand-off answers ${slowStatuses.join(', ')}, slowest ${slowest.toFixed(0)} ms`);
  part.check(
    slowStatuses.every((status) => status === 504),
    'every hand-off to a slow partner answered 504',
  );
  // Bounded by what it means, not by how fast this machine is: a hand-off that waited for the partner would take
  // its whole delay (10 timeouts); one that gave up takes a token call and a setup call, about 2 timeouts.
  part.check(
    slowest < partnerDelayMs / 2,
    `answered without waiting for the partner (slowest ${slowest.toFixed(0)} ms; the partner answers after ${partnerDelayMs} ms)`,
  );
  part.note(`refresh p50 while healthy ${median(baseline).toFixed(1)} ms, while the partner was slow ${median(slowRefreshes).toFixed(1)} ms`);
  // A refresh queued behind a hung hand-off would wait at least a timeout; the margin is half of one.
  part.check(
    median(slowRefreshes) < median(baseline) + timeoutMs / 2,
    `other routes kept their latency while the partner was slow (bound: healthy median + ${timeoutMs / 2} ms)`,
  );

  // Failing: 5xx on every call.
  await fault(astrato, { kind: 'server-error', status: 503, times: 1000, path: '/oem/setup' });
  const failing = await Promise.all(Array.from({ length: 8 }, (_, index) => handOff(index)));
  await clearFaults(astrato);
  const failingStatuses = failing.map((answer) => answer.status);
  part.note(`failing partner: hand-off answers ${failingStatuses.join(', ')}, slowest ${Math.max(...failing.map((answer) => answer.ms)).toFixed(0)} ms`);
  part.check(
    failingStatuses.every((status) => status === 502 || status === 503),
    'every hand-off to a failing partner answered 502 or 503, never 500',
  );
  part.check(
    failing.every((answer) => typeof answer.json?.correlationId === 'string' && !/clientSecret|secret/i.test(answer.text)),
    'failures carry a correlation id and no secret',
  );

  const recovered = await handOff(1);
  part.check(recovered.status === 200, `hand-offs work again once the partner recovers (${recovered.status})`);
  return part;
}
