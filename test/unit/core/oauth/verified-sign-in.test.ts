import { decodeJwt } from 'jose';
import { AccessTokens } from '../../../../lambdas/core/access-tokens';
import { notVerified, type VerifiedSignIn } from '../../../../lambdas/core/email-verification';
import { EmailNotVerifiedError, OAuthError, UnauthenticatedError } from '../../../../lambdas/core/errors';
import { newKeySet } from '../../../../lambdas/core/key-set';
import { Activation } from '../../../../lambdas/core/oauth/activation';
import { AuthorizationServer, REFRESH_TOKEN_GRANT } from '../../../../lambdas/core/oauth/authorization-server';
import { ClientRegistry } from '../../../../lambdas/core/oauth/clients';
import { DeviceFlow } from '../../../../lambdas/core/oauth/device-flow';
import type { PasswordCheck } from '../../../../lambdas/core/password-check';
import type { SessionStore, UserProfile } from '../../../../lambdas/core/ports';
import type { SessionCheck } from '../../../../lambdas/core/session-check';
import { type RotatedSession, Sessions } from '../../../../lambdas/core/sessions';
import { FakeClock } from '../../../support/fakes/clock';
import { InMemoryDeviceGrants } from '../../../support/fakes/device-grants';
import { partialPort } from '../../../support/fakes/ports';
import { InMemoryThrottleStore } from '../../../support/fakes/throttle-store';

const VERIFIED = 'v'.repeat(22);
const UNVERIFIED = 'u'.repeat(22);
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * LOGIN_REQUIRES_VERIFIED_EMAIL outside the Login Flow: approving a TV code,
 * redeeming the device code and the OAuth refresh grant. The setting is the
 * presence of `verifiedSignIn`; without it the profile store must not be asked
 * anything new (the ports fail the test on any unexpected call).
 */
describe('Sign-ins outside the Login Flow with LOGIN_REQUIRES_VERIFIED_EMAIL', () => {
  async function setup(options: { requireVerified: boolean }) {
    const clock = new FakeClock();
    const profiles = new Map<string, UserProfile>();
    const profile = (id: string, verified: boolean): UserProfile => ({
      id,
      email: `${id.slice(0, 4)}@example.com`,
      firstName: 'Ada',
      lastName: 'L',
      approveMarketing: false,
      createdAt: 'then',
      ...(verified ? { emailVerifiedAt: new Date(clock.now()).toISOString() } : {}),
    });
    profiles.set(VERIFIED, profile(VERIFIED, true));
    profiles.set(UNVERIFIED, profile(UNVERIFIED, false));
    const checked: string[] = [];
    const gate: VerifiedSignIn = {
      requireVerified: async (userId) => {
        checked.push(userId);
        const found = profiles.get(userId);
        if (!found) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
        if (!found.emailVerifiedAt) throw notVerified(found.email);
        return found;
      },
    };
    const keySet = await newKeySet(new Date(clock.now()));
    const tokens = new AccessTokens(
      { get: async () => keySet, reload: async () => keySet },
      { issuer: 'https://issuer.example', audience: 'api', ttlSeconds: 900 },
      clock,
    );
    const profileReads: string[] = [];
    const accounts = partialPort<SessionStore & { getProfile: (userId: string) => Promise<UserProfile | undefined> }>('AccountPorts', {
      getProfile: async (userId) => {
        profileReads.push(userId);
        return profiles.get(userId);
      },
    });
    const rotations: string[] = [];
    const sessions = new Sessions(accounts, { absoluteTtlSeconds: 86400, idleTtlSeconds: 3600 }, clock);
    // Rotation itself is Sessions' business (and tested there): here it only records that it ran.
    sessions.rotate = async (refreshToken: string): Promise<RotatedSession> => {
      rotations.push(refreshToken);
      const [userId, familyId] = refreshToken.split('.');
      return { userId, familyId, refreshToken: `${userId}.${familyId}.${'n'.repeat(43)}`, emailVerified: false };
    };
    const grants = new InMemoryDeviceGrants();
    const clients = ClientRegistry.parse('tv=Living room TV');
    const verifiedSignIn = options.requireVerified ? gate : undefined;
    const devices = new DeviceFlow(
      { store: grants, clients, sessions, tokens, clock, profiles: accounts, verifiedSignIn },
      { codeTtlSeconds: 600, pollIntervalSeconds: 5, verificationUri: 'https://login.example/activate' },
    );
    const server = new AuthorizationServer(
      { devices, sessions, tokens, accounts, verifiedSignIn },
      { issuer: 'https://issuer.example', baseUrl: 'https://login.example' },
    );
    const activation = new Activation(
      {
        devices,
        clients,
        throttles: new InMemoryThrottleStore(),
        signIn: partialPort<PasswordCheck>('PasswordCheck', {
          verify: async (email: string) =>
            ({ userId: [...profiles.values()].find((found) => found.email === email)?.id ?? 'nobody' }) as Awaited<ReturnType<PasswordCheck['verify']>>,
        }),
        sessions: partialPort<SessionCheck>('SessionCheck', {}),
        clock,
        verifiedSignIn,
      },
      { maxFailures: 10, windowSeconds: 600 },
    );
    return { clock, profiles, checked, profileReads, rotations, grants, devices, server, activation };
  }

  type Harness = Awaited<ReturnType<typeof setup>>;
  const emailOf = (harness: Harness, userId: string) => harness.profiles.get(userId)!.email;
  const approve = (harness: Harness, userCode: string, userId: string) =>
    harness.activation.decide({ userCode, decision: 'approve', approver: { email: emailOf(harness, userId), password: 'pw' }, clientIp: '192.0.2.1' });
  const refreshToken = (userId: string) => `${userId}.${'f'.repeat(22)}.${'s'.repeat(43)}`;

  async function refusal(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a refusal');
  }

  describe('with the setting on', () => {
    it('refuses an unverified approver on /activate and leaves the code pending for after the click', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });
      const device = await harness.devices.authorize('tv');

      // Act
      const error = await refusal(approve(harness, device.user_code.replace('-', ''), UNVERIFIED));

      // Assess
      expect(error).toBeInstanceOf(EmailNotVerifiedError);
      expect((error as Error).message).toMatch(/confirm your email address/);
      expect(harness.grants.grants.get(device.user_code.replace('-', ''))?.status).toBe('pending');
    });

    it('lets a verified approver connect the TV, and the redemption carries email_verified true', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });
      const device = await harness.devices.authorize('tv');
      await approve(harness, device.user_code.replace('-', ''), VERIFIED);
      harness.clock.advanceSeconds(5);

      // Act
      const tokens = await harness.server.token({ grant_type: DEVICE_GRANT, client_id: 'tv', device_code: device.device_code });

      // Assess
      expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: VERIFIED, email_verified: true });
      expect(harness.checked).toEqual([VERIFIED, VERIFIED]);
      // The check replaced the redemption's profile read rather than adding one.
      expect(harness.profileReads).toEqual([]);
    });

    it('answers access_denied to a device whose approver is no longer verified, without spending the grant', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });
      const device = await harness.devices.authorize('tv');
      const userCode = device.user_code.replace('-', '');
      await approve(harness, userCode, VERIFIED);
      harness.profiles.set(VERIFIED, { ...harness.profiles.get(VERIFIED)!, emailVerifiedAt: undefined });
      harness.clock.advanceSeconds(5);

      // Act
      const error = await refusal(harness.server.token({ grant_type: DEVICE_GRANT, client_id: 'tv', device_code: device.device_code }));

      // Assess
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).code).toBe('access_denied');
      expect((error as OAuthError).message).toMatch(/^Email address not confirmed\. /);
      expect(harness.grants.grants.get(userCode)?.status).toBe('approved');
      expect(harness.grants.sessions).toEqual([]);
    });

    it('refuses the refresh grant of an unverified address with invalid_grant before rotating the token', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });

      // Act
      const error = await refusal(harness.server.token({ grant_type: REFRESH_TOKEN_GRANT, refresh_token: refreshToken(UNVERIFIED) }));

      // Assess
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).code).toBe('invalid_grant');
      expect((error as OAuthError).message).toMatch(/^Email address not confirmed\. Please confirm your email address first/);
      expect(harness.rotations).toEqual([]);
    });

    it('rotates the refresh token of a verified address and says so in the claim', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });

      // Act
      const tokens = await harness.server.token({ grant_type: REFRESH_TOKEN_GRANT, refresh_token: refreshToken(VERIFIED) });

      // Assess
      expect(harness.rotations).toEqual([refreshToken(VERIFIED)]);
      expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: VERIFIED, email_verified: true });
    });

    it('answers invalid_grant, not invalid_client, to a refresh token of an account that is gone', async () => {
      // Prepare
      const harness = await setup({ requireVerified: true });

      // Act
      const error = await refusal(harness.server.token({ grant_type: REFRESH_TOKEN_GRANT, refresh_token: refreshToken('g'.repeat(22)) }));

      // Assess
      expect((error as OAuthError).code).toBe('invalid_grant');
      expect(harness.rotations).toEqual([]);
    });
  });

  describe('with the setting off', () => {
    it('lets an unverified address approve, redeem and refresh, reading no more than before', async () => {
      // Prepare
      const harness = await setup({ requireVerified: false });
      const device = await harness.devices.authorize('tv');

      // Act
      await approve(harness, device.user_code.replace('-', ''), UNVERIFIED);
      harness.clock.advanceSeconds(5);
      const redeemed = await harness.server.token({ grant_type: DEVICE_GRANT, client_id: 'tv', device_code: device.device_code });
      const readsAfterRedemption = [...harness.profileReads];
      const refreshed = await harness.server.token({ grant_type: REFRESH_TOKEN_GRANT, refresh_token: refreshToken(UNVERIFIED) });

      // Assess
      expect(decodeJwt(redeemed.access_token)).toMatchObject({ sub: UNVERIFIED, email_verified: false });
      expect(decodeJwt(refreshed.access_token)).toMatchObject({ sub: UNVERIFIED, email_verified: false });
      expect(harness.checked).toEqual([]);
      // The redemption's one profile read for the claim, as before; the approval and the refresh read none.
      expect(readsAfterRedemption).toEqual([UNVERIFIED]);
      expect(harness.profileReads).toEqual([UNVERIFIED]);
    });
  });
});
