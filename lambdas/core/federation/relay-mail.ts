import { normalizeEmail } from '../email';
import type { CredentialStore, Mailer, MailKind, OutgoingEmail } from '../ports';
import type { FederatedIdentityStore } from './ports';

/** Apple's private relay domain: the addresses Apple forwards to the person's own inbox while they allow it. */
const APPLE_RELAY_DOMAIN = '@privaterelay.appleid.com';

export const isAppleRelayAddress = (address: string): boolean => normalizeEmail(address).endsWith(APPLE_RELAY_DOMAIN);

/** Why an email was not sent (logged with its kind, never with the address). */
export type MailSkipReason = 'apple-relay-disabled';

export interface RelayMailDeps {
  accounts: Pick<CredentialStore, 'getCredential'>;
  identities: Pick<FederatedIdentityStore, 'listForUser'>;
  onSkipped(kind: MailKind, reason: MailSkipReason): void;
}

/**
 * Apple's private relay (docs/native-sign-in.md, "Apple's notifications"):
 * after `email-disabled` the person told Apple to stop forwarding the relay
 * address, so no email of ours goes to it until `email-enabled`. The state
 * lives on the Apple identity (AppleNotifications records it); this is the one
 * place the mail obeys it: the composition root puts it in front of every
 * other mailer, so a skipped email spends no mail-limit unit either.
 * Only relay addresses are looked up (the account by address, then its identities).
 */
export class RelayAwareMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly deps: () => RelayMailDeps,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    if (isAppleRelayAddress(email.to)) {
      const deps = this.deps();
      if (await relayDisabled(deps, email.to)) return deps.onSkipped(email.kind, 'apple-relay-disabled');
    }
    return this.inner.send(email);
  }
}

/** The account holding the address has an Apple identity with that relay address whose forwarding is off. */
async function relayDisabled({ accounts, identities }: RelayMailDeps, address: string): Promise<boolean> {
  const credential = await accounts.getCredential(address);
  if (!credential) return false;
  const linked = await identities.listForUser(credential.userId);
  const to = normalizeEmail(address);
  return linked.some(
    (identity) => identity.provider === 'apple' && identity.relayEmailState === 'disabled' && !!identity.email && normalizeEmail(identity.email) === to,
  );
}
