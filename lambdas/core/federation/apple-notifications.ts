import { type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { type Clock, epochSeconds } from '../clock';
import { ServiceUnavailableError, ValidationError } from '../errors';
import type { SessionStore, ThrottleStore } from '../ports';
import { sha256 } from '../random';
import { throttleKeys } from '../throttle';
import { claimIsTrue, ID_TOKEN_SKEW_SECONDS, type ProviderKeys } from './id-token';
import type { FederatedIdentityStore } from './ports';

/** The events of Apple's server-to-server notifications ("Processing changes for Sign in with Apple accounts"). */
export const APPLE_NOTIFICATION_EVENTS = ['email-disabled', 'email-enabled', 'consent-revoked', 'account-delete'] as const;
export type AppleNotificationEvent = (typeof APPLE_NOTIFICATION_EVENTS)[number];

/** One verified notification: what happened to which Apple identity, and when Apple says it happened. */
export interface AppleNotification {
  type: AppleNotificationEvent;
  sub: string;
  /** Epoch seconds (`event_time` is milliseconds at Apple). */
  eventTime: number;
  email?: string;
  isPrivateEmail: boolean;
  /** The one-use mark's key: the JWT's `jti`, or its SHA-256. */
  eventId: string;
  /** The JWT's `exp` (or iat + a day): the one-use mark is kept until then. */
  expiresAt: number;
}

/** What we did with a notification (the handler's log and metric). */
export type AppleNotificationOutcome = 'unlinked' | 'relay-state-recorded' | 'unknown-identity' | 'replayed' | 'ignored';

export interface AppleNotificationDeps {
  /** Apple's issuer(s), keys and allowed client ids; undefined when Apple is not configured. */
  trust(): Promise<{ issuers: readonly string[]; keys: ProviderKeys; clientIds: readonly string[] } | undefined>;
  identities: Pick<FederatedIdentityStore, 'getIdentity' | 'unlink' | 'recordRelayEmailState'>;
  sessions: Pick<SessionStore, 'revokeAllSessions'>;
  throttles: ThrottleStore;
  clock: Clock;
}

const MAX_MARK_SECONDS = 24 * 3600;

const refused = (reason: string) => new ValidationError(`This is not a notification signed by Apple (${reason}).`, { payload: 'Not a valid notification.' });

/**
 * Apple's server-to-server notifications (docs/native-sign-in.md, "Apple's obligations"):
 * the JWS verified like an ID token (Apple's keys, `iss`, `aud` in the
 * allow-list, `iat`/`exp` with skew), spent once by its event id, then acted on:
 * consent-revoked and account-delete unlink the identity and end the account's
 * sessions; email-disabled/enabled record the relay's state on the identity
 * (only when newer than the state recorded: a late replay never flips it back).
 */
export class AppleNotifications {
  constructor(private readonly deps: AppleNotificationDeps) {}

  async verify(jws: string): Promise<AppleNotification> {
    const trust = await this.deps.trust();
    if (!trust?.clientIds.length) throw refused('Apple is not configured');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jws, trust.keys, {
        algorithms: ['RS256', 'ES256'],
        issuer: [...trust.issuers],
        audience: [...trust.clientIds],
        clockTolerance: ID_TOKEN_SKEW_SECONDS,
        currentDate: new Date(this.deps.clock.now()),
        requiredClaims: ['iat'],
      }));
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      throw refused(error instanceof joseErrors.JOSEError ? error.code : 'malformed');
    }
    const now = epochSeconds(this.deps.clock);
    const iat = payload.iat as number;
    if (iat > now + ID_TOKEN_SKEW_SECONDS) throw refused('iat in the future');
    let events: Record<string, unknown>;
    try {
      const raw = typeof payload.events === 'string' ? JSON.parse(payload.events) : payload.events;
      events = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    } catch {
      throw refused('events is not JSON');
    }
    const type = events.type;
    const sub = events.sub;
    if (typeof type !== 'string' || !(APPLE_NOTIFICATION_EVENTS as readonly string[]).includes(type)) throw refused('unknown event');
    if (typeof sub !== 'string' || !sub) throw refused('no sub');
    const eventTimeMs = typeof events.event_time === 'number' ? events.event_time : iat * 1000;
    return {
      type: type as AppleNotificationEvent,
      sub,
      eventTime: Math.floor(eventTimeMs / 1000),
      ...(typeof events.email === 'string' && events.email ? { email: events.email } : {}),
      isPrivateEmail: claimIsTrue(events.is_private_email),
      eventId: typeof payload.jti === 'string' && payload.jti ? payload.jti : sha256(jws),
      expiresAt: typeof payload.exp === 'number' ? payload.exp : iat + MAX_MARK_SECONDS,
    };
  }

  /** Verifies and acts; a replay (same event id) answers as the first did, without acting again. */
  async receive(jws: string): Promise<{ notification: AppleNotification; outcome: AppleNotificationOutcome }> {
    const notification = await this.verify(jws);
    const { throttles, clock } = this.deps;
    const now = epochSeconds(clock);
    const mark = await throttles.take(throttleKeys.appleNotification(notification.eventId), {
      limit: 1,
      now,
      expiresAt: Math.max(notification.expiresAt, now) + 60,
    });
    if (!mark.taken) return { notification, outcome: 'replayed' };
    try {
      return { notification, outcome: await this.act(notification) };
    } catch (error) {
      // Not acted on: Apple's retry of the same event must act, not be taken for a replay.
      await throttles.giveBack(throttleKeys.appleNotification(notification.eventId)).catch(() => undefined);
      throw error;
    }
  }

  private async act(notification: AppleNotification): Promise<AppleNotificationOutcome> {
    const { identities, sessions } = this.deps;
    const identity = await identities.getIdentity('apple', notification.sub);
    if (!identity) return 'unknown-identity';
    switch (notification.type) {
      case 'consent-revoked':
      case 'account-delete':
        // An event older than the link (a late delivery, after the person linked Apple again) changes nothing.
        if (notification.eventTime < identity.linkedAt) return 'ignored';
        // The person took Sign in with Apple away from us: the identity goes, and with it every session of the
        // account (we do not know which sessions it started; a password or passkey, if any, signs in again).
        // Sessions first: if the unlink then fails, Apple's retry finds the identity and does both again.
        await sessions.revokeAllSessions(identity.userId);
        await identities.unlink(identity.userId, 'apple', identity.sub);
        return 'unlinked';
      case 'email-disabled':
      case 'email-enabled':
        await identities.recordRelayEmailState(identity, notification.type === 'email-disabled' ? 'disabled' : 'enabled', notification.eventTime);
        return 'relay-state-recorded';
      default:
        return 'ignored';
    }
  }
}
