import type { AccessTokens } from '../access-tokens';
import { type Clock, epochSeconds } from '../clock';
import { isEmailVerified, type VerifiedSignIn } from '../email-verification';
import { EmailNotVerifiedError, OAuthError, ServiceUnavailableError, UnauthenticatedError } from '../errors';
import type { UserProfile } from '../ports';
import { randomToken, safeEqual, sha256 } from '../random';
import type { Sessions } from '../sessions';
import { type TokenResponse, tokenResponse } from '../token-response';
import type { ClientRegistry, PublicClient } from './clients';
import type { DeviceGrant, DeviceGrantStore } from './ports';
import { formatUserCode, generateUserCode, USER_CODE_ALPHABET, USER_CODE_LENGTH } from './user-code';

export interface DeviceFlowSettings {
  /** Lifetime of a device code and its user code (RFC 8628 `expires_in`). */
  codeTtlSeconds: number;
  /** The first polling interval (RFC 8628 `interval`). */
  pollIntervalSeconds: number;
  /** Where the user goes to enter the code, e.g. `https://login.example.com/activate`. */
  verificationUri: string;
}

export interface DeviceFlowDeps {
  store: DeviceGrantStore;
  clients: ClientRegistry;
  sessions: Sessions;
  tokens: AccessTokens;
  clock: Clock;
  /** For the `email_verified` claim of the first access token. */
  profiles?: { getProfile(userId: string): Promise<UserProfile | undefined> };
  /**
   * With LOGIN_REQUIRES_VERIFIED_EMAIL: the redemption refuses an address that
   * is not verified (any more). It takes the place of the profile read above,
   * so the check costs no extra request.
   */
  verifiedSignIn?: VerifiedSignIn;
}

/** RFC 8628 §3.2 device authorization response. */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** What `slow_down` adds to the interval (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** User-code collisions with a live grant are retried this often before giving up (each try has odds of ~live/2.56e10). */
const ALLOCATION_ATTEMPTS = 5;

/**
 * The device code carries its user code: `<USERCODE>.<256-bit secret>`. The
 * TV shows the user code anyway, so this reveals nothing, and one key lookup
 * finds the grant from either code. Only the SHA-256 of the whole device code
 * is stored.
 */
const DEVICE_CODE = new RegExp(`^([${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}})\\.[A-Za-z0-9_-]{43}$`);

/**
 * A poll that arrives a little early is not "too fast": requests that left the
 * device exactly `interval` apart can arrive closer together. A fifth of the
 * interval, at most one second.
 */
export function pollTolerance(intervalSeconds: number): number {
  return Math.min(1000, intervalSeconds * 200);
}

/**
 * The RFC 8628 device authorization grant: the TV asks for codes, the user
 * approves on /activate, the TV polls until exactly one poll gets tokens.
 * Tokens are ordinary session families (the same as the Login Flow's), bound
 * to the client id.
 */
export class DeviceFlow {
  constructor(
    private readonly deps: DeviceFlowDeps,
    private readonly settings: DeviceFlowSettings,
  ) {}

  client(clientId: string | undefined): PublicClient {
    const client = this.deps.clients.find(clientId);
    if (!client) throw new OAuthError('invalid_client', 'This client_id is not registered for the device flow.');
    return client;
  }

  async authorize(clientId: string | undefined, scope?: string): Promise<DeviceAuthorization> {
    const client = this.client(clientId);
    const nowMs = this.deps.clock.now();
    const now = Math.floor(nowMs / 1000);
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt += 1) {
      const userCode = generateUserCode();
      const deviceCode = `${userCode}.${randomToken(32)}`;
      const grant: DeviceGrant = {
        userCode,
        deviceCodeHash: sha256(deviceCode),
        clientId: client.clientId,
        ...(scope ? { scope } : {}),
        status: 'pending',
        createdAt: now,
        codeExpiresAt: now + this.settings.codeTtlSeconds,
        interval: this.settings.pollIntervalSeconds,
        // The first poll must wait an interval too, counted from now.
        lastPolledAt: nowMs,
      };
      if (await this.deps.store.create(grant, now)) {
        const shown = formatUserCode(userCode);
        return {
          device_code: deviceCode,
          user_code: shown,
          verification_uri: this.settings.verificationUri,
          verification_uri_complete: `${this.settings.verificationUri}?user_code=${encodeURIComponent(shown)}`,
          expires_in: this.settings.codeTtlSeconds,
          interval: this.settings.pollIntervalSeconds,
        };
      }
    }
    throw new ServiceUnavailableError('Could not allocate a user code right now. Please try again.');
  }

  /**
   * One poll of the token endpoint (RFC 8628 §3.4-3.5). Every answer but the
   * tokens is an OAuthError, so "keep polling" is never a 2xx.
   */
  async poll(clientId: string | undefined, deviceCode: string): Promise<TokenResponse> {
    const client = this.client(clientId);
    const userCode = DEVICE_CODE.exec(deviceCode)?.[1];
    if (!userCode) throw new OAuthError('invalid_grant', 'The device_code is not valid.');
    const presented = sha256(deviceCode);

    // The grant can change under us (approved, redeemed) at most twice; each change means: read again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const grant = await this.deps.store.get(userCode);
      if (!grant || !safeEqual(grant.deviceCodeHash, presented)) throw new OAuthError('invalid_grant', 'The device_code is not valid.');
      if (grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'The device_code was issued to another client.');
      if (grant.status === 'redeemed') throw new OAuthError('invalid_grant', 'The device_code was already exchanged for tokens.');
      const nowMs = this.deps.clock.now();
      if (Math.floor(nowMs / 1000) >= grant.codeExpiresAt) throw new OAuthError('expired_token', 'The device_code has expired. Start again to get a new code.');
      if (grant.status === 'denied') throw new OAuthError('access_denied', 'The user declined the sign-in.');

      if (grant.status === 'approved' && grant.userId) {
        // Sign first: once the grant is spent, nothing may fail before the answer.
        const profile = await this.approverProfile(grant.userId);
        const emailVerified = profile ? isEmailVerified(profile) : undefined;
        // The TV's session says how its approver signed in (`amr`); a step-up on the phone is not carried over (no `factorUsedAt`).
        const started = this.deps.sessions.newFamily(grant.userId, {
          clientId: grant.clientId,
          emailVerified,
          ...(grant.amr ? { proof: { amr: grant.amr } } : {}),
        });
        const response = await tokenResponse(this.deps.tokens, started.family, started.refreshToken, emailVerified);
        const outcome = await this.deps.store.redeem(userCode, presented, started.family, grant.decidedAt ?? grant.createdAt);
        if (outcome === 'redeemed') return response;
        if (outcome === 'user-gone') throw new OAuthError('invalid_grant', 'The account that approved this sign-in no longer exists.');
        if (outcome === 'disabled') throw new OAuthError('access_denied', 'This account has been disabled. Please contact support.');
        if (outcome === 'signed-out')
          throw new OAuthError(
            'access_denied',
            'The account signed out everywhere or changed its password after approving this sign-in. Start again on the TV.',
          );
        continue;
      }

      // Pending: a poll earlier than the interval (less a little jitter) slows the device down, and the slower interval sticks.
      const tooFast = nowMs - grant.lastPolledAt < grant.interval * 1000 - pollTolerance(grant.interval);
      const interval = tooFast ? grant.interval + SLOW_DOWN_STEP_SECONDS : grant.interval;
      if (!(await this.deps.store.recordPoll(userCode, presented, nowMs, interval))) continue;
      if (tooFast) throw new OAuthError('slow_down', `Polling too often: wait ${interval} seconds between requests.`);
      throw new OAuthError('authorization_pending', 'The user has not approved the sign-in yet. Keep polling.');
    }
    throw new OAuthError('authorization_pending', 'The user has not approved the sign-in yet. Keep polling.');
  }

  /**
   * The approver's profile as stored now. The approval itself was checked on
   * /activate, but the address may have changed (or the setting been turned
   * on) since. RFC 8628 §3.5 lets the token endpoint answer `access_denied`
   * for a refused authorization; the grant is left approved, so a poll after
   * the address is confirmed still gets tokens.
   */
  private async approverProfile(userId: string): Promise<UserProfile | undefined> {
    if (!this.deps.verifiedSignIn) return this.deps.profiles?.getProfile(userId);
    try {
      return await this.deps.verifiedSignIn.requireVerified(userId);
    } catch (error) {
      if (error instanceof EmailNotVerifiedError) throw new OAuthError('access_denied', `Email address not confirmed. ${error.message}`);
      if (error instanceof UnauthenticatedError) throw new OAuthError('invalid_grant', 'The account that approved this sign-in no longer exists.');
      throw error;
    }
  }

  /** The grant behind a user code, whatever its state; undefined when unknown. */
  find(userCode: string): Promise<DeviceGrant | undefined> {
    return this.deps.store.get(userCode);
  }

  /** True when the grant is pending and its code still lives. */
  isOpen(grant: DeviceGrant): boolean {
    return grant.status === 'pending' && epochSeconds(this.deps.clock) < grant.codeExpiresAt;
  }

  /** See DeviceGrantStore.decide: the approval's write checks the approving session against the user's sign-out cut. */
  approve(userCode: string, userId: string, session?: { familyId: string; issuedAt: number }, amr?: string[]): Promise<boolean> {
    return this.deps.store.decide(
      userCode,
      { status: 'approved', userId, ...(session ? { session } : {}), ...(amr ? { amr } : {}) },
      epochSeconds(this.deps.clock),
    );
  }

  deny(userCode: string): Promise<boolean> {
    return this.deps.store.decide(userCode, { status: 'denied' }, epochSeconds(this.deps.clock));
  }
}
