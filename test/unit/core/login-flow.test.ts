import type { AccessTokens } from '../../../lambdas/core/access-tokens';
import { EmailNotVerifiedError, FormRejectedError, UnauthenticatedError } from '../../../lambdas/core/errors';
import { LoginFlow, type LoginFlowSettings, type RegisterInput } from '../../../lambdas/core/login-flow';
import type { PasswordCheck } from '../../../lambdas/core/password-check';
import type { SessionFamily, UserProfile } from '../../../lambdas/core/ports';
import { sha256 } from '../../../lambdas/core/random';
import type { SessionCheck } from '../../../lambdas/core/session-check';
import type { Sessions } from '../../../lambdas/core/sessions';
import { SignInThrottle, throttleKeys } from '../../../lambdas/core/throttle';
import { type AccountPorts, InMemoryAccounts, readableHasher } from '../../support/fakes/accounts';
import { FakeClock } from '../../support/fakes/clock';
import { partialPort, RecordingMailer } from '../../support/fakes/ports';
import { InMemoryThrottleStore } from '../../support/fakes/throttle-store';

/** LoginFlow's own decisions, with its collaborators as in-memory fakes; the HTTP contract is covered by test/integration/login-flow. */
describe('LoginFlow', () => {
  const setup = (settings: Partial<LoginFlowSettings> = {}, options: { verified?: (userId: string) => boolean; accounts?: Partial<AccountPorts> } = {}) => {
    const clock = new FakeClock();
    const created: { profile: UserProfile; family: SessionFamily }[] = [];
    const accounts = new InMemoryAccounts({
      createAccount: async (credential, profile, family) => {
        created.push({ profile, family });
        accounts.add(profile, credential.passwordHash);
      },
      ...options.accounts,
    });
    const throttles = new InMemoryThrottleStore();
    const mailer = new RecordingMailer();
    const issued: { subject: string; sessionId: string; emailVerified?: boolean }[] = [];
    const tokens = partialPort<AccessTokens>('AccessTokens', {
      issue: async (subject, sessionId, extra = {}) => {
        issued.push({ subject, sessionId, emailVerified: extra.emailVerified });
        return { token: `access-for-${subject}`, expiresIn: 900 } as Awaited<ReturnType<AccessTokens['issue']>>;
      },
    });
    const family = (userId: string, emailVerified?: boolean): SessionFamily =>
      ({ userId, familyId: `family-of-${userId}`, currentHash: 'h', createdAt: clock.seconds, emailVerified }) as SessionFamily;
    const started: string[] = [];
    const sessions = partialPort<Sessions>('Sessions', {
      newFamily: (userId, { emailVerified } = {}) => ({ family: family(userId, emailVerified), refreshToken: `refresh-for-${userId}` }),
      start: async (userId, { emailVerified } = {}) => {
        started.push(userId);
        return { family: family(userId, emailVerified), refreshToken: `refresh-for-${userId}` };
      },
    });
    const signedUp: string[] = [];
    const cleanups: [string, number][] = [];
    const flow = new LoginFlow({
      accounts: accounts.port,
      links: accounts.port,
      deletion: accounts.port,
      throttles,
      signInThrottle: new SignInThrottle(throttles, {
        account: { freeFailures: 5, baseDelaySeconds: 1, maxDelaySeconds: 900 },
        ip: { maxFailures: 100, windowSeconds: 900 },
      }),
      hasher: readableHasher,
      passwordCheck: partialPort<PasswordCheck>('PasswordCheck', {
        verify: async (email) => {
          const credential = accounts.credentials.get(email);
          if (!credential) throw new FormRejectedError('invalid_credentials', 'Wrong email or password.');
          const attempt = { keys: { account: `login#acct#${email}`, ip: 'login#ip#192.0.2.1#0' }, windowEnd: 900, now: 0 };
          return { userId: credential.userId, email, passwordHash: credential.passwordHash, emailVerified: credential.emailVerified, attempt };
        },
      }),
      sessions,
      tokens,
      sessionCheck: partialPort<SessionCheck>('SessionCheck', {
        verify: async (token) => {
          if (token !== 'valid-access-token') throw new UnauthenticatedError('Sign in again.');
          return { sub: 'u'.repeat(22), sid: 'family' } as Awaited<ReturnType<SessionCheck['verify']>>;
        },
      }),
      mailer,
      clock,
      settings: {
        termsRequired: true,
        publicBaseUrl: 'https://login.example',
        resetTokenTtlSeconds: 1800,
        resetEmailLimit: { maxPerWindow: 2, windowSeconds: 3600 },
        ...settings,
      },
      verification: {
        sendAfterRegistration: async (profile) => {
          signedUp.push(profile.email);
          return true;
        },
        requireVerified: async (userId) => {
          const profile = accounts.profiles.get(userId) as UserProfile;
          if (!(options.verified ?? (() => false))(userId)) throw new EmailNotVerifiedError();
          return profile;
        },
      },
      teamCleanup: {
        tryNow: async (teamId, withinMs) => {
          cleanups.push([teamId, withinMs]);
          return true;
        },
      },
    });
    const profile = (email: string, verified: boolean): UserProfile => {
      const stored: UserProfile = {
        id: `${email.split('@')[0].padEnd(22, 'x')}`,
        email,
        firstName: 'Ada',
        lastName: 'Lovelace',
        approveMarketing: false,
        createdAt: new Date(clock.now()).toISOString(),
        ...(verified ? { emailVerifiedAt: new Date(clock.now()).toISOString() } : {}),
      };
      accounts.add(stored, 'hash:a long enough passphrase');
      return stored;
    };
    return { flow, clock, accounts, throttles, mailer, issued, started, created, signedUp, cleanups, profile };
  };
  const registration = (fields: Partial<RegisterInput> = {}): RegisterInput => ({
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.com',
    password: 'a long enough passphrase',
    approveTermsOfUse: true,
    approveMarketing: true,
    ...fields,
  });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error,
    );

  describe('register', () => {
    it('names every field to correct in one answer and stores nothing', async () => {
      // Prepare
      const { flow, created } = setup();
      // Act
      const error = await refusal(flow.register(registration({ password: 'short', approveTermsOfUse: false })));
      // Assess
      expect(error).toBeInstanceOf(FormRejectedError);
      expect(Object.keys((error as FormRejectedError).fieldErrors).sort()).toEqual(['approveTermsOfUse', 'password']);
      expect(created).toEqual([]);
    });

    it('stores the profile with the consent times of the clock, sends the verification link and answers tokens', async () => {
      // Prepare
      const { flow, created, signedUp, issued, clock } = setup();
      // Act
      const answer = await flow.register(registration());
      // Assess
      const now = new Date(clock.now()).toISOString();
      expect(created[0].profile).toMatchObject({
        email: 'grace@example.com',
        termsAcceptedAt: now,
        marketingAcceptedAt: now,
        createdAt: now,
        verificationSentAt: clock.seconds,
      });
      expect(created[0].profile.emailVerifiedAt).toBeUndefined();
      expect(signedUp).toEqual(['grace@example.com']);
      expect(answer).toEqual({
        status: 200,
        access_token: `access-for-${created[0].profile.id}`,
        refresh_token: `refresh-for-${created[0].profile.id}`,
        token_type: 'Bearer',
        expires_in: 900,
      });
      expect(issued[0].emailVerified).toBe(false);
    });

    it('accepts a registration without the terms where the platform does not require them', async () => {
      // Prepare
      const { flow, created } = setup({ termsRequired: false });
      // Act
      await flow.register(registration({ approveTermsOfUse: false, approveMarketing: false }));
      // Assess
      expect(created[0].profile.termsAcceptedAt).toBeUndefined();
      expect(created[0].profile.marketingAcceptedAt).toBeUndefined();
    });
  });

  describe('login', () => {
    it('carries whether the address is verified in the access token', async () => {
      // Prepare
      const { flow, issued, profile } = setup();
      profile('verified@example.com', true);
      profile('unverified@example.com', false);
      // Act
      await flow.login('verified@example.com', 'a long enough passphrase', '192.0.2.1');
      await flow.login('unverified@example.com', 'a long enough passphrase', '192.0.2.1');
      // Assess
      expect(issued.map((token) => token.emailVerified)).toEqual([true, false]);
    });

    it('refuses an unverified address before starting a session when verified email is required', async () => {
      // Prepare
      const { flow, started, profile } = setup({ loginRequiresVerifiedEmail: true });
      profile('unverified@example.com', false);
      // Act
      const error = await refusal(flow.login('unverified@example.com', 'a long enough passphrase', '192.0.2.1'));
      // Assess
      expect(error).toBeInstanceOf(EmailNotVerifiedError);
      expect(started).toEqual([]);
    });
  });

  describe('requestPasswordReset', () => {
    it('emails a link whose token is stored only as its hash', async () => {
      // Prepare
      const { flow, mailer, accounts, profile } = setup();
      const ada = profile('ada@example.com', true);
      // Act
      await flow.requestPasswordReset('ada@example.com');
      // Assess
      expect(mailer.sent).toHaveLength(1);
      const token = new URL(mailer.sent[0].links[0]).searchParams.get('token') as string;
      expect(token.startsWith(`${ada.id}.`)).toBe(true);
      expect([...accounts.resets.values()].map((reset) => reset.tokenHash)).toEqual([sha256(token)]);
    });

    it('sends nothing for an unknown address but counts it all the same, so both look alike', async () => {
      // Prepare
      const { flow, mailer, throttles, clock } = setup();
      // Act
      await flow.requestPasswordReset('nobody@example.com');
      // Assess
      expect(mailer.sent).toEqual([]);
      expect(throttles.counters.get(throttleKeys.resetEmail('nobody@example.com', Math.floor(clock.seconds / 3600)))?.count).toBe(1);
    });

    it('sends at most the window limit of a burst, and again in the next window', async () => {
      // Prepare
      const { flow, mailer, clock, profile } = setup();
      profile('ada@example.com', true);
      // Act
      await Promise.all(Array.from({ length: 6 }, () => flow.requestPasswordReset('ada@example.com')));
      const inFirstWindow = mailer.sent.length;
      clock.advanceSeconds(3600);
      await flow.requestPasswordReset('ada@example.com');
      // Assess
      expect(inFirstWindow).toBe(2);
      expect(mailer.sent).toHaveLength(3);
    });
  });

  describe('deleteAccount', () => {
    it('requires an access token whose session stands', async () => {
      // Prepare
      const { flow } = setup();
      // Act
      const errors = await Promise.all([refusal(flow.deleteAccount(undefined)), refusal(flow.deleteAccount('revoked-token'))]);
      // Assess
      expect(errors.map((error) => error instanceof UnauthenticatedError)).toEqual([true, true]);
    });

    it('starts the clean-up of a team the account was the last member of', async () => {
      // Prepare
      const deleted: string[] = [];
      const { flow, cleanups } = setup(
        { teamCleanupWithinMs: 1234 },
        {
          accounts: {
            deleteAccount: async (userId) => {
              deleted.push(userId);
              return { emptiedTeamId: 'team-left-empty' };
            },
          },
        },
      );
      // Act
      await flow.deleteAccount('valid-access-token');
      // Assess
      expect(deleted).toEqual(['u'.repeat(22)]);
      expect(cleanups).toEqual([['team-left-empty', 1234]]);
    });
  });
});
