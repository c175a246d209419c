import { FileHmacKeyRing } from '../../../lambdas/adapters/keys/hmac-key-ring';
import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('POST /login-flow/refresh across a rotation of the refresh-token key', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const refresh = (token: string) => post(stack.url, '/login-flow/refresh', { refresh_token: token });
  /** What `npm run rotate-key -- refresh` does, and the deployed rotation function: a new current key, the old one kept as previous. */
  const rotateKey = () => new FileHmacKeyRing(stack.refreshKeyFile).rotate();

  it('refreshes a token issued before the rotation, and its successor after that', async () => {
    // Prepare
    const issued = (await post(stack.url, '/login-flow/register', registration())).body;
    rotateKey();
    // Act
    const refreshed = await refresh(issued.refresh_token);
    const again = await refresh(refreshed.body.refresh_token);
    // Assess
    expect(refreshed.status).toBe(200);
    expect(again.status).toBe(200);
  });

  it('gives a retry of a refresh answered before the rotation the same successor, without revoking the session', async () => {
    // Prepare: a refresh whose answer the app lost, then the key rotates before it retries.
    const issued = (await post(stack.url, '/login-flow/register', registration())).body;
    const answered = (await refresh(issued.refresh_token)).body;
    rotateKey();
    // Act
    const retried = await refresh(issued.refresh_token);
    // Assess
    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).toBe(answered.refresh_token);
    expect((await refresh(answered.refresh_token)).status).toBe(200);
  });

  it('still treats a rotated token presented after the grace as reuse, whichever key derived its successor', async () => {
    const issued = (await post(stack.url, '/login-flow/register', registration())).body;
    const second = (await refresh(issued.refresh_token)).body;
    rotateKey();
    const third = (await refresh(second.refresh_token)).body;

    const replayed = await refresh(issued.refresh_token);

    expect(replayed.status).toBe(403);
    expect((await refresh(third.refresh_token)).status).toBe(403);
  });
});
