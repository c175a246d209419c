import { AccountDisabledError } from './admin/disabled';
import { epochSeconds, type Clock } from './clock';
import { InvalidRefreshTokenError } from './errors';
import type { AccountStore, CredentialGuard, SessionFamily } from './ports';
import { newId, randomToken, safeEqual, sha256 } from './random';

export interface SessionSettings {
  /** Absolute lifetime of a family from its sign-in (ASVS 10.4.8). */
  absoluteTtlSeconds: number;
  /** A family unused this long ends. */
  idleTtlSeconds: number;
}

/** How many rotated-out token hashes a family remembers for reuse detection. */
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

export interface StartedSession {
  refreshToken: string;
  family: SessionFamily;
}

export interface RotatedSession {
  userId: string;
  familyId: string;
  clientId?: string;
  refreshToken: string;
}

/**
 * Refresh-token families (RFC 9700 §4.14.2): every sign-in starts a family;
 * every refresh rotates its token; a rotated token presented again revokes the
 * whole family, whoever presents it.
 */
export class Sessions {
  constructor(
    private readonly store: AccountStore,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
  ) {}

  /** A new family, not yet stored: register writes it inside its own transaction. */
  newFamily(userId: string, clientId?: string): StartedSession {
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
        rotatedHashes: [],
        ...(clientId ? { clientId } : {}),
        createdAt: now,
        lastUsedAt: now,
        absoluteExpiresAt,
        expiresAt: Math.min(absoluteExpiresAt, now + this.settings.idleTtlSeconds),
      },
    };
  }

  async start(userId: string, clientId?: string, credentialGuard?: CredentialGuard): Promise<StartedSession> {
    const started = this.newFamily(userId, clientId);
    await this.store.startSession(started.family, credentialGuard);
    return started;
  }

  /** Rotates `refreshToken`; throws InvalidRefreshTokenError for anything but the family's current token. */
  async rotate(refreshToken: string): Promise<RotatedSession> {
    const located = parseRefreshToken(refreshToken);
    if (!located) throw new InvalidRefreshTokenError('unknown');
    const family = await this.store.getSession(located.userId, located.familyId);
    if (!family) throw new InvalidRefreshTokenError('unknown');

    const presented = sha256(refreshToken);
    const now = epochSeconds(this.clock);
    if (!safeEqual(presented, family.currentHash)) {
      if (family.rotatedHashes.some((hash) => safeEqual(hash, presented))) {
        await this.store.revokeSession(family.userId, family.familyId);
        throw new InvalidRefreshTokenError('reused');
      }
      throw new InvalidRefreshTokenError('unknown');
    }
    if (now >= family.absoluteExpiresAt || now >= family.lastUsedAt + this.settings.idleTtlSeconds) {
      await this.store.revokeSession(family.userId, family.familyId);
      throw new InvalidRefreshTokenError('expired');
    }

    const next = mintToken(family.userId, family.familyId);
    const expiresAt = Math.min(family.absoluteExpiresAt, now + this.settings.idleTtlSeconds);
    const outcome = await this.store.rotateSession(family, presented, next.hash, now, expiresAt, REMEMBERED_ROTATIONS);
    if (outcome === 'gone') throw new InvalidRefreshTokenError('revoked');
    if (outcome === 'disabled') throw new AccountDisabledError();
    if (outcome === 'stale') {
      // Another request rotated this very token first: by the time we act it is a rotated token, so this is reuse.
      await this.store.revokeSession(family.userId, family.familyId);
      throw new InvalidRefreshTokenError('raced');
    }
    return { userId: family.userId, familyId: family.familyId, ...(family.clientId ? { clientId: family.clientId } : {}), refreshToken: next.token };
  }

  /** Ends the family the token belongs to, if the token is genuine (current or rotated). Unknown tokens are ignored (RFC 7009). */
  async revoke(refreshToken: string): Promise<void> {
    const located = parseRefreshToken(refreshToken);
    if (!located) return;
    const family = await this.store.getSession(located.userId, located.familyId);
    if (!family) return;
    const presented = sha256(refreshToken);
    const genuine = safeEqual(presented, family.currentHash) || family.rotatedHashes.some((hash) => safeEqual(hash, presented));
    if (genuine) await this.store.revokeSession(family.userId, family.familyId);
  }
}
