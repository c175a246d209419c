import { decodeJwt } from 'jose';
import { AccessTokens } from '../../../lambdas/core/access-tokens';
import { notVerified, type VerifiedSignIn } from '../../../lambdas/core/email-verification';
import { EmailNotVerifiedError } from '../../../lambdas/core/errors';
import { newKeySet } from '../../../lambdas/core/key-set';
import { refreshTokens } from '../../../lambdas/core/refresh';
import type { RotatedSession } from '../../../lambdas/core/sessions';
import { FakeClock } from '../../support/fakes/clock';

const USER = 'u'.repeat(22);
const FAMILY = 'f'.repeat(22);
const TOKEN = `${USER}.${FAMILY}.${'o'.repeat(43)}`;

describe('refreshTokens, the one refresh use case of the Login Flow and the OAuth refresh grant', () => {
  async function setup(options: { gate?: 'verified' | 'unverified'; familyVerified?: boolean } = {}) {
    const clock = new FakeClock();
    const keySet = await newKeySet(new Date(clock.now()));
    const tokens = new AccessTokens(
      { get: async () => keySet, reload: async () => keySet },
      { issuer: 'https://issuer.example', audience: 'api', ttlSeconds: 900 },
      clock,
    );
    const rotations: Array<{ refreshToken: string; clientId?: string }> = [];
    const sessions = {
      rotate: async (refreshToken: string, clientId?: string): Promise<RotatedSession> => {
        rotations.push({ refreshToken, ...(clientId ? { clientId } : {}) });
        return { userId: USER, familyId: FAMILY, refreshToken: `${USER}.${FAMILY}.${'n'.repeat(43)}`, emailVerified: options.familyVerified ?? false };
      },
    };
    const checked: string[] = [];
    const verifiedSignIn: VerifiedSignIn | undefined = options.gate
      ? {
          requireVerified: async (userId) => {
            checked.push(userId);
            if (options.gate === 'unverified') throw notVerified('ada@example.com');
            return { id: userId, email: 'ada@example.com', firstName: 'A', lastName: 'L', approveMarketing: false, createdAt: 'then' };
          },
        }
      : undefined;
    return { deps: { sessions, tokens, verifiedSignIn }, rotations, checked };
  }

  it('rotates the token once and takes the email_verified claim from the family, asking nothing else', async () => {
    const { deps, rotations, checked } = await setup({ familyVerified: true });

    const response = await refreshTokens(deps, TOKEN);

    expect(rotations).toEqual([{ refreshToken: TOKEN }]);
    expect(checked).toEqual([]);
    expect(response.refresh_token).toBe(`${USER}.${FAMILY}.${'n'.repeat(43)}`);
    expect(decodeJwt(response.access_token)).toMatchObject({ sub: USER, sid: FAMILY, email_verified: true });
  });

  it('binds the rotation to the OAuth client it is given', async () => {
    const { deps, rotations } = await setup();

    await refreshTokens(deps, TOKEN, 'tv');

    expect(rotations).toEqual([{ refreshToken: TOKEN, clientId: 'tv' }]);
  });

  it('refuses an unverified address before rotating, so the token stays usable once the address is confirmed', async () => {
    const { deps, rotations, checked } = await setup({ gate: 'unverified' });

    await expect(refreshTokens(deps, TOKEN)).rejects.toBeInstanceOf(EmailNotVerifiedError);

    expect(checked).toEqual([USER]);
    expect(rotations).toEqual([]);
  });

  it('says email_verified once the gate has proven the address, whatever the family still records', async () => {
    const { deps } = await setup({ gate: 'verified', familyVerified: false });

    const response = await refreshTokens(deps, TOKEN);

    expect(decodeJwt(response.access_token)).toMatchObject({ email_verified: true });
  });
});
