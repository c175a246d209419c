import { normalizeEmail } from '../email';
import type { Mailer, MailKind, OutgoingEmail } from '../ports';
import type { RelayMailStates } from './ports';

/** Apple's private relay domain: the addresses Apple forwards to the person's own inbox while they allow it. */
const APPLE_RELAY_DOMAIN = '@privaterelay.appleid.com';

export const isAppleRelayAddress = (address: string): boolean => normalizeEmail(address).endsWith(APPLE_RELAY_DOMAIN);

/** Why an email was not sent (logged with its kind, never with the address). */
export type MailSkipReason = 'apple-relay-disabled';

export interface RelayMailDeps {
  relayStates: RelayMailStates;
  onSkipped(kind: MailKind, reason: MailSkipReason): void;
}

/**
 * Apple's private relay (docs/native-sign-in.md, "Apple's notifications"):
 * after `email-disabled` the person told Apple to stop forwarding the relay
 * address, so no email of ours goes to it until `email-enabled`. The state
 * is recorded by AppleNotifications on the Apple identity and under the relay
 * address; this is the one place the mail obeys it: the composition root puts
 * it in front of every other mailer, so a skipped email spends no mail-limit
 * unit either. Only relay addresses are looked up (one read of the address's state).
 */
export class RelayAwareMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly deps: () => RelayMailDeps,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    if (isAppleRelayAddress(email.to)) {
      const deps = this.deps();
      if (await deps.relayStates.disabled(email.to)) return deps.onSkipped(email.kind, 'apple-relay-disabled');
    }
    return this.inner.send(email);
  }
}
