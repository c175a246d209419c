import { CircuitBreaker } from '../../core/circuit-breaker';
import type { Clock } from '../../core/clock';
import type { LegacyAnswer, LegacyLogin, LegacyProfile } from '../../core/legacy-migration';

export interface LegacyLoginSettings {
  /** The old provider's Login Flow login endpoint: POST {email, password} -> 200 tokens / 403. */
  loginUrl: string;
  /** Optional: GET with `Authorization: Bearer <legacy access token>` -> the user's names and fields. */
  profileUrl?: string;
  /** Each call is aborted after this long. */
  timeoutMs: number;
  circuit: { failuresToOpen: number; openMs: number };
}

const NAME_FIELDS = ['firstName', 'lastName'] as const;
/** Profile fields never copied into attributes: ours, or the old system's secrets. */
const NOT_ATTRIBUTES = new Set(['firstName', 'lastName', 'email', 'id', 'password', 'passwordHash', 'access_token', 'refresh_token', 'token', 'status']);

/**
 * The old provider's Login Flow API, server to server: one attempt per sign-in
 * (a user is waiting, and a retried password POST would count twice at the
 * old provider's own throttle), a bounded timeout, and a circuit breaker so an
 * outage costs one timeout per minute, not one per sign-in. Passwords, tokens
 * and bodies are never logged or returned in an error.
 */
export class LegacyLoginClient implements LegacyLogin {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly settings: LegacyLoginSettings,
    clock: Clock,
    private readonly fetcher: typeof fetch = fetch,
  ) {
    this.breaker = new CircuitBreaker(settings.circuit, clock);
  }

  async login(email: string, password: string): Promise<LegacyAnswer> {
    if (!this.breaker.allow()) return { kind: 'unavailable', reason: 'circuit open' };
    let response: Response;
    try {
      response = await this.fetcher(this.settings.loginUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email, password }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      this.breaker.failed();
      return { kind: 'unavailable', reason: (error as { name?: unknown } | undefined)?.name === 'TimeoutError' ? 'timeout' : 'network error' };
    }
    const answer = await this.interpret(response);
    if (answer.kind === 'unavailable') this.breaker.failed();
    else this.breaker.succeeded();
    return answer;
  }

  private async interpret(response: Response): Promise<LegacyAnswer> {
    let text: string;
    try {
      text = await response.text();
    } catch {
      return { kind: 'unavailable', reason: 'body not read in time' };
    }
    if (response.status === 200) {
      const accessToken = parseJson(text)?.access_token;
      // A 200 without a token is outside the contract: do not create an account on it.
      return typeof accessToken === 'string' && accessToken ? { kind: 'accepted', accessToken } : { kind: 'unavailable', reason: '200 without access_token' };
    }
    // 403 is the contract's failure; other 4xx (400, 401, 404) are read the same way: the old API did not accept the password.
    if (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408) return { kind: 'rejected' };
    return { kind: 'unavailable', reason: `status ${response.status}` };
  }

  async profile(accessToken: string): Promise<LegacyProfile | undefined> {
    if (!this.settings.profileUrl) return undefined;
    try {
      const response = await this.fetcher(this.settings.profileUrl, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'error',
      });
      if (response.status !== 200) return undefined;
      const body = parseJson(await response.text());
      if (!body) return undefined;
      const profile: LegacyProfile = {};
      for (const field of NAME_FIELDS) if (typeof body[field] === 'string') profile[field] = (body[field] as string).slice(0, 200);
      const attributes = Object.fromEntries(
        Object.entries(body)
          .filter(([key, value]) => !NOT_ATTRIBUTES.has(key) && ['string', 'number', 'boolean'].includes(typeof value) && String(value).length <= 1000)
          .slice(0, 50),
      );
      if (Object.keys(attributes).length) profile.attributes = attributes;
      return profile;
    } catch {
      // Names are a nicety: the sign-in goes on without them.
      return undefined;
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
