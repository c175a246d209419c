import { createHmac } from 'node:crypto';
import { AccountDisabledError } from './admin/disabled';
import { type Clock, epochSeconds } from './clock';
import { InvalidRefreshTokenError } from './errors';
import type { HmacKeyRing } from './hmac-key-ring';
import type { CredentialGuard, RefreshTokenKey, SessionFamily, SessionStore, ThrottleRelease } from './ports';
import { newId, randomToken, safeEqual, sha256 } from './random';

export interface SessionSettings {
  /** Absolute lifetime of a family from its sign-in (ASVS 10.4.8). */
  absoluteTtlSeconds: number;
  /** A family unused this long ends. */
  idleTtlSeconds: number;
  /**
   * How long the token a rotation replaced still gets the same successor (a
   * client that lost the answer retries); 0 turns the grace off. Default 30.
   */
  graceSeconds?: number;
}

/** How many rotations back a presented token is still recognised as this family's (reuse), rather than unknown. */
export const REMEMBERED_ROTATIONS = 100;

const SEGMENT = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Refresh tokens are `<userId>.<familyId>.<secret>`: the ids locate the family
 * with one key lookup, the 256-bit secret proves possession and is stored only
 * as its SHA-256.
 */
export function parseRefreshToken(token: string): { userId: string; familyId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return undefined;
  return { userId: parts[0], familyId: parts[1] };
}

function mintToken(userId: string, familyId: string): { token: string; hash: string } {
  const token = `${userId}.${familyId}.${randomToken(32)}`;
  return { token, hash: sha256(token) };
}

/**
 * The token that follows `token` in its family: the same ids and
 * HMAC-SHA256(server key, token) as the secret. Deterministic, so a retried
 * or duplicated refresh of one token computes the one successor the first
 * request stored, and the chain can be walked forward to recognise older
 * tokens of the family without storing them. Unpredictable without the key,
 * so a token's holder cannot compute its successor before it is issued.
 */
export function successorToken(key: Uint8Array, token: string, userId: string, familyId: string): string {
  return `${userId}.${familyId}.${createHmac('sha256', key).update(token, 'utf8').digest('base64url')}`;
}

/** The keys a ring accepts, current first. */
function keysOf(ring: HmacKeyRing): Uint8Array[] {
  return ring.previous ? [ring.current, ring.previous] : [ring.current];
}

/** How a sign-in was proven: the session keeps it, and every token of the session carries it (`amr`, `auth_time`). */
export interface SignInProof {
  /** RFC 8176 method references: `pwd`, plus `otp` and `mfa` when a second factor was proven. */
  amr: string[];
  /** A second factor was proven at this instant (epoch seconds). */
  factorUsedAt?: number;
}

/** The `amr` of a sign-in: the password alone, or the password and a one-time code (RFC 8176 §2: `mfa` when two factors). */
export function passwordProof(factorUsedAt?: number, factorMethod = 'otp'): SignInProof {
  return factorUsedAt === undefined ? { amr: ['pwd'] } : { amr: ['pwd', factorMethod, 'mfa'], factorUsedAt };
}

/**
 * The `amr` of a passkey sign-in alone (docs/security.md, "Second factors and passkeys"): `swk` for a
 * synced (backed-up) passkey, `hwk` for one bound to its device; with user
 * verification (a PIN or biometric on the authenticator) also `user` and
 * `mfa`, and it counts as a factor used now.
 */
export function passkeyProof(passkey: { backedUp: boolean; userVerified: boolean }, now: number): SignInProof {
  const method = passkey.backedUp ? 'swk' : 'hwk';
  return passkey.userVerified ? { amr: [method, 'user', 'mfa'], factorUsedAt: now } : { amr: [method] };
}

/** A session's `amr` once a factor (by `method`) was proven in it: `mfa` joins; a session that kept no methods was a password one. */
export function withFactor(amr: readonly string[], method: string): string[] {
  const before = amr.length ? amr.filter((value) => value !== 'mfa') : ['pwd'];
  return [...new Set([...before, method, 'mfa'])];
}

export interface StartedSession {
  refreshToken: string;
  family: SessionFamily;
}

export interface RotatedSession {
  userId: string;
  familyId: string;
  clientId?: string;
  refreshToken: string;
  /** The `email_verified` claim, as the family knows it (stamped at sign-in, set when the address is confirmed). */
  emailVerified?: boolean;
  /** The sign-in's `amr` and `auth_time`, kept by the family, so refreshed tokens carry them too. */
  amr?: string[];
  authTime?: number;
}

/** What a new family records: the OAuth client it is bound to, the `email_verified` claim it carries, how it was proven. */
export interface NewFamily {
  clientId?: string;
  /** The client's network (sessionNetwork), shown to the user in their sessions list. */
  network?: string;
  emailVerified?: boolean;
  proof?: SignInProof;
}

/** A family to store now: a sign-in's credential guard (the password it checked still holds) and its throttle release ride in the same request. */
export interface SessionStart extends NewFamily {
  credentialGuard?: CredentialGuard;
  release?: ThrottleRelease;
}

/**
 * Refresh-token families (RFC 9700 §4.14.2): every sign-in starts a family;
 * every refresh rotates its token; a rotated token presented again revokes the
 * whole family, whoever presents it.
 */
export class Sessions {
  /**
   * `refreshKey` is read only when a token is rotated: functions that only
   * start families (register, login) never need it and are never given it.
   */
  constructor(
    private readonly store: SessionStore,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
    private readonly refreshKey?: RefreshTokenKey,
  ) {}

  /** A new family, not yet stored: register writes it inside its own transaction. */
  newFamily(userId: string, { clientId, network, emailVerified, proof }: NewFamily = {}): StartedSession {
    const now = epochSeconds(this.clock);
    const familyId = newId();
    const { token, hash } = mintToken(userId, familyId);
    const absoluteExpiresAt = now + this.settings.absoluteTtlSeconds;
    return {
      refreshToken: token,
      family: {
        userId,
        familyId,
        currentHash: hash,
        ...(clientId ? { clientId } : {}),
        ...(network ? { network } : {}),
        ...(emailVerified !== undefined ? { emailVerified } : {}),
        ...(proof ? { amr: proof.amr, authTime: now, ...(proof.factorUsedAt !== undefined ? { factorUsedAt: proof.factorUsedAt } : {}) } : {}),
        createdAt: now,
        lastUsedAt: now,
        absoluteExpiresAt,
        expiresAt: Math.min(absoluteExpiresAt, now + this.settings.idleTtlSeconds),
      },
    };
  }

  /** Starts and stores a family; a sign-in passes its throttle release to be written in the same request. */
  async start(userId: string, { credentialGuard, release, ...family }: SessionStart = {}): Promise<StartedSession> {
    const started = this.newFamily(userId, family);
    await this.store.startSession(started.family, credentialGuard, release);
    return started;
  }

  /**
   * Rotates `refreshToken` with one conditional write (see
   * `SessionStore.rotateSession`); throws InvalidRefreshTokenError for anything
   * but the family's current token or a retry within the grace window.
   *
   * No profile check rides along, yet a password reset or an account deletion
   * still ends the family: both delete every SESSION# item of the user (in
   * their transaction, then once more for families a racing sign-in started),
   * and the write's condition (`currentHash = presented`) cannot hold on a
   * deleted item, so no refresh can bring a family back.
   *
   * When the write is refused, the family as DynamoDB saw it comes back with
   * the refusal and decides, without another read:
   * - the current hash: the family is past a lifetime (`expired`);
   * - the previous hash, within `graceSeconds` of that rotation: a retry of a
   *   lost answer, or a concurrent duplicate; it gets the same successor
   *   (HMAC of the presented token), which is the one stored as current;
   * - the previous hash after the window, or any older token of the chain
   *   (walked forward with the key): reuse, the family is revoked;
   * - anything else (no family, a made-up secret): `unknown`.
   */
  async rotate(refreshToken: string, clientId?: string): Promise<RotatedSession> {
    const located = parseRefreshToken(refreshToken);
    if (!located) throw new InvalidRefreshTokenError('unknown');
    if (!this.refreshKey) throw new Error('Sessions.rotate needs the refresh-token key.');
    const ring = await this.refreshKey.get();
    const { userId, familyId } = located;
    const presentedHash = sha256(refreshToken);
    // New successors are derived with the current key; the previous key still recognises what it derived (below).
    const next = successorToken(ring.current, refreshToken, userId, familyId);
    const nextHash = sha256(next);
    const now = epochSeconds(this.clock);
    const idleCutoff = now - this.settings.idleTtlSeconds;

    const attempt = await this.store.rotateSession({
      userId,
      familyId,
      presentedHash,
      nextHash,
      now,
      idleCutoff,
      expiresAt: now + this.settings.idleTtlSeconds,
      ...(clientId ? { clientId } : {}),
    });
    const rotated = (family: { clientId?: string; emailVerified?: boolean; amr?: string[]; authTime?: number }): RotatedSession => ({
      userId,
      familyId,
      ...(family.clientId ? { clientId: family.clientId } : {}),
      ...(family.emailVerified !== undefined ? { emailVerified: family.emailVerified } : {}),
      ...(family.amr ? { amr: family.amr } : {}),
      ...(family.authTime !== undefined ? { authTime: family.authTime } : {}),
      refreshToken: next,
    });
    if (attempt.rotated) return rotated(attempt);

    const family = attempt.family;
    if (!family) throw new InvalidRefreshTokenError('unknown');
    // Checked before anything is revoked: a client must not burn (or reuse-revoke) another client's family.
    if (clientId && family.clientId && family.clientId !== clientId) throw new InvalidRefreshTokenError('other-client');
    // Disabling an account marks its families (see the admin store): they keep their tokens but cannot refresh until enabled.
    const genuine = safeEqual(presentedHash, family.currentHash) || (family.previousHash !== undefined && safeEqual(presentedHash, family.previousHash));
    if (family.disabledAt && genuine) throw new AccountDisabledError();
    const expired = now >= family.absoluteExpiresAt || family.lastUsedAt <= idleCutoff;
    // The current token and the client matched, so only a lifetime can have failed the condition.
    if (safeEqual(presentedHash, family.currentHash)) throw new InvalidRefreshTokenError('expired');

    if (family.previousHash && safeEqual(presentedHash, family.previousHash)) {
      const grace = this.settings.graceSeconds ?? 30;
      const inGrace = grace > 0 && family.rotatedAt !== undefined && now < family.rotatedAt + grace;
      const stored = inGrace ? await this.successorStoredAs(refreshToken, family, ring) : undefined;
      if (stored) {
        if (expired) throw new InvalidRefreshTokenError('expired');
        return { ...rotated(family), refreshToken: stored };
      }
      await this.store.revokeSession(userId, familyId);
      throw new InvalidRefreshTokenError('reused');
    }
    if (
      keysOf(ring).some((key) => this.isOlderToken(key, successorToken(key, refreshToken, userId, familyId), family)) ||
      family.rotatedHashes?.some((hash) => safeEqual(hash, presentedHash))
    ) {
      await this.store.revokeSession(userId, familyId);
      throw new InvalidRefreshTokenError('reused');
    }
    throw new InvalidRefreshTokenError('unknown');
  }

  /**
   * The successor of `token` that the family stores as current, derived with
   * whichever key of the ring derived it: a retry that straddles a key
   * rotation (the first request derived with the key now previous) still gets
   * its successor. A ring that knows neither key is read again once, for a key
   * rotated in since this instance read it.
   */
  private async successorStoredAs(token: string, family: SessionFamily, ring: HmacKeyRing): Promise<string | undefined> {
    const match = (keys: Uint8Array[]) =>
      keys.map((key) => successorToken(key, token, family.userId, family.familyId)).find((successor) => safeEqual(sha256(successor), family.currentHash));
    return match(keysOf(ring)) ?? (this.refreshKey?.reload ? match(keysOf(await this.refreshKey.reload())) : undefined);
  }

  /** True when walking the chain forward from `successor` reaches the family's previous or current token. */
  private isOlderToken(key: Uint8Array, successor: string, family: SessionFamily): boolean {
    let token = successor;
    for (let step = 0; step < REMEMBERED_ROTATIONS; step += 1) {
      const hash = sha256(token);
      if (hash === family.previousHash || hash === family.currentHash) return true;
      token = successorToken(key, token, family.userId, family.familyId);
    }
    return false;
  }

  /** Ends the family the token belongs to, if the token is genuine (current or rotated). Unknown tokens are ignored (RFC 7009). */
  async revoke(refreshToken: string): Promise<void> {
    const located = parseRefreshToken(refreshToken);
    if (!located) return;
    const family = await this.store.getSession(located.userId, located.familyId);
    if (!family) return;
    const presented = sha256(refreshToken);
    // Without the refresh key (the revoke function is not given it) older tokens of the chain are not recognised: current, previous, legacy list.
    const genuine =
      safeEqual(presented, family.currentHash) ||
      (family.previousHash !== undefined && safeEqual(presented, family.previousHash)) ||
      (family.rotatedHashes ?? []).some((hash) => safeEqual(hash, presented));
    if (genuine) await this.store.revokeSession(family.userId, family.familyId);
  }
}
