import { LastSignInMethodError, NotFoundError } from '../errors';
import type { FactorStore } from '../factors/ports';
import type { SecondFactors } from '../factors/second-factors';
import type { CredentialStore } from '../ports';
import type { CheckedSession } from '../session-check';
import type { FederatedIdentityStore } from './ports';
import type { FederatedProvider } from './providers';

export const LAST_SIGN_IN_METHOD = 'This is your only way to sign in: set a password (forgot password) or add a passkey before you unlink it.';
export const IDENTITY_NOT_LINKED = 'No account of this provider is linked to yours.';

export interface LinkedIdentitiesDeps {
  identities: Pick<FederatedIdentityStore, 'listForUser' | 'unlink'>;
  accounts: Pick<CredentialStore, 'getProfile' | 'getCredential'>;
  factors: Pick<FactorStore, 'listFactors'>;
  secondFactors: Pick<SecondFactors, 'requireRecentFactorIfEnrolled'>;
}

/** "Linked sign-in methods" (docs/native-sign-in.md): the caller's own provider identities, never their sub or tokens. */
export class LinkedIdentities {
  constructor(private readonly deps: LinkedIdentitiesDeps) {}

  async list(userId: string) {
    const identities = await this.deps.identities.listForUser(userId);
    return identities
      .sort((a, b) => a.linkedAt - b.linkedAt)
      .map((identity) => ({ provider: identity.provider, email: identity.email ?? null, linkedAt: new Date(identity.linkedAt * 1000).toISOString() }));
  }

  /**
   * Unlinks the caller's identity of `provider`, with a recent second factor
   * when the account has one (a stolen access token alone must not strip a
   * sign-in method). Refused when nothing would be left to sign in with.
   */
  async unlink(session: CheckedSession, provider: FederatedProvider): Promise<void> {
    const userId = session.sub;
    await this.deps.secondFactors.requireRecentFactorIfEnrolled(userId, session.session);
    const identities = await this.deps.identities.listForUser(userId);
    const target = identities.find((identity) => identity.provider === provider);
    if (!target) throw new NotFoundError(IDENTITY_NOT_LINKED);
    const other = identities.find((identity) => identity !== target);
    if (other) return this.deps.identities.unlink(userId, provider, target.sub, other);
    if (!(await this.hasOtherMethod(userId))) throw new LastSignInMethodError(LAST_SIGN_IN_METHOD);
    await this.deps.identities.unlink(userId, provider, target.sub);
  }

  /** A confirmed passkey, or a password the person set (an account a provider created has a random one: `passwordSet: false`). */
  private async hasOtherMethod(userId: string): Promise<boolean> {
    const factors = await this.deps.factors.listFactors(userId);
    if (factors.some((factor) => factor.kind === 'passkey' && factor.confirmedAt !== undefined)) return true;
    const profile = await this.deps.accounts.getProfile(userId);
    const credential = profile ? await this.deps.accounts.getCredential(profile.email) : undefined;
    return credential !== undefined && credential.userId === userId && credential.passwordSet !== false && Boolean(credential.passwordHash);
  }
}
