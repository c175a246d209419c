import { clientNetwork } from '../client-network';
import { type Clock, epochSeconds } from '../clock';
import type { VerifiedSignIn } from '../email-verification';
import { FormRejectedError, TooManyAttemptsError, UnauthenticatedError } from '../errors';
import type { PasskeyAnswer } from '../factors/passkeys';
import type { PasswordCheck } from '../password-check';
import type { ThrottleStore } from '../ports';
import type { SessionCheck } from '../session-check';
import { passwordProof } from '../sessions';
import type { ClientRegistry } from './clients';
import type { DeviceFlow } from './device-flow';
import type { DeviceGrant } from './ports';
import { formatUserCode } from './user-code';

export interface ActivationSettings {
  /** Wrong user codes one client IP may enter per window before it must wait. */
  maxFailures: number;
  windowSeconds: number;
}

export interface ActivationDeps {
  devices: DeviceFlow;
  clients: ClientRegistry;
  throttles: ThrottleStore;
  /** The Login Flow's sign-in rules (back-off, IP window, decoy hash) without a session. */
  signIn: PasswordCheck;
  /** Bearer approvals: the token and its session. */
  sessions: SessionCheck;
  clock: Clock;
  /**
   * With LOGIN_REQUIRES_VERIFIED_EMAIL: an unverified address may not approve
   * (403 email_not_verified; the page offers a new link), and the grant stays
   * pending, so the same code works once the address is confirmed.
   */
  verifiedSignIn?: VerifiedSignIn;
}

/** Who approves: a user signing in on the page, or an app that already holds the user's access token. */
/** An app's session (Bearer), or email + password with the account's second factor when it has one (`otp` or `passkey`). */
export type Approver = { email: string; password: string; otp?: string; passkey?: PasskeyAnswer } | { accessToken: string };

/** What the page shows once a code is found. */
export interface CodeDescription {
  user_code: string;
  client_id: string;
  client_name: string;
  expires_in: number;
}

export { clientNetwork };

export const activationThrottleKey = (ip: string, windowIndex: number) => `activate#ip#${clientNetwork(ip)}#${windowIndex}`;

/**
 * The user side of the device flow (/activate). Every code that does not open
 * a pending grant counts against the caller's IP, so the 2.56e10 code space
 * cannot be searched: see docs/tv-sign-in.md ("/activate and the brute-force bound") for the bound.
 */
export class Activation {
  constructor(
    private readonly deps: ActivationDeps,
    private readonly settings: ActivationSettings,
  ) {}

  async lookup(userCode: string, clientIp: string): Promise<CodeDescription> {
    return this.describe(await this.openGrant(userCode, clientIp));
  }

  /** Approves (after authenticating the approver) or denies the grant behind `userCode`. */
  async decide(input: {
    userCode: string;
    decision: 'approve' | 'deny';
    approver?: Approver;
    clientIp: string;
    correlationId?: string;
  }): Promise<CodeDescription & { decision: 'approved' | 'denied' }> {
    const grant = await this.openGrant(input.userCode, input.clientIp);
    const description = this.describe(grant);
    if (input.decision === 'deny') {
      // Denying needs no sign-in: whoever sees the code on the TV may refuse it, and the code was just proven live.
      if (!(await this.deps.devices.deny(grant.userCode))) throw await this.closedNow(grant.userCode);
      return { ...description, decision: 'denied' };
    }
    if (!input.approver) throw new UnauthenticatedError('Sign in to connect your TV.');
    const { userId, session, amr } = await this.authenticate(input.approver, input.clientIp, input.correlationId);
    await this.deps.verifiedSignIn?.requireVerified(userId);
    if (!(await this.deps.devices.approve(grant.userCode, userId, session, amr))) throw await this.closedNow(grant.userCode);
    return { ...description, decision: 'approved' };
  }

  private async authenticate(
    approver: Approver,
    clientIp: string,
    correlationId?: string,
  ): Promise<{ userId: string; session?: { familyId: string; issuedAt: number }; amr?: string[] }> {
    // A signed-out session's access token is still unexpired for a while; it may not approve anything (SessionCheck), nor may a disabled account.
    // The check is repeated in the approval's own write (a sign-out can land between this read and that write).
    if ('accessToken' in approver) {
      const claims = await this.deps.sessions.verify(approver.accessToken);
      return {
        userId: claims.sub,
        session: { familyId: claims.sid, issuedAt: claims.iat ?? 0 },
        ...(claims.session.amr.length ? { amr: claims.session.amr } : {}),
      };
    }
    // An account with a second factor needs its code here too (`otp`, PasswordCheck): the TV is never reached with the password alone.
    const checked = await this.deps.signIn.verify(approver.email, approver.password, clientIp, {
      ...(approver.otp !== undefined ? { otp: approver.otp } : {}),
      ...(approver.passkey !== undefined ? { passkey: approver.passkey } : {}),
      ...(correlationId ? { correlationId } : {}),
    });
    return { userId: checked.userId, amr: passwordProof(checked.factorUsedAt, checked.factorMethod).amr };
  }

  /** The pending, live grant of `userCode`, counting a failure for the caller's IP when there is none. */
  private async openGrant(userCode: string, clientIp: string): Promise<DeviceGrant> {
    const now = epochSeconds(this.deps.clock);
    const { windowSeconds, maxFailures } = this.settings;
    const windowIndex = Math.floor(now / windowSeconds);
    const key = activationThrottleKey(clientIp, windowIndex);
    const windowEnd = (windowIndex + 1) * windowSeconds;
    // Taken before the lookup, so a burst of guesses looks up at most `maxFailures` codes; a code that opens a grant gives its unit back.
    const taken = await this.deps.throttles.take(key, { limit: maxFailures, now, expiresAt: windowEnd });
    if (!taken.taken) throw new TooManyAttemptsError(Math.max(1, windowEnd - now), { user_code: true });

    const grant = await this.deps.devices.find(userCode);
    if (grant && this.deps.devices.isOpen(grant)) {
      await this.deps.throttles.giveBack(key);
      return grant;
    }
    throw closedError(grant, now);
  }

  /** A decision lost a race (the code expired, or was decided, in between): say what it is now. */
  private async closedNow(userCode: string): Promise<FormRejectedError> {
    return closedError(await this.deps.devices.find(userCode), epochSeconds(this.deps.clock));
  }

  private describe(grant: DeviceGrant): CodeDescription {
    return {
      user_code: formatUserCode(grant.userCode),
      client_id: grant.clientId,
      client_name: this.deps.clients.find(grant.clientId)?.name ?? 'your TV app',
      expires_in: Math.max(0, grant.codeExpiresAt - epochSeconds(this.deps.clock)),
    };
  }
}

/** Why a code cannot be used, in words a person understands. */
function closedError(grant: DeviceGrant | undefined, now: number): FormRejectedError {
  const reject = (code: string, message: string) => new FormRejectedError(code, message, { user_code: message });
  if (!grant) return reject('unknown_code', 'This code is not valid. Check the code shown on your TV and try again.');
  if (grant.status === 'approved' || grant.status === 'redeemed') {
    return reject('code_used', 'This code was already used. If your TV is not signed in, start again on the TV to get a new code.');
  }
  if (grant.status === 'denied') return reject('code_denied', 'This sign-in was cancelled. Start again on your TV to get a new code.');
  if (now >= grant.codeExpiresAt) return reject('code_expired', 'This code has expired. Start again on your TV to get a new code.');
  return reject('unknown_code', 'This code is not valid. Check the code shown on your TV and try again.');
}
