import { FormRejectedError } from './errors';
import type { SecondFactors } from './factors/second-factors';
import type { PasswordCheck } from './password-check';
import type { CredentialStore, UserProfile } from './ports';
import type { CheckedSession } from './session-check';

export interface AccountProofDeps {
  credentials: Pick<CredentialStore, 'getCredential'>;
  /** The current password, under the sign-in's guess limits (counted before argon2 runs). */
  passwordCheck: Pick<PasswordCheck, 'verify'>;
  secondFactors: Pick<SecondFactors, 'requireRecentFactor'>;
  /** LEGACY_LOGIN_URL is set: a credential without a hash still has a password, at the old login API. */
  legacyPasswords: boolean;
}

const NO_PASSWORD =
  'This account has no password yet. Use "Forgot password?" (password reset) to add one: the link goes to your email address. Then try again.';
const WRONG_CURRENT_PASSWORD = 'Your current password is not correct.';

/**
 * "It is really you" before a signed-in user changes their password or email:
 * an access token alone (a borrowed phone, a stolen token) must not take the
 * account over. An account with a second factor proves a recent factor (the
 * step-up, as for deleting the account; its password alone never signs it in
 * either); any other account gives its current password, counted by the
 * sign-in's limits before argon2 runs.
 */
export class AccountProof {
  constructor(private readonly deps: AccountProofDeps) {}

  async prove(session: CheckedSession, profile: UserProfile, currentPassword: string | undefined, clientIp: string): Promise<void> {
    const credential = await this.deps.credentials.getCredential(profile.email);
    if (!credential || (!credential.passwordHash && !this.deps.legacyPasswords)) throw new FormRejectedError('no_password', NO_PASSWORD);
    if ((credential.factorCount ?? 0) > 0) this.deps.secondFactors.requireRecentFactor(session.session);
    else await this.proveCurrentPassword(profile.email, currentPassword, clientIp);
  }

  private async proveCurrentPassword(email: string, currentPassword: string | undefined, clientIp: string): Promise<void> {
    if (!currentPassword) {
      throw new FormRejectedError('current_password_required', 'Enter your current password.', { currentPassword: 'Enter your current password.' });
    }
    try {
      await this.deps.passwordCheck.verify(email, currentPassword, clientIp);
    } catch (error) {
      // The sign-in's answer names the email too; here only the current password can be wrong (its wait, if any, is kept).
      if (error instanceof FormRejectedError && error.code === 'invalid_credentials') {
        const wait = error.formError.replace(/^The email or password is incorrect\.\s*/, '');
        throw new FormRejectedError('invalid_current_password', wait ? `${WRONG_CURRENT_PASSWORD} ${wait}` : WRONG_CURRENT_PASSWORD, {
          currentPassword: WRONG_CURRENT_PASSWORD,
        });
      }
      throw error;
    }
  }
}
