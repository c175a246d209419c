import { invitationEmail, verifyEmailEmail } from '../../../lambdas/core/emails';
import { LimitedMailer, MailLimitError, mailThrottleKeys } from '../../../lambdas/core/mail-limits';
import { FakeClock } from '../../support/fakes/clock';
import { RecordingMailer } from '../../support/fakes/ports';
import { InMemoryThrottleStore } from '../../support/fakes/throttle-store';

const BASE = 'https://login.example';

describe('LimitedMailer', () => {
  function gate(limits: { perRecipient?: number; perSender?: number } = {}) {
    const delivered = new RecordingMailer();
    const store = new InMemoryThrottleStore();
    const clock = new FakeClock();
    const mailer = new LimitedMailer(delivered, store, clock, () => ({
      windowSeconds: 3600,
      perRecipient: limits.perRecipient ?? 2,
      perSender: limits.perSender ?? 3,
      publicBaseUrl: BASE,
    }));
    return { mailer, delivered, store, clock };
  }
  const verification = (to: string) => verifyEmailEmail({ to, link: `${BASE}/verify-email?token=t`, validHours: 24 });
  const invitation = (to: string, inviter = 'ann@example.com') =>
    invitationEmail({ to, inviter, kind: 'team', teamName: 'Ann team', link: `${BASE}/portal#invite=x`, expiresAt: '2027-01-16T12:00:00.000Z' });

  it('sends at most the per-recipient limit of one kind to one address, whatever the case of the address', async () => {
    // Prepare
    const { mailer, delivered } = gate();
    // Act
    const outcomes = await Promise.allSettled(['Bob@example.com', 'bob@example.com', ' BOB@example.com'].map((to) => mailer.send(verification(to))));
    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(MailLimitError);
    expect(delivered.sent).toHaveLength(2);
  });

  it('counts each kind apart, so invitations cannot use up an address’s verification emails', async () => {
    // Prepare
    const { mailer, delivered } = gate();
    await mailer.send(invitation('bob@example.com', 'ann@example.com'));
    await mailer.send(invitation('bob@example.com', 'cid@example.com'));
    // Act
    await mailer.send(verification('bob@example.com'));
    // Assess
    expect(delivered.sent.map((mail) => mail.kind)).toEqual(['invitation', 'invitation', 'verification']);
  });

  it('refuses past the per-sender limit and gives the recipient unit back', async () => {
    // Prepare
    const { mailer, delivered, store, clock } = gate({ perSender: 1 });
    await mailer.send(invitation('one@example.com'));
    // Act
    const refused = mailer.send(invitation('two@example.com'));
    // Assess
    await expect(refused).rejects.toMatchObject({ limited: 'sender' });
    expect(delivered.sent).toHaveLength(1);
    const windowIndex = Math.floor(clock.now() / 1000 / 3600);
    expect(store.counters.get(mailThrottleKeys.recipient('invitation', 'two@example.com', windowIndex))?.count ?? 0).toBe(0);
  });

  it('keys counters by a hash of the address, never the address itself', async () => {
    // Prepare
    const { mailer, store } = gate();
    // Act
    await mailer.send(invitation('bob@example.com'));
    // Assess
    expect([...store.counters.keys()].join(' ')).not.toMatch(/bob|ann|example/);
  });

  it('sends nothing whose links leave the public base URL', async () => {
    // Prepare
    const { mailer, delivered } = gate();
    const foreign = { ...verification('bob@example.com'), links: ['https://evil.example/verify'] };
    // Act / Assess
    await expect(mailer.send(foreign)).rejects.toThrow(/outside PUBLIC_BASE_URL/);
    expect(delivered.sent).toEqual([]);
  });
});
