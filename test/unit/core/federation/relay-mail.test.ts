import { RelayAwareMailer } from '../../../../lambdas/core/federation/relay-mail';
import type { OutgoingEmail } from '../../../../lambdas/core/ports';

const RELAY = 'abc123@privaterelay.appleid.com';
const email = (to: string): OutgoingEmail => ({ kind: 'password-reset', to, subject: 's', text: 't', html: 'h', links: [] });

/** `disabledAddresses`: the addresses whose relay state says disabled (as the store would answer them). */
function setUp(disabledAddresses: string[]) {
  const sent: string[] = [];
  const skipped: string[] = [];
  const lookups: string[] = [];
  const mailer = new RelayAwareMailer({ send: async (mail) => void sent.push(mail.to) }, () => ({
    relayStates: {
      disabled: async (address: string) => {
        lookups.push(address);
        return disabledAddresses.includes(address.toLowerCase());
      },
    },
    onSkipped: (kind, reason) => void skipped.push(`${kind}:${reason}`),
  }));
  return { mailer, sent, skipped, lookups };
}

describe('RelayAwareMailer (Apple private relay email-disabled)', () => {
  it('does not send to a relay address whose state is disabled, and says why without the address', async () => {
    const { mailer, sent, skipped } = setUp([RELAY]);
    await mailer.send(email(RELAY.toUpperCase()));
    expect(sent).toEqual([]);
    expect(skipped).toEqual(['password-reset:apple-relay-disabled']);
  });

  it('sends to a relay address that is not disabled (enabled, or never recorded), asking the state of that address once', async () => {
    const { mailer, sent, skipped, lookups } = setUp(['other@privaterelay.appleid.com']);
    await mailer.send(email(RELAY));
    expect(sent).toEqual([RELAY]);
    expect(skipped).toEqual([]);
    expect(lookups).toEqual([RELAY]);
  });

  it('looks nothing up for an address outside the relay domain', async () => {
    const { mailer, sent, lookups } = setUp(['person@example.com']);
    await mailer.send(email('person@example.com'));
    expect(sent).toEqual(['person@example.com']);
    expect(lookups).toEqual([]);
  });
});
