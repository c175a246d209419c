import { AccessTokens } from '../../../lambdas/core/access-tokens';
import { UnauthenticatedError } from '../../../lambdas/core/errors';
import { newKeySet } from '../../../lambdas/core/key-set';
import type { SessionStanding, UserProfile } from '../../../lambdas/core/ports';
import { SessionCheck } from '../../../lambdas/core/session-check';
import { FakeClock } from '../../support/fakes/clock';

const USER = 'u'.repeat(22);
const FAMILY = 'f'.repeat(22);
const PROFILE: UserProfile = {
  id: USER,
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'L',
  approveMarketing: false,
  createdAt: 'then',
  emailVerifiedAt: '2026-12-01T10:00:00Z',
};

describe('SessionCheck.verify', () => {
  async function setup(standing: SessionStanding) {
    const clock = new FakeClock();
    const keySet = await newKeySet(new Date(clock.now()));
    const tokens = new AccessTokens(
      { get: async () => keySet, reload: async () => keySet },
      { issuer: 'https://issuer.example', audience: 'api', ttlSeconds: 900 },
      clock,
    );
    const reads: string[] = [];
    const check = new SessionCheck({
      tokens,
      accounts: {
        sessionStanding: async (userId, familyId) => {
          reads.push(`${userId}/${familyId}`);
          return standing;
        },
      },
    });
    const { token } = await tokens.issue(USER, FAMILY, {});
    return { check, token, reads };
  }

  it('hands back what it read, the claims, the session and the profile, so callers do not read them again', async () => {
    const { check, token, reads } = await setup({ sessionExists: true, profileExists: true, profile: PROFILE, amr: ['pwd', 'otp'], factorUsedAt: 1 });

    const checked = await check.verify(token);

    expect(reads).toEqual([`${USER}/${FAMILY}`]);
    expect(checked).toMatchObject({ sub: USER, sid: FAMILY, session: { amr: ['pwd', 'otp'], factorUsedAt: 1 }, profile: PROFILE });
  });

  it('refuses a token whose session has ended, whatever the profile', async () => {
    const { check, token } = await setup({ sessionExists: false, profileExists: true, profile: PROFILE });

    await expect(check.verify(token)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("lets a deleted account's token through only when asked, without a profile", async () => {
    const { check, token } = await setup({ sessionExists: false, profileExists: false });

    await expect(check.verify(token)).rejects.toBeInstanceOf(UnauthenticatedError);
    const checked = await check.verify(token, { acceptDeletedAccount: true });
    expect(checked.profile).toBeUndefined();
  });
});
