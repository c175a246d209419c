import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { refuseDisabled } from '../admin/disabled';
import { clientNetwork } from '../client-network';
import { type Clock, epochSeconds } from '../clock';
import { FormRejectedError, NotFoundError, TooManyAttemptsError } from '../errors';
import type { CredentialStore, ThrottleStore, UserProfile } from '../ports';
import { newId } from '../random';
import { type GuessAllowance, takeFactorGuess } from './guesses';
import type { FactorStore, PasskeyChallenge, PasskeyChallengeStore, StoredFactor } from './ports';
import type { FactorSession, FactorView, SecondFactors } from './second-factors';

export interface PasskeySettings {
  /** The relying party id: the host of PUBLIC_BASE_URL, so a custom domain moves it. */
  rpId: string;
  /** The name authenticators show (TOTP_ISSUER). */
  rpName: string;
  /** Origins an assertion may come from: PUBLIC_BASE_URL's origin. */
  origins: string[];
  /** PASSKEY_CHALLENGE_TTL_SECONDS. */
  challengeTtlSeconds: number;
  /** PASSKEY_CHALLENGES_PER_ADDRESS per PASSKEY_CHALLENGE_WINDOW_SECONDS: challenges made for requests without a session. */
  challengesPerAddress: { limit: number; windowSeconds: number };
  /** OTP_GUESSES_*: a passkey verification is one guess, like a code. */
  guesses: GuessAllowance;
}

export interface PasskeyDeps {
  store: FactorStore;
  challenges: PasskeyChallengeStore;
  throttles: ThrottleStore;
  accounts: Pick<CredentialStore, 'getProfile' | 'getCredential'>;
  /** Adding a factor has one home (count, first factor's recovery codes, session mark, email). */
  factors: Pick<SecondFactors, 'addPasskey'>;
  clock: Clock;
  settings: PasskeySettings;
  /** A signature counter went backwards: logged and counted as a security event by the caller's wiring. */
  onClonedAuthenticator?: (event: { userId: string; factorId: string; storedCount: number; presentedCount: number }) => void;
}

/** An assertion answering a challenge: what a sign-in request or a `passkey` second-factor field carries. */
export interface PasskeyAnswer {
  challengeId: string;
  response: AuthenticationResponseJSON;
}

/** A verified assertion. */
export interface PasskeyProof {
  userId: string;
  factorId: string;
  /** RFC 8176: `swk` for a synced (backed-up) passkey, `hwk` for a device-bound one. */
  method: 'hwk' | 'swk';
  backedUp: boolean;
  userVerified: boolean;
}

export const PASSKEY_FIELD = 'passkey';

export const passkeyThrottleKeys = {
  challenges: (ip: string, windowIndex: number) => `passkey#challenge#ip#${clientNetwork(ip)}#${windowIndex}`,
};

/** The user handle of a user's passkeys: the user id's UTF-8 bytes (never the email), base64url in the options and assertions. */
export function userHandleOf(userId: string): string {
  return isoBase64URL.fromUTF8String(userId);
}

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: registration as one more
 * factor kind, and assertions both as a sign-in alone (discoverable
 * credentials) and as a second factor. Challenges are stored server-side,
 * single use (one conditional delete), short-lived.
 */
export class Passkeys {
  constructor(private readonly deps: PasskeyDeps) {}

  /** Options to create a passkey for a signed-in user: discoverable, user verification preferred, none of their passkeys again. */
  async registrationOptions(userId: string): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const profile = await this.profile(userId);
    const existing = (await this.deps.store.listFactors(userId)).filter((factor) => factor.passkey && factor.confirmedAt !== undefined);
    const options = await generateRegistrationOptions({
      rpName: this.deps.settings.rpName,
      rpID: this.deps.settings.rpId,
      userName: profile.email,
      userID: isoBase64URL.toBuffer(userHandleOf(userId)),
      userDisplayName: [profile.firstName, profile.lastName].filter(Boolean).join(' ') || profile.email,
      attestationType: 'none',
      excludeCredentials: existing.map((factor) => ({
        id: factor.passkey?.credentialId as string,
        transports: factor.passkey?.transports as AuthenticatorTransportFuture[],
      })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      timeout: this.deps.settings.challengeTtlSeconds * 1000,
    });
    const challengeId = await this.storeChallenge(options.challenge, 'register', userId);
    return { challengeId, options };
  }

  /**
   * Verifies the authenticator's answer to a registration challenge of this
   * user and adds the passkey as a confirmed factor (the first factor brings
   * the recovery codes). One guess is taken before the verification.
   */
  async register(
    userId: string,
    input: { challengeId: string; response: RegistrationResponseJSON; label: string },
    clientIp: string,
    session?: FactorSession,
  ): Promise<{ factor: FactorView; recoveryCodes?: string[] }> {
    const challenge = await this.consume(input.challengeId, 'register', userId);
    const guess = await this.takeGuess(userId, clientIp);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({ response: input.response, ...this.expectedFor(challenge), requireUserVerification: false });
    } catch (error) {
      throw refusal(error);
    }
    if (!verified.verified) throw invalidPasskey();
    const { credential, credentialBackedUp, aaguid } = verified.registrationInfo;
    const existing = await this.deps.store.listFactors(userId);
    if (existing.some((factor) => factor.passkey?.credentialId === credential.id))
      throw new FormRejectedError('passkey_exists', 'This passkey is already on your account.', {
        [PASSKEY_FIELD]: 'This passkey is already on your account.',
      });
    const factor: StoredFactor = {
      userId,
      factorId: newId(),
      kind: 'passkey',
      label: input.label,
      createdAt: epochSeconds(this.deps.clock),
      passkey: {
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        signCount: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        aaguid,
      },
    };
    const added = await this.deps.factors.addPasskey(userId, factor, credentialBackedUp ? 'swk' : 'hwk', session);
    await guess.giveBack();
    return added;
  }

  /**
   * Options for an assertion: empty allowCredentials, so the browser offers
   * the user's discoverable passkeys (sign-in alone, or the second factor of
   * a sign-in whose account the server names only after the password).
   * Requests without a session are limited per client address, with one
   * conditional write before anything is stored.
   */
  async authenticationOptions(clientIp: string): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const { throttles, clock, settings } = this.deps;
    const now = epochSeconds(clock);
    const { limit, windowSeconds } = settings.challengesPerAddress;
    const windowIndex = Math.floor(now / windowSeconds);
    const expiresAt = (windowIndex + 1) * windowSeconds;
    const taken = await throttles.take(passkeyThrottleKeys.challenges(clientIp, windowIndex), { limit, now, expiresAt });
    if (!taken.taken) throw new TooManyAttemptsError(Math.max(1, expiresAt - now), {});
    const options = await generateAuthenticationOptions({
      rpID: settings.rpId,
      allowCredentials: [],
      userVerification: 'preferred',
      timeout: settings.challengeTtlSeconds * 1000,
    });
    return { challengeId: await this.storeChallenge(options.challenge, 'authenticate'), options };
  }

  /**
   * A passkey sign-in alone: the assertion's user handle names the account,
   * whose passkey it must be; a disabled account is refused as a password
   * sign-in refuses it (after the proof), a deleted one has no passkeys left.
   */
  async signIn(answer: PasskeyAnswer, clientIp: string): Promise<PasskeyProof & { profile: UserProfile; emailVerified?: boolean }> {
    const challenge = await this.consume(answer.challengeId, 'authenticate');
    const userHandle = answer.response.response?.userHandle;
    const userId = userHandle ? safeUtf8(userHandle) : undefined;
    if (!userId) throw unknownPasskey();
    const proof = await this.verifyAssertion(userId, answer, challenge, clientIp);
    const profile = await this.deps.accounts.getProfile(userId);
    const credential = profile ? await this.deps.accounts.getCredential(profile.email) : undefined;
    if (!profile || credential?.userId !== userId) throw unknownPasskey();
    refuseDisabled(credential);
    return { ...proof, profile, ...(credential.emailVerified !== undefined ? { emailVerified: credential.emailVerified } : {}) };
  }

  /** A passkey as the second factor of `userId` (beside a password, or a step-up): the assertion must be of one of that account's passkeys. */
  async verifyFor(userId: string, answer: PasskeyAnswer, clientIp: string): Promise<PasskeyProof> {
    const challenge = await this.consume(answer.challengeId, 'authenticate');
    const userHandle = answer.response.response?.userHandle;
    if (userHandle && safeUtf8(userHandle) !== userId) throw unknownPasskey();
    return this.verifyAssertion(userId, answer, challenge, clientIp);
  }

  /**
   * The guess is taken (one conditional write) before the signature is
   * checked; the counter is moved with one conditional write after it. A
   * counter that does not move forward, when the authenticator keeps one, is
   * a cloned authenticator: refused, nothing stored.
   */
  private async verifyAssertion(userId: string, answer: PasskeyAnswer, challenge: PasskeyChallenge, clientIp: string): Promise<PasskeyProof> {
    const guess = await this.takeGuess(userId, clientIp);
    const factors = await this.deps.store.listFactors(userId);
    const factor = factors.find((candidate) => candidate.confirmedAt !== undefined && candidate.passkey?.credentialId === answer.response.id);
    const passkey = factor?.passkey;
    if (!factor || !passkey) throw unknownPasskey();
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await verifyAuthenticationResponse({
        response: answer.response,
        ...this.expectedFor(challenge),
        // The counter is decided below (and written conditionally), so the library is given none to compare.
        credential: {
          id: passkey.credentialId,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: 0,
          transports: passkey.transports as AuthenticatorTransportFuture[],
        },
        requireUserVerification: false,
      });
    } catch (error) {
      throw refusal(error);
    }
    if (!verified.verified) throw invalidPasskey();
    const { newCounter, credentialBackedUp, userVerified } = verified.authenticationInfo;
    const now = epochSeconds(this.deps.clock);
    if (
      isClonedCounter(passkey.signCount, newCounter) ||
      !(await this.deps.store.usePasskey(userId, factor.factorId, passkey.signCount, newCounter, credentialBackedUp, now))
    ) {
      this.deps.onClonedAuthenticator?.({ userId, factorId: factor.factorId, storedCount: passkey.signCount, presentedCount: newCounter });
      throw new FormRejectedError(
        'passkey_cloned',
        'This passkey was refused: its signature counter went backwards, a sign of a copied authenticator. Use another factor, and remove this passkey.',
        { [PASSKEY_FIELD]: 'This passkey was refused.' },
      );
    }
    await guess.giveBack();
    return { userId, factorId: factor.factorId, method: credentialBackedUp ? 'swk' : 'hwk', backedUp: credentialBackedUp, userVerified };
  }

  /** What every authenticator answer (registration or assertion) must match: our challenge, our origins and our relying party. */
  private expectedFor(challenge: PasskeyChallenge): { expectedChallenge: string; expectedOrigin: string[]; expectedRPID: string } {
    return { expectedChallenge: challenge.challenge, expectedOrigin: this.deps.settings.origins, expectedRPID: this.deps.settings.rpId };
  }

  private async storeChallenge(challenge: string, purpose: PasskeyChallenge['purpose'], userId?: string): Promise<string> {
    const challengeId = newId();
    const expiresAt = epochSeconds(this.deps.clock) + this.deps.settings.challengeTtlSeconds;
    await this.deps.challenges.put({ challengeId, challenge, purpose, ...(userId ? { userId } : {}), expiresAt });
    return challengeId;
  }

  /** One conditional delete decides: of two requests with one challenge, one gets it; an expired or unknown one nobody does. */
  private async consume(challengeId: string, purpose: PasskeyChallenge['purpose'], userId?: string): Promise<PasskeyChallenge> {
    const challenge = await this.deps.challenges.consume(challengeId, epochSeconds(this.deps.clock));
    if (!challenge || challenge.purpose !== purpose || challenge.userId !== userId)
      throw new FormRejectedError('invalid_challenge', 'This passkey request expired or was already used. Please try again.', {
        [PASSKEY_FIELD]: 'Unknown, expired or used challenge.',
      });
    return challenge;
  }

  private takeGuess(userId: string, clientIp: string) {
    return takeFactorGuess({ throttles: this.deps.throttles, clock: this.deps.clock, allowance: this.deps.settings.guesses }, userId, clientIp, PASSKEY_FIELD);
  }

  private async profile(userId: string): Promise<UserProfile> {
    const profile = await this.deps.accounts.getProfile(userId);
    if (!profile) throw new NotFoundError('This account no longer exists.');
    return profile;
  }
}

/**
 * WebAuthn §6.1.1: an authenticator that keeps a signature counter (either
 * value non-zero) must present a larger one each time; one that keeps none
 * presents 0 every time.
 */
export function isClonedCounter(stored: number, presented: number): boolean {
  return (stored > 0 || presented > 0) && presented <= stored;
}

function safeUtf8(base64url: string): string | undefined {
  try {
    return isoBase64URL.isBase64URL(base64url) ? isoBase64URL.toUTF8String(base64url) : undefined;
  } catch {
    return undefined;
  }
}

function unknownPasskey(): FormRejectedError {
  return new FormRejectedError('unknown_passkey', 'This passkey is not registered to this account.', { [PASSKEY_FIELD]: 'Unknown passkey.' });
}

function invalidPasskey(): FormRejectedError {
  return new FormRejectedError('invalid_passkey', 'This passkey answer could not be verified. Please try again.', {
    [PASSKEY_FIELD]: 'The passkey answer is not valid.',
  });
}

/** The library's refusals, as documented codes: the origin, the RP id, the challenge, or anything else about the answer. */
function refusal(error: unknown): FormRejectedError {
  const message = error instanceof Error ? error.message : '';
  if (error instanceof Error && error.name === 'UnexpectedRPIDHash')
    return new FormRejectedError('wrong_rp_id', 'This passkey belongs to another site.', { [PASSKEY_FIELD]: 'Wrong relying party.' });
  if (/response origin/.test(message))
    return new FormRejectedError('wrong_origin', 'This passkey answer came from another site.', { [PASSKEY_FIELD]: 'Wrong origin.' });
  if (/response challenge/.test(message))
    return new FormRejectedError('invalid_challenge', 'This passkey answer does not match its request. Please try again.', {
      [PASSKEY_FIELD]: 'The answer signs another challenge.',
    });
  return invalidPasskey();
}
