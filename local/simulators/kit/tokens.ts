import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearer } from '../common';

/** Constant-time comparison of a presented client secret with the expected one. */
export const sameSecret = (presented: string, expected: string): boolean =>
  presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));

/** The body as a JSON object; undefined when it is not JSON or not an object (the caller answers its partner's 400). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Bearer access tokens a simulator issued, each with what it stands for.
 * Every token ever issued stays listed (tests check none reaches a log) even
 * after it is revoked.
 */
export class AccessTokens<Holder = true> {
  private readonly live = new Map<string, { holder: Holder; expiresAt: number }>();
  private readonly everIssued: string[] = [];

  issue(token: string, lifetimeSeconds: number, holder: Holder): string {
    this.live.set(token, { holder, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    this.everIssued.push(token);
    return token;
  }

  /** Who the request's `Authorization: Bearer` token stands for; undefined when it is missing, unknown, revoked or expired. */
  holder(request: IncomingMessage): Holder | undefined {
    const token = bearer(request);
    const entry = token ? this.live.get(token) : undefined;
    return entry && entry.expiresAt >= Date.now() ? entry.holder : undefined;
  }

  revokeAll(): void {
    this.live.clear();
  }

  issued(): string[] {
    return [...this.everIssued];
  }
}
