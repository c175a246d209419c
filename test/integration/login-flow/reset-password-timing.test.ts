import { post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/**
 * The reset request answers no sooner than its floor for a known and for an unknown email alike, so the work done
 * only for a known one (the token write, the email) stays hidden under it. Checked as a lower bound, which a busy
 * machine cannot break; the medians of both are compared, as a ratio within one run, by the reliability suite.
 */
describe('POST /login-flow/reset-password timing', () => {
  const FLOOR_MS = 400;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { RESET_RESPONSE_FLOOR_MS: String(FLOOR_MS), RESET_EMAILS_PER_HOUR: '100' } });
  });
  afterAll(() => stack.stop());

  it('answers a known and an unknown email no sooner than the response floor, with the same answer', async () => {
    // Prepare
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await post(stack.url, '/login-flow/reset-password', { email });
      return { status: response.status, body: response.body, ms: performance.now() - started };
    };
    // Act
    const answers: { known: Awaited<ReturnType<typeof timed>>; unknown: Awaited<ReturnType<typeof timed>> }[] = [];
    for (let index = 0; index < 3; index += 1) answers.push({ known: await timed(String(user.email)), unknown: await timed(uniqueEmail('ghost')) });
    // Assess
    for (const { known, unknown } of answers) {
      expect(known.ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
      expect(unknown.ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: known.status, body: known.body });
    }
    expect(stack.outbox().filter((sent) => sent.to === user.email)).toHaveLength(4);
  });
});
