import type { AccountProof } from './account-proof';
import type { Brand } from './branding';
import { passwordChangedEmail } from './emails';
import { FormRejectedError, UnauthenticatedError } from './errors';
import { passwordProblem } from './password-policy';
import type { CredentialStore, Mailer, PasswordHasher, SessionStore, UserProfile } from './ports';
import { type ProfileView, profileView } from './profile-view';
import type { CheckedSession } from './session-check';

/** The names and extra fields a user may change about themselves (never the email: that needs the new address's link). */
export interface ProfileChange {
  firstName?: string;
  lastName?: string;
  /** Validated values of the platform's REGISTRATION_EXTRA_FIELDS; given ones replace, others stay. */
  profileFields?: Record<string, string | number | boolean>;
}

/** Writes a profile's own editable part: one conditional UpdateItem (the profile must still exist). */
export interface ProfileEditStore {
  /** The profile after the change; undefined when the account no longer exists. */
  updateOwnProfile(
    userId: string,
    change: Required<Pick<ProfileChange, 'firstName' | 'lastName'>> & { profileFields: ProfileChange['profileFields'] },
  ): Promise<UserProfile | undefined>;
}

export interface PasswordChangeInput {
  /** Required for an account without a second factor; an account with one proves itself with a recent factor instead. */
  currentPassword?: string;
  newPassword: string;
  /** Default true: every other session of the user ends, the one asking stays. */
  signOutOtherSessions: boolean;
}

export interface AccountSelfServiceDeps {
  profiles: ProfileEditStore;
  credentials: Pick<CredentialStore, 'updatePasswordHash'>;
  sessions: Pick<SessionStore, 'listSessions' | 'revokeSession'>;
  /** "It is you": the current password or a recent second factor. */
  proof: Pick<AccountProof, 'prove'>;
  hasher: PasswordHasher;
  mailer: Mailer;
  settings: { publicBaseUrl: string; brand?: Brand };
}

const ACCOUNT_GONE = 'This account no longer exists. Please sign in again.';

/**
 * What a signed-in user changes about their own account through /account and
 * the Login Flow API: names and extra fields, and the password. Every method
 * takes the session the SessionCheck read, so nothing acts on a token alone.
 */
export class AccountSelfService {
  constructor(private readonly deps: AccountSelfServiceDeps) {}

  /** PATCH /login-flow/me: names and extra fields; fields not sent keep their value. */
  async updateProfile(session: CheckedSession, change: ProfileChange): Promise<ProfileView> {
    const profile = requireProfile(session);
    const updated = await this.deps.profiles.updateOwnProfile(profile.id, {
      firstName: change.firstName ?? profile.firstName,
      lastName: change.lastName ?? profile.lastName,
      profileFields: { ...(profile.profileFields ?? {}), ...(change.profileFields ?? {}) },
    });
    if (!updated) throw new UnauthenticatedError(ACCOUNT_GONE);
    return profileView(updated);
  }

  /**
   * POST /login-flow/change-password. Proof: a recent second factor for an
   * account that has one (the password alone never signs it in either), else
   * the current password, counted by the sign-in's limits before argon2. The
   * new password passes the register rules. Other sessions end on request;
   * the one asking stays. The user is told by email.
   */
  async changePassword(session: CheckedSession, input: PasswordChangeInput, clientIp: string): Promise<{ signedOutSessions: number; emailSent: boolean }> {
    const profile = requireProfile(session);
    await this.deps.proof.prove(session, profile, input.currentPassword, clientIp);

    const problem = passwordProblem(input.newPassword, profile);
    if (problem) throw new FormRejectedError('weak_password', 'Please choose another password.', { newPassword: problem });
    await this.deps.credentials.updatePasswordHash(profile.email, profile.id, await this.deps.hasher.hash(input.newPassword));
    const signedOutSessions = input.signOutOtherSessions ? await this.endOtherSessions(profile.id, session.sid) : 0;

    try {
      await this.deps.mailer.send(
        passwordChangedEmail({
          to: profile.email,
          firstName: profile.firstName,
          resetLink: `${this.deps.settings.publicBaseUrl}/reset-password`,
          devices: input.signOutOtherSessions ? 'others-signed-out' : 'kept',
          locale: profile.locale,
          brand: this.deps.settings.brand,
        }),
      );
      return { signedOutSessions, emailSent: true };
    } catch {
      // The change has happened; a mail limit or an SES failure only costs the notice.
      return { signedOutSessions, emailSent: false };
    }
  }

  /** Ends every session family but `keep`: their refresh tokens fail at once and their access tokens at the next session check. */
  private async endOtherSessions(userId: string, keep: string): Promise<number> {
    const others = (await this.deps.sessions.listSessions(userId)).filter((family) => family.familyId !== keep);
    await Promise.all(others.map((family) => this.deps.sessions.revokeSession(userId, family.familyId)));
    return others.length;
  }
}

export function requireProfile(session: CheckedSession): UserProfile {
  if (!session.profile) throw new UnauthenticatedError(ACCOUNT_GONE);
  return session.profile;
}
