import { FormRejectedError } from '../../../lambdas/core/errors';
import { PasswordReset, parseResetToken, ResetLinkError } from '../../../lambdas/core/password-reset';
import type { UserProfile } from '../../../lambdas/core/ports';
import { randomToken, sha256 } from '../../../lambdas/core/random';
import { throttleKeys } from '../../../lambdas/core/throttle';
import { InMemoryAccounts, readableHasher } from '../../support/fakes/accounts';
import { FakeClock } from '../../support/fakes/clock';
import { RecordingMailer } from '../../support/fakes/ports';

describe('PasswordReset', () => {
  const TTL = 30 * 60;
  const NEW_PASSWORD = 'correct horse battery staple';
  const setup = () => {
    const clock = new FakeClock();
    const accounts = new InMemoryAccounts();
    const mailer = new RecordingMailer();
    const reset = new PasswordReset({
      resets: accounts.port,
      profiles: accounts.port,
      tokens: accounts.port,
      hasher: readableHasher,
      mailer,
      clock,
      settings: { publicBaseUrl: 'https://login.example', resetTokenTtlSeconds: TTL },
    });
    const profile: UserProfile = {
      id: 'u'.repeat(22),
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      approveMarketing: false,
      createdAt: '2027-01-01T00:00:00.000Z',
    };
    accounts.add(profile);
    /** A link as LoginFlow.requestPasswordReset stores it: only the token's hash is kept. */
    const issueLink = (): string => {
      const token = `${profile.id}.${randomToken(32)}`;
      accounts.resets.set(`${profile.id}#${sha256(token)}`, {
        userId: profile.id,
        tokenHash: sha256(token),
        createdAt: clock.seconds,
        expiresAt: clock.seconds + TTL,
      });
      return token;
    };
    return { clock, accounts, mailer, reset, profile, issueLink };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error,
    );

  it('reads a fresh link as valid, without spending it', async () => {
    // Prepare
    const { reset, issueLink } = setup();
    const token = issueLink();
    // Act
    const states = [await reset.inspect(token), await reset.inspect(token)];
    // Assess
    expect(states).toEqual(['valid', 'valid']);
  });

  it('reads a link as expired once its lifetime has passed on the clock', async () => {
    // Prepare
    const { reset, issueLink, clock } = setup();
    const token = issueLink();
    clock.advanceSeconds(TTL - 1);
    const before = await reset.inspect(token);
    clock.advanceSeconds(1);
    // Act
    const after = await reset.inspect(token);
    // Assess
    expect([before, after]).toEqual(['valid', 'expired']);
  });

  it('reads a malformed, unknown or altered link as invalid', async () => {
    // Prepare
    const { reset, issueLink, profile } = setup();
    const token = issueLink();
    // Act
    const states = await Promise.all(
      ['not-a-token', `${profile.id}.${randomToken(32)}`, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`].map((candidate) =>
        reset.inspect(candidate),
      ),
    );
    // Assess
    expect(states).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('sets the new password, clears the sign-in back-off and tells the user by email', async () => {
    // Prepare
    const { reset, issueLink, accounts, mailer } = setup();
    const token = issueLink();
    // Act
    const outcome = await reset.confirm(token, NEW_PASSWORD);
    // Assess
    expect(outcome).toEqual({ emailSent: true });
    expect(accounts.credentials.get('ada@example.com')?.passwordHash).toBe(`hash:${NEW_PASSWORD}`);
    expect(accounts.clearedThrottleKeys).toEqual([throttleKeys.loginAccount('ada@example.com')]);
    expect(mailer.sent.map((email) => email.to)).toEqual(['ada@example.com']);
    expect(mailer.sent[0].links).toContain('https://login.example/reset-password');
  });

  it('works once: a second use of the link is refused as used', async () => {
    // Prepare
    const { reset, issueLink } = setup();
    const token = issueLink();
    await reset.confirm(token, NEW_PASSWORD);
    // Act
    const error = await refusal(reset.confirm(token, 'another fine passphrase'));
    // Assess
    expect(error).toBeInstanceOf(ResetLinkError);
    expect((error as ResetLinkError).state).toBe('used');
    expect((error as ResetLinkError).code).toBe('reset_link_used');
  });

  it('refuses an expired link and says how long links work', async () => {
    // Prepare
    const { reset, issueLink, clock, accounts } = setup();
    const token = issueLink();
    clock.advanceSeconds(TTL);
    // Act
    const error = await refusal(reset.confirm(token, NEW_PASSWORD));
    // Assess
    expect((error as ResetLinkError).state).toBe('expired');
    expect((error as ResetLinkError).formError).toContain('links work for 30 minutes');
    expect(accounts.credentials.get('ada@example.com')?.passwordHash).toBe('hash:old password');
  });

  it('refuses a weak password and leaves the link usable', async () => {
    // Prepare
    const { reset, issueLink } = setup();
    const token = issueLink();
    // Act
    const error = await refusal(reset.confirm(token, 'ada@example.com'));
    const state = await reset.inspect(token);
    // Assess
    expect(error).toBeInstanceOf(FormRejectedError);
    expect((error as FormRejectedError).code).toBe('weak_password');
    expect(state).toBe('valid');
  });

  it('reports a confirmation email that could not be sent, the password being changed all the same', async () => {
    // Prepare
    const { reset, issueLink, accounts, mailer } = setup();
    const token = issueLink();
    mailer.failing = true;
    // Act
    const outcome = await reset.confirm(token, NEW_PASSWORD);
    // Assess
    expect(outcome).toEqual({ emailSent: false });
    expect(accounts.credentials.get('ada@example.com')?.passwordHash).toBe(`hash:${NEW_PASSWORD}`);
  });

  it('parses only tokens of two URL-safe segments of 16 to 64 characters', () => {
    // Prepare
    const userId = 'a'.repeat(22);
    // Act
    const parsed = [`${userId}.${'b'.repeat(43)}`, `${userId}.short`, `${userId}.${'b'.repeat(43)}.extra`, `${userId}.${'b'.repeat(42)}=`].map(parseResetToken);
    // Assess
    expect(parsed).toEqual([{ userId }, undefined, undefined, undefined]);
  });
});
