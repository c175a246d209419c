import { codeAt, TOTP_PERIOD_SECONDS } from '../lambdas/core/factors/totp';
import { factorStore } from '../lambdas/runtime';
import { burst, postFrom } from '../test/support/bursts';
import { authenticatorFor, passkeyAnswer, registerPasskey } from '../test/support/passkeys';
import { type Harness, Part, request } from './harness';

/** The settings this part runs with (run.ts passes them to the stack). */
export const FACTOR_BURST_SETTINGS = { OTP_GUESSES_PER_ACCOUNT: '10', OTP_GUESSES_PER_ADDRESS: '1000' };

/**
 * A parallel burst of wrong TOTP codes for one account (step-up, from eight
 * addresses): each guess is counted with one conditional write before any
 * code is checked, so at most OTP_GUESSES_PER_ACCOUNT are evaluated (counted
 * inside the handler: reads of the user's factors), every other answer is 429
 * too_many_attempts (or 503 when the store timed out, which fails closed).
 */
export async function factorBurstPart(harness: Harness, size: number): Promise<Part> {
  const part = new Part(`Second factors: ${size} parallel wrong codes for one account`);
  const url = harness.stack.url;
  let evaluations = 0;
  const list = factorStore().listFactors.bind(factorStore());
  factorStore().listFactors = (userId) => {
    evaluations += 1;
    return list(userId);
  };

  const email = `factor.bursts.${Date.now()}@example.com`;
  const registered = await request(url, 'POST', '/login-flow/register', {
    firstName: 'Fac',
    lastName: 'Tor',
    email,
    password: 'reliability factor passphrase',
    approveTermsOfUse: 'on',
  });
  const auth = { authorization: `Bearer ${registered.json.access_token}` };
  const enrolled = await request(url, 'POST', '/login-flow/factors/totp', {}, auth);
  const code = codeAt(enrolled.json.secret, Date.now());
  const confirmed = await request(url, 'POST', '/login-flow/factors/totp/confirm', { factorId: enrolled.json.factorId, code }, auth);
  if (confirmed.status !== 200) {
    part.check(false, `enrolment for the burst failed: ${confirmed.status} ${confirmed.text}`);
    return part;
  }

  // Wrong codes of the right shape: a step far in the past never matches within the ±1 drift.
  const stale = codeAt(enrolled.json.secret, (Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) - 50) * TOTP_PERIOD_SECONDS * 1000);
  const before = evaluations;
  const started = Date.now();
  const responses = await burst(size, (index) => postFrom(`127.0.14.${(index % 8) + 1}`, `${url}/login-flow/factors/step-up`, { otp: stale }, auth));
  const evaluated = evaluations - before;
  const wrong = responses.filter((response) => response.body.error === 'invalid_otp').length;
  const refused = responses.filter((response) => response.status === 429 && response.body.error === 'too_many_attempts').length;
  const unavailable = responses.filter((response) => response.status === 503).length;
  part.note(
    `${size} wrong codes at once: ${evaluated} evaluated (${wrong} answered invalid_otp), ${refused} refused, ${unavailable} answered 503, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  part.check(
    evaluated === wrong && evaluated <= 10 && evaluated + unavailable >= 10,
    'at most OTP_GUESSES_PER_ACCOUNT (10) codes evaluated (all 10 unless the store timed out)',
  );
  part.check(refused + unavailable === size - wrong, 'every other guess answered 429 too_many_attempts (or 503 if the store timed out)');
  return part;
}

/** The settings of the passkey part: challenges are not the limit under test here. */
export const PASSKEY_BURST_SETTINGS = { ...FACTOR_BURST_SETTINGS, PASSKEY_CHALLENGES_PER_ADDRESS: '100000' };

/**
 * A parallel burst of passkey assertions with a wrong origin at one account
 * (passkey sign-in, from eight addresses), each answering a challenge of its
 * own: the guess is taken with one conditional write before the assertion is
 * checked, so at most OTP_GUESSES_PER_ACCOUNT are evaluated (counted inside
 * the handler: reads of the user's factors after the take); the others are
 * refused too_many_attempts (403 on the Login Flow), or 503 fail-closed.
 */
export async function passkeyBurstPart(harness: Harness, size: number): Promise<Part> {
  const part = new Part(`Passkeys: ${size} parallel forged assertions for one account`);
  const url = harness.stack.url;
  let evaluations = 0;
  const list = factorStore().listFactors.bind(factorStore());
  const registered = await request(url, 'POST', '/login-flow/register', {
    firstName: 'Pass',
    lastName: 'Key',
    email: `passkey.bursts.${Date.now()}@example.com`,
    password: 'reliability passkey passphrase',
    approveTermsOfUse: 'on',
  });
  const authenticator = authenticatorFor(url);
  try {
    await registerPasskey(url, registered.json.access_token, authenticator);
  } catch (error) {
    part.check(false, `passkey registration for the burst failed: ${(error as Error).message}`);
    return part;
  }
  // The challenges one by one (they all count on one address's counter): the burst under test is the assertions.
  const answers: Awaited<ReturnType<typeof passkeyAnswer>>[] = [];
  for (let index = 0; index < size; index += 1) answers.push(await passkeyAnswer(url, authenticator, { origin: `https://forged-${index}.example` }));
  factorStore().listFactors = (userId) => {
    evaluations += 1;
    return list(userId);
  };

  const started = Date.now();
  const responses = await burst(size, (index) => postFrom(`127.0.15.${(index % 8) + 1}`, `${url}/login-flow/passkey/login`, answers[index]));
  const wrong = responses.filter((response) => response.body.error === 'wrong_origin').length;
  const refused = responses.filter((response) => response.status === 403 && response.body.error === 'too_many_attempts').length;
  const unavailable = responses.filter((response) => response.status === 503).length;
  part.note(
    `${size} forged assertions at once: ${evaluations} evaluated (${wrong} answered wrong_origin), ${refused} refused, ${unavailable} answered 503, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  part.check(
    // An evaluation whose later read timed out answers 503, not wrong_origin: hence `<=`.
    wrong <= evaluations && evaluations <= 10 && evaluations + unavailable >= 10,
    'at most OTP_GUESSES_PER_ACCOUNT (10) assertions evaluated (all 10 unless the store timed out)',
  );
  part.check(refused + unavailable === size - wrong, 'every other assertion answered too_many_attempts (or 503 if the store timed out)');
  return part;
}
