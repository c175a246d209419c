import { RelayAwareMailer } from '../../../../lambdas/core/federation/relay-mail';
import type { FederatedIdentity } from '../../../../lambdas/core/federation/ports';
import type { Credential, OutgoingEmail } from '../../../../lambdas/core/ports';

const RELAY = 'abc123@privaterelay.appleid.com';
const email = (to: string): OutgoingEmail => ({ kind: 'password-reset', to, subject: 's', text: 't', html: 'h', links: [] });
const appleIdentity = (state: FederatedIdentity['relayEmailState'], address = RELAY): FederatedIdentity => ({
  provider: 'apple',
  sub: 'apple-sub',
  userId: 'user-1',
  email: address,
  linkedAt: 1,
  relayEmailState: state,
});

function setUp(identities: FederatedIdentity[]) {
  const sent: string[] = [];
  const skipped: string[] = [];
  const lookups: string[] = [];
  const mailer = new RelayAwareMailer({ send: async (mail) => void sent.push(mail.to) }, () => ({
    accounts: {
      getCredential: async (address: string) => {
        lookups.push(address);
        return { userId: 'user-1', email: address } as Credential;
      },
    },
    identities: { listForUser: async () => identities },
    onSkipped: (kind, reason) => void skipped.push(`${kind}:${reason}`),
  }));
  return { mailer, sent, skipped, lookups };
}

describe('RelayAwareMailer (Apple private relay email-disabled)', () => {
  it('does not send to a relay address whose Apple identity is disabled, and says why without the address', async () => {
    const { mailer, sent, skipped } = setUp([appleIdentity('disabled')]);
    await mailer.send(email(RELAY.toUpperCase()));
    expect(sent).toEqual([]);
    expect(skipped).toEqual(['password-reset:apple-relay-disabled']);
  });

  it('sends to a relay address that is enabled, or whose state was never recorded', async () => {
    for (const state of ['enabled', undefined] as const) {
      const { mailer, sent } = setUp([appleIdentity(state)]);
      await mailer.send(email(RELAY));
      expect(sent).toEqual([RELAY]);
    }
  });

  it('sends to the account when the disabled relay is not the address mailed (the account changed its email)', async () => {
    const { mailer, sent } = setUp([appleIdentity('disabled', 'other@privaterelay.appleid.com')]);
    await mailer.send(email(RELAY));
    expect(sent).toEqual([RELAY]);
  });

  it('looks nothing up for an address outside the relay domain', async () => {
    const { mailer, sent, lookups } = setUp([appleIdentity('disabled', 'person@example.com')]);
    await mailer.send(email('person@example.com'));
    expect(sent).toEqual(['person@example.com']);
    expect(lookups).toEqual([]);
  });
});
