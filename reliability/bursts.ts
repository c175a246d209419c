import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceGrantStore, hasher } from '../lambdas/runtime';
import { type BurstResponse, burst, postFrom } from '../test/support/bursts';
import { clearOfWindowEdge } from '../test/support/windows';
import { type Harness, Part, request } from './harness';

/** The settings this part runs with (run.ts passes them to the stack). */
export const BURST_SETTINGS = {
  LOGIN_BACKOFF_FREE_FAILURES: '5',
  LOGIN_IP_MAX_FAILURES: '100',
  ACTIVATE_MAX_FAILURES: '10',
  RESET_EMAILS_PER_HOUR: '5',
  // The mail limits decide for verification emails and invitations (the resend endpoint's own limit out of the way).
  VERIFICATION_EMAILS_PER_HOUR: '1000000',
  MAIL_PER_RECIPIENT_PER_WINDOW: '5',
  MAIL_PER_SENDER_PER_WINDOW: '10',
};
const MAILS_PER_RECIPIENT = 5;
const MAILS_PER_SENDER = 10;

const timed = async <T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> => {
  const started = Date.now();
  const result = await run();
  return { result, seconds: (Date.now() - started) / 1000 };
};
/** Past the free failures the account may try again after 1 s, 2 s, 4 s...: a burst lasting `seconds` may see that many more checks. */
const backoffSlack = (seconds: number) => Math.floor(Math.log2(seconds + 1)) + 1;
const signInEvaluated = (responses: BurstResponse[]) =>
  responses.filter((response) => response.status === 200 || response.body.error === 'invalid_credentials').length;
/**
 * Everything not checked was refused, or (on an overloaded machine) answered 503 when DynamoDB Local timed out: a 503
 * after the take keeps its unit, so the limit fails closed.
 */
const unavailable = (responses: BurstResponse[]) => responses.filter((response) => response.status === 503).length;
const refusedAll = (responses: BurstResponse[], evaluated: number) =>
  responses.filter((response) => response.body.error === 'too_many_attempts').length + unavailable(responses) === responses.length - evaluated;

/**
 * Parallel bursts against every limit, each from a client address of its own
 * (loopback aliases): the limit is taken before the work, so a burst runs at
 * most the limit's worth of argon2 checks, code lookups or emails, and every
 * other request gets the documented refusal. The work is counted inside the
 * handlers (argon2 verifications, device-grant reads, outbox files).
 */
export async function burstsPart(harness: Harness, size: number): Promise<Part> {
  const part = new Part(`Bursts: ${size} parallel requests per limit`);
  const url = harness.stack.url;
  // The address and email limits count in fixed windows (15 min, 1 h): a burst straddling a window's end would be
  // counted twice. An hour's end is also a 15-minute window's end, so one wait covers both.
  await clearOfWindowEdge(3600, 90);
  let verifications = 0;
  const verify = hasher().verify.bind(hasher());
  hasher().verify = (hash, password) => ((verifications += 1), verify(hash, password));
  let lookups = 0;
  const get = deviceGrantStore().get.bind(deviceGrantStore());
  deviceGrantStore().get = (userCode) => ((lookups += 1), get(userCode));
  const count = async <T>(run: () => Promise<T>) => {
    const before = { verifications, lookups };
    const { result, seconds } = await timed(run);
    return { result, seconds, verified: verifications - before.verifications, looked: lookups - before.lookups };
  };

  const email = `bursts.${Date.now()}@example.com`;
  const password = 'reliability bursts passphrase';
  await request(url, 'POST', '/login-flow/register', { firstName: 'Bur', lastName: 'St', email, password, approveTermsOfUse: 'on' });

  const account = await count(() =>
    burst(size, (index) => postFrom(`127.0.10.${(index % 8) + 1}`, `${url}/login-flow/login`, { email, password: `wrong ${index}` })),
  );
  const accountEvaluated = signInEvaluated(account.result);
  part.note(
    `${size} wrong passwords for one account at once: ${accountEvaluated} checked (${account.verified} argon2 verifications), ${unavailable(account.result)} answered 503, in ${account.seconds.toFixed(1)} s`,
  );
  part.check(
    account.verified === accountEvaluated && accountEvaluated <= 5 + backoffSlack(account.seconds),
    'per-account back-off: at most 5 checks (plus one per hold that ended during the burst)',
  );
  part.check(
    refusedAll(account.result, accountEvaluated),
    'per-account back-off: every other attempt answered 403 too_many_attempts (or 503 if the store timed out)',
  );

  const spray = await count(() =>
    burst(size + 50, (index) =>
      postFrom('127.0.11.1', `${url}/login-flow/login`, { email: `ghost.${index}.${Date.now()}@example.com`, password: 'Spring2024!' }),
    ),
  );
  const sprayEvaluated = signInEvaluated(spray.result);
  const answers = new Map<string, number>();
  for (const response of spray.result)
    answers.set(`${response.status} ${response.body.error}`, (answers.get(`${response.status} ${response.body.error}`) ?? 0) + 1);
  part.note(
    `${size + 50} failed sign-ins from one address at once: ${sprayEvaluated} checked (${spray.verified} argon2 verifications); answers ${JSON.stringify(Object.fromEntries(answers))}`,
  );
  part.check(
    spray.verified === sprayEvaluated && sprayEvaluated <= 100 && sprayEvaluated + unavailable(spray.result) >= Math.min(100, size + 50),
    'per-address window: at most the 100 allowed were checked (all 100 unless the store timed out)',
  );
  part.check(
    refusedAll(spray.result, sprayEvaluated),
    'per-address window: every other attempt answered 403 too_many_attempts (or 503 if the store timed out)',
  );

  const codes = await count(() =>
    burst(size, (index) => postFrom('127.0.12.1', `${url}/activate/lookup`, { user_code: `BCDF${String(index).padStart(4, 'G').replace(/\d/g, 'H')}` })),
  );
  const codesLooked = codes.result.filter((response) => response.body.error === 'unknown_code').length;
  part.note(`${size} wrong TV codes at once: ${codesLooked} looked up (${codes.looked} grant reads)`);
  // A store timeout (503) fails closed: the unit stays taken, so fewer than 10 may be looked up, never more.
  part.check(
    codes.looked === codesLooked && codesLooked <= 10 && codesLooked + unavailable(codes.result) >= 10,
    '/activate/lookup: at most 10 codes looked up (all 10 unless the store timed out)',
  );
  part.check(
    codes.result.filter((response) => response.status === 429).length + unavailable(codes.result) === size - codesLooked,
    '/activate/lookup: every other code answered 429 (or 503 if the store timed out)',
  );

  const outbox = () => (existsSync(harness.stack.outboxDir) ? readdirSync(harness.stack.outboxDir).filter((name) => name.endsWith('.json')).length : 0);
  const before = outbox();
  const resets = await burst(size, (index) => postFrom(`127.0.13.${(index % 8) + 1}`, `${url}/login-flow/reset-password`, { email }));
  part.note(`${size} reset requests for one address at once: ${outbox() - before} emails sent`);
  const sent = outbox() - before;
  part.check(
    resets.every((response) => response.status === 200 || response.status === 503) && sent <= 5 && sent + unavailable(resets) >= 5,
    'reset emails: every request answered 200 (or 503 if the store timed out), at most 5 emails sent (all 5 unless the store timed out)',
  );

  await mailLimitBursts(part, harness, size);
  return part;
}

/**
 * The mail limits under bursts: verification resends for one address (then
 * the account deleted and registered again, which must not reset the count),
 * and invitations from one sender to as many addresses. What counts is what
 * reached the outbox.
 */
async function mailLimitBursts(part: Part, harness: Harness, size: number): Promise<void> {
  const url = harness.stack.url;
  const mails = (): { to: string; subject: string }[] =>
    existsSync(harness.stack.outboxDir)
      ? readdirSync(harness.stack.outboxDir)
          .filter((name) => name.endsWith('.json'))
          .map((name) => JSON.parse(readFileSync(join(harness.stack.outboxDir, name), 'utf8')))
      : [];
  const verificationsTo = (email: string) => mails().filter((mail) => mail.to === email && mail.subject === 'Confirm your email address').length;

  const looped = `bursts.mail.${Date.now()}@example.com`;
  const account = { firstName: 'Mail', lastName: 'Burst', email: looped, password: 'reliability bursts passphrase', approveTermsOfUse: 'on' };
  const registered = await request(url, 'POST', '/login-flow/register', account);
  const resends = await burst(size, (index) => postFrom(`127.0.14.${(index % 8) + 1}`, `${url}/verify-email/resend`, { email: looped }));
  const afterBurst = verificationsTo(looped);
  part.note(`registration and ${size} verification resends for one address at once: ${afterBurst} emails sent`);
  part.check(
    resends.every((response) => response.status === 200 || response.status === 503) &&
      afterBurst <= MAILS_PER_RECIPIENT &&
      afterBurst + unavailable(resends) >= MAILS_PER_RECIPIENT,
    `verification emails: at most ${MAILS_PER_RECIPIENT} to one address (all ${MAILS_PER_RECIPIENT} unless the store timed out), every request answered 200`,
  );
  const deleted = await request(url, 'POST', '/login-flow/delete-account', undefined, { authorization: `Bearer ${registered.json?.access_token}` });
  const again = await request(url, 'POST', '/login-flow/register', account);
  await burst(10, (index) => postFrom(`127.0.14.${(index % 8) + 1}`, `${url}/verify-email/resend`, { email: looped }));
  const afterLoop = verificationsTo(looped);
  part.note(`account deleted (${deleted.status}), registered again (${again.status}) and 10 more resends: ${afterLoop - afterBurst} more emails`);
  part.check(
    deleted.status === 200 && again.status === 200 && afterLoop === afterBurst,
    'verification emails: the limit survives deleting the account and registering the address again',
  );

  const sender = `bursts.sender.${Date.now()}@example.com`;
  const signedUp = await request(url, 'POST', '/login-flow/register', { ...account, email: sender });
  await harness.markVerified(sender);
  const before = mails().length;
  const invitations = await burst(size, (index) =>
    postFrom(
      '127.0.15.1',
      `${url}/portal/team/invitations`,
      { email: `bursts.invited.${index}.${Date.now()}@example.com` },
      { authorization: `Bearer ${signedUp.json?.access_token}` },
    ),
  );
  const invited = mails().length - before;
  const created = invitations.filter((response) => response.status === 201).length;
  const refused = invitations.filter((response) => response.status === 429).length;
  part.note(`${size} invitations from one sender to ${size} addresses at once: ${created} created, ${refused} refused (429), ${invited} emails sent`);
  part.check(
    invited <= MAILS_PER_SENDER && created === invited && created + refused + unavailable(invitations) === size,
    `invitation emails: at most ${MAILS_PER_SENDER} from one sender, each refused invitation answered 429 (or 503 if the store timed out)`,
  );
}
