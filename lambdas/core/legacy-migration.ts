import type { Clock } from './clock';
import { FormRejectedError } from './errors';
import type { Credential, CredentialStore, PasswordHasher, UserProfile } from './ports';

/** What the old login API said about an email + password. */
export type LegacyAnswer =
  | { kind: 'accepted'; accessToken: string }
  | { kind: 'rejected' }
  /** Down, slow, circuit open, or an answer outside the contract: nothing was learnt about the password. */
  | { kind: 'unavailable'; reason: string };

export interface LegacyProfile {
  firstName?: string;
  lastName?: string;
  attributes?: Record<string, unknown>;
}

/** The old provider's Login Flow API (adapters/legacy-login-client.ts). */
export interface LegacyLogin {
  login(email: string, password: string): Promise<LegacyAnswer>;
  /** Names and fields from the optional profile endpoint; undefined when there is none or it fails. */
  profile(accessToken: string): Promise<LegacyProfile | undefined>;
}

/** Creates an account (credential + profile, as registration writes them) unless the email is taken. */
export interface MigratedAccountWriter {
  createMigrated(passwordHash: string, profile: Omit<UserProfile, 'id'>): Promise<{ created: true; userId: string } | { created: false }>;
}

export interface LegacyMigrationDeps {
  legacy: LegacyLogin;
  accounts: Pick<CredentialStore, 'getCredential' | 'updatePasswordHash'>;
  writer: MigratedAccountWriter;
  hasher: PasswordHasher;
  clock: Clock;
  decoyHash: () => Promise<string>;
  /** Told when the old API could not answer (for logs and metrics); never with the password. */
  onUnavailable?: (reason: string) => void;
}

/** The answer of a failed sign-in, word for word, so a legacy outage reads like any wrong password. */
export const WRONG_CREDENTIALS_MESSAGE = 'The email or password is incorrect.';

/**
 * Lazy migration: a sign-in for an email we do not know (or know without a
 * password) is checked by the old login API, server to server. On its 200 the
 * user is created here with an argon2id hash of the password just proven, and
 * signed in with our tokens; the old API's tokens are used only to read the
 * profile and then dropped.
 */
export class LegacyMigration {
  constructor(private readonly deps: LegacyMigrationDeps) {}

  /**
   * @returns the credential now stored when the old API accepted the
   * password, undefined when it refused it (an ordinary failed sign-in).
   * @throws FormRejectedError (the wrong-password answer, not counted as a failure) when the old API could not answer.
   */
  async migrate(email: string, password: string, stored: Credential | Omit<Credential, 'passwordHash'> | undefined): Promise<Credential | undefined> {
    const { legacy, hasher } = this.deps;
    // The local verification a known email costs, paid here too, so the local part of the time is the same either way.
    const [answer] = await Promise.all([legacy.login(email, password), this.deps.decoyHash().then((decoy) => hasher.verify(decoy, password))]);
    if (answer.kind === 'rejected') return undefined;
    if (answer.kind === 'unavailable') {
      this.deps.onUnavailable?.(answer.reason);
      throw new FormRejectedError('invalid_credentials', WRONG_CREDENTIALS_MESSAGE, { email: true, password: true });
    }

    const passwordHash = await hasher.hash(password);
    if (stored) {
      // Imported without a password: the account and profile exist; only the hash was missing.
      await this.deps.accounts.updatePasswordHash(email, stored.userId, passwordHash);
      return { email, userId: stored.userId, passwordHash };
    }
    const fields = await legacy.profile(answer.accessToken).catch(() => undefined);
    const profile: Omit<UserProfile, 'id'> = {
      email,
      firstName: fields?.firstName ?? '',
      lastName: fields?.lastName ?? '',
      approveMarketing: false,
      createdAt: new Date(this.deps.clock.now()).toISOString(),
      ...(fields?.attributes && Object.keys(fields.attributes).length ? { attributes: fields.attributes } : {}),
    };
    const written = await this.deps.writer.createMigrated(passwordHash, profile);
    if (written.created) return { email, userId: written.userId, passwordHash };
    // Another sign-in (or a registration) created the email meanwhile: the password must match what is stored now.
    const current = await this.deps.accounts.getCredential(email);
    return current?.passwordHash && (await hasher.verify(current.passwordHash, password)) ? current : undefined;
  }
}
