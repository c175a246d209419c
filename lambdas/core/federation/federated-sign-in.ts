import type { AccessTokens } from '../access-tokens';
import { refuseDisabled } from '../admin/disabled';
import { sessionNetwork } from '../client-network';
import { type Clock, epochSeconds } from '../clock';
import { isEmailVerified } from '../email-verification';
import {
  AccountExistsSignInToLinkError,
  EmailTakenError,
  FormRejectedError,
  IdentityTakenError,
  InvalidIdTokenError,
  ProviderAlreadyLinkedError,
} from '../errors';
import type { PasskeyAnswer } from '../factors/passkeys';
import { amrMethod, type SecondFactors } from '../factors/second-factors';
import type { CredentialStore, PasswordHasher, ThrottleStore, UserProfile } from '../ports';
import { newId, randomToken } from '../random';
import type { SessionStart, Sessions, SignInProof } from '../sessions';
import { throttleKeys } from '../throttle';
import { type TokenResponse, tokenResponse } from '../token-response';
import type { IdTokenVerifier, VerifiedIdentity } from './id-token';
import type { FederatedIdentity, FederatedIdentityStore } from './ports';
import type { FederatedProvider } from './providers';

/** What a first sign-in may create a new account with (never used to change an existing one). */
export interface NewAccountDetails {
  /** Apple gives the name only to the app, on the first sign-in: used for a NEW account only, never to change one. */
  firstName?: string;
  lastName?: string;
  /** The terms accepted (register's `approveTermsOfUse`): required for a NEW account when the platform requires terms. */
  approveTermsOfUse?: boolean;
}

/** The second factor of an account that has one, as a password sign-in takes it. */
export interface SecondFactorAnswer {
  otp?: string;
  passkey?: PasskeyAnswer;
  correlationId?: string;
}

/** The provider's ID token and the raw nonce the app generated (Apple: the app passed its SHA-256 to Apple). */
export interface ProviderToken {
  idToken: string;
  nonce: string;
}

/** What an app sends (POST /login-flow/login/{provider}). */
export type FederatedSignInInput = ProviderToken & NewAccountDetails & SecondFactorAnswer;

/** What a verified identity signs in with: the new account's details and the second factor. */
export type SignInDetails = NewAccountDetails & SecondFactorAnswer;

export interface FederatedSignInDeps {
  /** The provider's verifier; undefined when the provider is not configured (no client ids). */
  verifierFor(provider: FederatedProvider): Promise<IdTokenVerifier | undefined>;
  identities: FederatedIdentityStore;
  accounts: Pick<CredentialStore, 'getCredential' | 'getProfile'>;
  /** The one-use marks of ID tokens (a take with limit 1 is one conditional write). */
  throttles: ThrottleStore;
  /** Counts the request per client address before the token is verified, with the login's address window. */
  addressLimit: { take(ip: string, now: number): Promise<() => Promise<void>> };
  hasher: PasswordHasher;
  sessions: Sessions;
  tokens: AccessTokens;
  secondFactors?: Pick<SecondFactors, 'verify'>;
  /** TERMS_REQUIRED: a first sign-in that creates an account meets register's terms rule. */
  termsRequired?: boolean;
  clock: Clock;
}

/** RFC 8176 has no value for "a federated identity provider"; `fed` names it, beside the factor's when one was proven. */
export function federatedProof(factorUsedAt?: number, factorMethod = 'otp'): SignInProof {
  return factorUsedAt === undefined ? { amr: ['fed'] } : { amr: ['fed', factorMethod, 'mfa'], factorUsedAt };
}

/** How many times a first sign-in that lost a race reads the identity again (the winner's account is then the one). */
const RACE_ATTEMPTS = 4;

/**
 * Native sign-in with a provider's ID token (docs/native-sign-in.md): the
 * token verified and marked used BEFORE any account or session is touched;
 * then the identity's account, or a new account, or an automatic link when
 * both the provider and the existing account have proven the address.
 */
export class FederatedSignIn {
  constructor(private readonly deps: FederatedSignInDeps) {}

  async signIn(provider: FederatedProvider, input: FederatedSignInInput, clientIp: string, clientId?: string): Promise<TokenResponse> {
    const { addressLimit, clock } = this.deps;
    const giveBack = await addressLimit.take(clientIp, epochSeconds(clock));
    const identity = await this.verifiedOnce(provider, input);
    // A genuine, unused token: the address's unit goes back as after a right password.
    await giveBack();
    return this.signInVerified(identity, input, clientIp, clientId);
  }

  /**
   * The account side of a sign-in whose ID token was verified and spent
   * (`verifiedOnce`): the native route right after verifying, the web flow
   * (web-sign-in.ts) once the page sends the second factor when one is needed.
   */
  async signInVerified(identity: VerifiedIdentity, input: SignInDetails, clientIp: string, clientId?: string): Promise<TokenResponse> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.signInAs(identity, input, clientIp, clientId);
      } catch (error) {
        // Another first sign-in of the same person won the race: read the identity again and sign in to its account.
        if (attempt < RACE_ATTEMPTS && (error instanceof IdentityTakenError || (error instanceof EmailTakenError && identity.email))) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          continue;
        }
        throw error;
      }
    }
  }

  /** Verifies the token and spends it: of any number of uses of one token, one gets past here. */
  async verifiedOnce(provider: FederatedProvider, input: ProviderToken): Promise<VerifiedIdentity> {
    const verifier = await this.deps.verifierFor(provider);
    if (!verifier) throw new InvalidIdTokenError('provider not configured');
    const identity = await verifier.verify(input.idToken, input.nonce);
    const now = epochSeconds(this.deps.clock);
    const mark = await this.deps.throttles.take(throttleKeys.idTokenUse(identity.replayKey), { limit: 1, now, expiresAt: identity.expiresAt + 60 });
    // The same answer as an invalid token: a replay learns nothing.
    if (!mark.taken) throw new InvalidIdTokenError('replayed');
    return identity;
  }

  private async signInAs(identity: VerifiedIdentity, input: SignInDetails, clientIp: string, clientId?: string): Promise<TokenResponse> {
    const { identities, accounts } = this.deps;
    const known = await identities.getIdentity(identity.provider, identity.sub);
    const knownProfile = known ? await accounts.getProfile(known.userId) : undefined;
    if (known && knownProfile) return this.startSession(knownProfile, input, clientIp, clientId);
    // An identity whose account was deleted is free again (only while it still names that account).
    const stale = known?.userId;

    if (!identity.email)
      throw new FormRejectedError('email_required', 'The provider did not share an email address. Please allow sharing it, or sign up with your email.');
    // Never create or link on an address the provider has not proven: the pre-account takeover (docs/native-sign-in.md).
    if (!identity.emailVerified)
      throw new FormRejectedError(
        'provider_email_not_verified',
        'The provider has not confirmed this email address. Please confirm it there, or sign up with your email.',
      );
    const credential = await accounts.getCredential(identity.email);
    const link: FederatedIdentity = {
      provider: identity.provider,
      sub: identity.sub,
      userId: credential?.userId ?? newId(),
      email: identity.email,
      linkedAt: epochSeconds(this.deps.clock),
    };
    if (!credential) return this.createAccount(identity, link, input, clientIp, clientId, stale);

    const existing = await accounts.getProfile(credential.userId);
    if (!existing || !isEmailVerified(existing)) throw new AccountExistsSignInToLinkError();
    refuseDisabled(credential);
    try {
      await identities.linkIdentity(link, stale);
    } catch (error) {
      // The account has another identity of this provider already (one per provider): the person signs in to it and
      // chooses on /account, as for any link that is not automatic.
      if (error instanceof ProviderAlreadyLinkedError) throw new AccountExistsSignInToLinkError();
      throw error;
    }
    return this.startSession(existing, input, clientIp, clientId);
  }

  /** A new account: no usable password (a random one's hash; a password reset can set one), the address proven by the provider. */
  private async createAccount(
    identity: VerifiedIdentity,
    link: FederatedIdentity,
    input: NewAccountDetails,
    clientIp: string,
    clientId: string | undefined,
    stale: string | undefined,
  ): Promise<TokenResponse> {
    const { clock, hasher, sessions, identities, termsRequired } = this.deps;
    // Register's rule and answer (LoginFlow.register): an existing account signing in is not asked again.
    if (termsRequired && !input.approveTermsOfUse)
      throw new FormRejectedError('invalid_registration', 'Please correct the highlighted fields.', {
        approveTermsOfUse: 'Please accept the terms of use to create an account.',
      });
    const now = new Date(clock.now()).toISOString();
    const profile: UserProfile = {
      id: link.userId,
      email: link.email as string,
      firstName: (input.firstName ?? identity.givenName ?? '').trim(),
      lastName: (input.lastName ?? identity.familyName ?? '').trim(),
      approveMarketing: false,
      ...(input.approveTermsOfUse ? { termsAcceptedAt: now } : {}),
      createdAt: now,
      emailVerifiedAt: now,
    };
    const passwordHash = await hasher.hash(randomToken(32));
    const started = sessions.newFamily(link.userId, {
      ...(clientId ? { clientId } : {}),
      emailVerified: true,
      proof: federatedProof(),
      network: sessionNetwork(clientIp),
    });
    await identities.createFederatedAccount(
      { email: profile.email, userId: link.userId, passwordHash, emailVerified: true, passwordSet: false },
      profile,
      started.family,
      link,
      stale,
    );
    return tokenResponse(this.deps.tokens, started.family, started.refreshToken, true);
  }

  /** The identity's account signs in as with a password: disabled refused, its second factor required when it has one. */
  private async startSession(profile: UserProfile, input: SecondFactorAnswer, clientIp: string, clientId?: string): Promise<TokenResponse> {
    const { accounts, sessions, secondFactors, clock } = this.deps;
    refuseDisabled(profile);
    const credential = await accounts.getCredential(profile.email);
    refuseDisabled(credential);
    let proof = federatedProof();
    if ((credential?.factorCount ?? 0) > 0) {
      if (!secondFactors) throw new InvalidIdTokenError('second factor unavailable');
      const proven = await secondFactors.verify(profile.id, { otp: input.otp, passkey: input.passkey }, clientIp, input.correlationId);
      proof = federatedProof(epochSeconds(clock), amrMethod(proven));
    }
    const emailVerified = isEmailVerified(profile);
    const start: SessionStart = { emailVerified, proof, network: sessionNetwork(clientIp), ...(clientId ? { clientId } : {}) };
    const started = await sessions.start(profile.id, start);
    return tokenResponse(this.deps.tokens, started.family, started.refreshToken, emailVerified);
  }
}
