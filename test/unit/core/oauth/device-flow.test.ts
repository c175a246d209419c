import { decodeJwt } from 'jose';
import { DynamoDeviceGrantStore } from '../../../../lambdas/adapters/dynamo/device-store';
import { AccessTokens } from '../../../../lambdas/core/access-tokens';
import { OAuthError, UnauthenticatedError } from '../../../../lambdas/core/errors';
import { newKeySet } from '../../../../lambdas/core/key-set';
import { ClientRegistry } from '../../../../lambdas/core/oauth/clients';
import { DeviceFlow, pollTolerance } from '../../../../lambdas/core/oauth/device-flow';
import type { UserProfile } from '../../../../lambdas/core/ports';
import { Sessions } from '../../../../lambdas/core/sessions';
import { type AccountStores, accountStores } from '../../../support/account-stores';
import { freshTable } from '../../../support/dynamo';

/** The OAuth error code a poll ends with ("tokens" when it succeeds). */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'tokens';
  } catch (error) {
    if (error instanceof OAuthError) return error.code;
    throw error;
  }
}

describe('DeviceFlow', () => {
  let accounts: AccountStores;
  let flow: DeviceFlow;
  let now: number;
  const clock = { now: () => now };

  beforeAll(async () => {
    const { db, tableName } = await freshTable();
    accounts = accountStores(db, tableName);
    const keySet = await newKeySet(new Date());
    const keys = { get: async () => keySet, reload: async () => keySet };
    flow = new DeviceFlow(
      {
        store: new DynamoDeviceGrantStore(db, tableName),
        clients: ClientRegistry.parse('tv=Living room TV,stick'),
        sessions: new Sessions(accounts.sessions, { absoluteTtlSeconds: 86400, idleTtlSeconds: 3600 }, clock),
        tokens: new AccessTokens(keys, { issuer: 'https://issuer.example', audience: 'loginbridge', ttlSeconds: 900 }, clock),
        clock,
      },
      { codeTtlSeconds: 600, pollIntervalSeconds: 5, verificationUri: 'https://login.example/activate' },
    );
  });
  beforeEach(() => {
    now = Date.now();
  });

  async function newUser(): Promise<string> {
    const userId = `user${Math.random().toString(36).slice(2)}aaaaaaaaaaaaaa`;
    const profile: UserProfile = { id: userId, email: `${userId}@example.com`, firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: 'now' };
    const sessions = new Sessions(accounts.sessions, { absoluteTtlSeconds: 86400, idleTtlSeconds: 3600 }, clock);
    await accounts.credentials.createAccount({ email: profile.email, userId, passwordHash: 'x' }, profile, sessions.newFamily(userId).family);
    return userId;
  }

  const canonical = (userCode: string) => userCode.replace('-', '');

  it('hands out codes for registered clients only', async () => {
    const started = await flow.authorize('tv');

    expect(started).toMatchObject({ expires_in: 600, interval: 5, verification_uri: 'https://login.example/activate' });
    expect(started.device_code.startsWith(`${canonical(started.user_code)}.`)).toBe(true);
    await expect(flow.authorize('unknown')).rejects.toMatchObject({ code: 'invalid_client', status: 401 });
    await expect(flow.authorize(undefined)).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('counts the first interval from the authorization, with a little tolerance for jitter', async () => {
    const early = await flow.authorize('tv');
    const onTime = await flow.authorize('tv');
    const start = now;

    now = start + 5000 - pollTolerance(5) - 1;
    const tooEarly = await outcome(flow.poll('tv', early.device_code));
    now = start + 5000 - pollTolerance(5);
    const justInTime = await outcome(flow.poll('tv', onTime.device_code));

    expect(tooEarly).toBe('slow_down');
    expect(justInTime).toBe('authorization_pending');
  });

  it('adds five seconds to the interval on every slow_down, and keeps it', async () => {
    const device = await flow.authorize('tv');
    const start = now;

    now = start + 1000;
    const first = await outcome(flow.poll('tv', device.device_code)); // interval becomes 10 s
    now += 6000;
    const second = await outcome(flow.poll('tv', device.device_code)); // still too early: 15 s
    now += 15_000;
    const third = await outcome(flow.poll('tv', device.device_code));
    now += 15_000;
    const fourth = await outcome(flow.poll('tv', device.device_code));

    expect([first, second, third, fourth]).toEqual(['slow_down', 'slow_down', 'authorization_pending', 'authorization_pending']);
  });

  it('redeems an approved grant once, into a session bound to the client, even for a device that polls too fast', async () => {
    const userId = await newUser();
    const device = await flow.authorize('tv');
    expect(await flow.approve(canonical(device.user_code), userId)).toBe(true);

    const tokens = await flow.poll('tv', device.device_code);
    const again = await outcome(flow.poll('tv', device.device_code));

    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: userId, client_id: 'tv' });
    expect(tokens.refresh_token.startsWith(`${userId}.`)).toBe(true);
    expect(again).toBe('invalid_grant');
  });

  it('allows one decision only, and none once the code has expired', async () => {
    const userId = await newUser();
    const decided = await flow.authorize('tv');
    const expired = await flow.authorize('tv');

    const first = await flow.deny(canonical(decided.user_code));
    const second = await flow.approve(canonical(decided.user_code), userId);
    now += 600_000;
    const late = await flow.approve(canonical(expired.user_code), userId);

    expect([first, second, late]).toEqual([true, false, false]);
  });

  it('answers expired_token after the lifetime, before anything else but a spent code', async () => {
    const denied = await flow.authorize('tv');
    await flow.deny(canonical(denied.user_code));

    now += 600_000;

    expect(await outcome(flow.poll('tv', denied.device_code))).toBe('expired_token');
  });

  it('refuses another client, a wrong secret, and an approval for a user who does not exist', async () => {
    const device = await flow.authorize('tv');
    const orphan = await flow.authorize('tv');
    await expect(flow.approve(canonical(orphan.user_code), 'nobody-with-this-id-exists')).rejects.toThrow(UnauthenticatedError);
    now += 10_000;

    expect(await outcome(flow.poll('stick', device.device_code))).toBe('invalid_grant');
    expect(await outcome(flow.poll('tv', `${device.device_code.slice(0, -1)}${device.device_code.endsWith('A') ? 'B' : 'A'}`))).toBe('invalid_grant');
    expect(await outcome(flow.poll('tv', orphan.device_code))).toBe('authorization_pending');
    expect(await outcome(flow.poll('nobody', device.device_code))).toBe('invalid_client');
  });
});
