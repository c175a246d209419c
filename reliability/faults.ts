import { checkInvariants, type Harness, median, Part, request } from './harness';
import { describeLoad, runLoad, settleUncertain } from './load';

/** DynamoDB Local killed in the middle of the load and restarted: fast 503s during the outage, invariants after. */
export async function dynamoOutagePart(
  harness: Harness,
  options: { clients: number; seconds: number; outageAfterSeconds: number; outageSeconds: number },
): Promise<Part> {
  const part = new Part(`Faults: DynamoDB killed after ${options.outageAfterSeconds} s of load for ${options.outageSeconds} s, then restarted`);
  let outageStart = 0;
  let restartBegan = 0;
  let outageEnd = 0;
  const outcome = await runLoad(harness, {
    clients: options.clients,
    seconds: options.seconds,
    refreshesPerIteration: 2,
    tolerate5xx: true,
    midRun: {
      afterSeconds: options.outageAfterSeconds,
      action: async () => {
        outageStart = Date.now();
        await harness.killDynamo();
        await new Promise((resolve) => setTimeout(resolve, options.outageSeconds * 1000));
        restartBegan = Date.now();
        await harness.restartDynamo();
        outageEnd = Date.now();
      },
    },
  });
  describeLoad(part, outcome);
  const errors = outcome.serverErrors;
  const unexpected = errors.filter((error) => error.status !== 503);
  part.note(`${errors.length} answers of 5xx during the outage window of ${((outageEnd - outageStart) / 1000).toFixed(1)} s`);
  part.check(errors.length > 0, `the outage was noticed: requests got 503 (${errors.length})`);
  part.check(
    unexpected.length === 0,
    `every failure during the outage was a clean 503, never a 500 or a dropped connection (${unexpected.length} others: ${[...new Set(unexpected.map((error) => error.status))].join(', ')})`,
  );
  // Requests sent while DynamoDB was down (not those already waiting when it died, nor those meeting a JVM still starting).
  const startedAt = outcome.startedAt;
  const duringOutage = errors.filter((error) => startedAt + error.at - error.ms >= outageStart + 250 && startedAt + error.at <= restartBegan);
  const p50 = median(duringOutage.map((error) => error.ms));
  part.note(`${duringOutage.length} requests were sent and answered while DynamoDB was down`);
  // "Fast" by what it means, not by this machine's speed: a refused connection answers at once, a client without
  // bounds would hang; the bound is the local stack's DynamoDB connect timeout (see local/stack.ts), which a hung
  // connection would reach and a refused one never does.
  const boundMs = Number(process.env.DYNAMODB_CONNECT_TIMEOUT_MS ?? 2000);
  part.check(
    duringOutage.length > 0 && p50 < boundMs,
    `requests sent during the outage got their 503 fast (median ${p50.toFixed(0)} ms, bound ${boundMs} ms: the connect timeout)`,
  );

  // After recovery the service answers normally again.
  const probeEmail = `after.${Date.now()}@example.com`;
  const probe = await request(harness.stack.url, 'POST', '/login-flow/register', {
    firstName: 'After',
    lastName: 'Outage',
    email: probeEmail,
    password: 'reliability run passphrase',
    approveTermsOfUse: 'on',
  });
  part.check(probe.status === 200, `registration works again after DynamoDB is back (status ${probe.status})`);
  if (probe.status === 200) outcome.expectedEmails.add(probeEmail);
  await settleUncertain(harness, outcome);
  part.note(`${outcome.uncertain.size} requests with an uncertain outcome were settled by signing in afterwards`);
  const items = await harness.scanTable();
  const emails = new Set(outcome.expectedEmails);
  part.absorb(checkInvariants(items, emails));
  return part;
}
