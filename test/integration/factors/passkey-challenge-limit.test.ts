import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('Passkey challenges for requests without a session', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PASSKEY_CHALLENGES_PER_ADDRESS: '3' } });
  });
  afterAll(() => stack.stop());

  it('are limited per client address with one conditional write: of a burst of 12, exactly 3 get a challenge', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(stack.url, '/login-flow/passkey/options', {})));

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 403 && answer.body.error === 'too_many_attempts')).toHaveLength(9);
  });
});
