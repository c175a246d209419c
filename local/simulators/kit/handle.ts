import type { Server } from 'node:http';
import { type CallCounter, close, type Fault, type FaultPlan } from '../common';
import { type AccessTokens, sameSecret } from './tokens';

/** The client credentials a partner's token endpoint accepts; a test may rotate them. */
export class ClientCredentials {
  constructor(
    public id: string,
    public secret: string,
  ) {}

  matches(id: string, secret: string): boolean {
    return id === this.id && sameSecret(secret, this.secret);
  }
}

/** What every client-credentials partner simulator offers a test. */
export interface PartnerControls {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Requests so far to a path such as `/auth/proxy/m2m/token`. */
  calls(path: string): number;
  fail(fault: Fault): void;
  clearFaults(): void;
  /** Rotates the client credentials: tokens already issued stay valid until they expire, as at a real partner. */
  setCredentials(clientId: string, clientSecret: string): void;
  /** Forgets every issued token: the next API call with an old one is a 401. */
  revokeTokens(): void;
  /** Every access token issued so far (tests check that none of them reaches a log). */
  issuedTokens(): string[];
  /** Forgets faults, call counts, live tokens and what the partner stored. */
  reset(): void;
  stop(): Promise<void>;
}

export interface PartnerParts {
  readonly url: string;
  readonly server: Server;
  readonly credentials: ClientCredentials;
  readonly counter: CallCounter;
  readonly plan: FaultPlan;
  readonly tokens: AccessTokens<unknown>;
  reset(): void;
}

/** The shared controls of a running simulator plus its own (`extra`, whose getters stay live). */
export function partnerControls<Extra extends object>(parts: PartnerParts, extra: Extra): PartnerControls & Extra {
  const { credentials, counter, plan, tokens } = parts;
  const controls: PartnerControls = {
    url: parts.url,
    get clientId() {
      return credentials.id;
    },
    get clientSecret() {
      return credentials.secret;
    },
    calls: (path) => counter.count(path),
    fail: (fault) => plan.add(fault),
    clearFaults: () => plan.clear(),
    setCredentials: (id, secret) => {
      credentials.id = id;
      credentials.secret = secret;
    },
    revokeTokens: () => tokens.revokeAll(),
    issuedTokens: () => tokens.issued(),
    reset: parts.reset,
    stop: () => close(parts.server),
  };
  return Object.defineProperties(controls, Object.getOwnPropertyDescriptors(extra)) as PartnerControls & Extra;
}
