import { decodeJwt } from 'jose';
import { FileKeySource } from '../../../lambdas/adapters/keys/file-key-source';
import { AccessTokens } from '../../../lambdas/core/access-tokens';
import { as, type PortalStack, signUp, startPortalStack } from '../portal/helpers';

// A file of its own: the handlers' per-process singletons (mailer, outbox) belong to the first stack a file starts.
describe('Access tokens that are not access tokens', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack();
  });
  afterAll(() => portal.stop());

  it('refuses a token issued in the future beyond the clock skew', async () => {
    const user = await signUp(portal.stack);
    const sid = decodeJwt(user.accessToken).sid as string;
    const future = new AccessTokens(
      new FileKeySource(portal.stack.signingKeyFile),
      { issuer: portal.stack.url, audience: 'loginbridge', ttlSeconds: 900 },
      { now: () => Date.now() + 120_000 },
    );

    const response = await as(portal.stack, { ...user, accessToken: (await future.issue(user.userId, sid)).token }).get('/portal/team');

    expect(response.status).toBe(401);
  });
});
