/**
 * A simulator of Astrato's OEM web-ticket protocol (docs/sso.md, "Astrato"):
 * - `POST /auth/proxy/m2m/token` JSON `{clientId, clientSecret}` -> `{access_token, token_type, expires_in: 600}`;
 * - `POST /oem/setup` with `Authorization: Bearer` and JSON `{email, groupIds?, ...}` -> `{ticket}`; an
 *   unknown email becomes a user; `groupIds`, when sent, replaces the groups of new and existing users
 *   alike (so an unasked-for `[]` strips groups given in Astrato), and when absent leaves them alone;
 * - `GET /auth/proxy/oem/ticket/{ticket}?embed`: the landing page; a ticket lives 60 s and works once.
 * Errors carry `{message, code, correlationId}` as in Astrato's samples.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallCounter, escapeHtml, FaultPlan, listen, randomId, readBody, sendHtml, sendJson, simulatorPage } from './common';
import { answerFault, type ErrorFaultKind, type FaultAnswers } from './kit/faults';
import { ClientCredentials, type PartnerControls, partnerControls } from './kit/handle';
import { type ProtectedJsonCall, protectedJsonBody } from './kit/protected-call';
import { partnerServer } from './kit/server';
import { AccessTokens, jsonObject } from './kit/tokens';

export const ASTRATO_PATHS = {
  token: '/auth/proxy/m2m/token',
  setup: '/oem/setup',
  ticketPrefix: '/auth/proxy/oem/ticket/',
} as const;

export interface AstratoSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  ticketLifetimeSeconds?: number;
}

/** What a test (or the control endpoint) can see and steer; `calls` counts ticket pages under ASTRATO_PATHS.ticketPrefix. */
export interface AstratoSimulator extends PartnerControls {
  /** Every /oem/setup body accepted so far, oldest first. */
  setups(): Record<string, unknown>[];
  /** The groups an Astrato user has now (undefined: no such user yet). */
  userGroups(email: string): string[] | undefined;
  /** Puts a user in groups, as an Astrato administrator would in Astrato itself. */
  setUserGroups(email: string, groupIds: string[]): void;
}

interface TicketRecord {
  email: string;
  groupIds: string[];
  expiresAt: number;
  used: boolean;
}

/** Astrato's error code and message for each injected error fault. */
const FAULT_ERRORS: Record<ErrorFaultKind, readonly [code: string, message: string]> = {
  'reject-credentials': ['UNAUTHORIZED', 'Invalid client credentials.'],
  unauthorized: ['UNAUTHORIZED', 'The access token is invalid or has expired.'],
  'rate-limit': ['TOO_MANY_REQUESTS', 'Rate limit exceeded.'],
  'server-error': ['INTERNAL_SERVER_ERROR', 'Something went wrong.'],
};

const errorBody = (code: string, message: string) => ({ message, code, correlationId: randomId(8) });

const FAULT_ANSWERS: FaultAnswers = {
  malformedBody: '{"ticket": ',
  errorBody: (kind) => errorBody(...FAULT_ERRORS[kind]),
};

export async function startAstratoSimulator(options: AstratoSimulatorOptions = {}): Promise<AstratoSimulator> {
  const credentials = new ClientCredentials(options.clientId ?? 'astrato-sim-client', options.clientSecret ?? randomId());
  const tokenSeconds = options.tokenLifetimeSeconds ?? 600;
  const ticketSeconds = options.ticketLifetimeSeconds ?? 60;
  const tokens = new AccessTokens();
  const tickets = new Map<string, TicketRecord>();
  const setups: Record<string, unknown>[] = [];
  const users = new Map<string, string[]>();
  const counter = new CallCounter();
  const plan = new FaultPlan((kind) => (kind === 'reject-credentials' ? ASTRATO_PATHS.token : ASTRATO_PATHS.setup));

  const error = (response: ServerResponse, status: number, code: string, message: string) => sendJson(response, status, errorBody(code, message));
  const injected = (path: string, response: ServerResponse) => answerFault(plan.take(path), response, path, FAULT_ANSWERS);
  const protectedCall: Omit<ProtectedJsonCall, 'path'> = {
    plan,
    faults: FAULT_ANSWERS,
    tokens,
    unauthorized: (answer) => error(answer, 401, 'UNAUTHORIZED', 'The access token is invalid or has expired.'),
    notJson: (answer) => error(answer, 400, 'BAD_REQUEST', 'The body must be JSON.'),
  };

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = jsonObject(await readBody(request));
    if (!body) {
      error(response, 400, 'BAD_REQUEST', 'The body must be JSON {clientId, clientSecret}.');
      return;
    }
    if (await injected(ASTRATO_PATHS.token, response)) return;
    if (typeof body.clientId !== 'string' || typeof body.clientSecret !== 'string') {
      error(response, 400, 'BAD_REQUEST', 'clientId and clientSecret are required.');
      return;
    }
    if (!credentials.matches(body.clientId, body.clientSecret)) {
      error(response, 401, 'UNAUTHORIZED', 'Invalid client credentials.');
      return;
    }
    const accessToken = tokens.issue(randomId(32), tokenSeconds, true);
    sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: tokenSeconds });
  }

  async function setup(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await protectedJsonBody(request, response, { ...protectedCall, path: ASTRATO_PATHS.setup });
    if (!body) return;
    const groupIds = body.groupIds;
    if (
      typeof body.email !== 'string' ||
      !/^[^\s@]+@[^\s@]+$/.test(body.email) ||
      (groupIds !== undefined && (!Array.isArray(groupIds) || !groupIds.every((id) => typeof id === 'string')))
    ) {
      error(response, 400, 'BAD_REQUEST', 'email (string) is required and groupIds, when sent, must be a list of strings.');
      return;
    }
    setups.push(body);
    const email = body.email.toLowerCase();
    if (groupIds !== undefined) users.set(email, [...(groupIds as string[])]);
    else if (!users.has(email)) users.set(email, []);
    const ticket = randomId(24);
    tickets.set(ticket, { email: body.email, groupIds: users.get(email) ?? [], expiresAt: Date.now() + ticketSeconds * 1000, used: false });
    sendJson(response, 200, { ticket });
  }

  function landing(ticket: string, embed: boolean, response: ServerResponse): void {
    const record = tickets.get(ticket);
    if (!record || record.used || record.expiresAt < Date.now()) {
      sendHtml(
        response,
        401,
        simulatorPage(
          'Astrato',
          'Ticket not accepted',
          `<p id="ticket-error">This ticket is unknown, expired (tickets live ${ticketSeconds} s) or was already used. Tickets work once.</p>`,
        ),
      );
      return;
    }
    record.used = true;
    sendHtml(
      response,
      200,
      simulatorPage(
        'Astrato',
        'Signed in to Astrato',
        `<p>Signed in as <strong id="signed-in-email">${escapeHtml(record.email)}</strong>.</p>
<p>Groups: <span id="signed-in-groups">${escapeHtml(record.groupIds.join(', ') || '(none)')}</span></p>
<p>Embed mode: ${embed ? 'yes' : 'no'}. A real Astrato session would now last up to 7 days.</p>`,
      ),
    );
  }

  const server = partnerServer({
    partner: 'Astrato',
    landing: `Speaks ${ASTRATO_PATHS.token}, ${ASTRATO_PATHS.setup} and ${ASTRATO_PATHS.ticketPrefix}{ticket}.`,
    routes: [
      { method: 'POST', path: ASTRATO_PATHS.token, handle: token },
      { method: 'POST', path: ASTRATO_PATHS.setup, handle: setup },
      {
        method: 'GET',
        path: ASTRATO_PATHS.ticketPrefix,
        prefix: true,
        handle: (_request, response, url) =>
          landing(decodeURIComponent(url.pathname.slice(ASTRATO_PATHS.ticketPrefix.length)), url.searchParams.has('embed'), response),
      },
    ],
    plan,
    counter,
    reset,
    countAs: (path) => (path.startsWith(ASTRATO_PATHS.ticketPrefix) ? ASTRATO_PATHS.ticketPrefix : path),
    notFound: (response) => error(response, 404, 'NOT_FOUND', 'Not found.'),
    failed: (response) => error(response, 500, 'INTERNAL_SERVER_ERROR', 'Simulator failure.'),
  });

  function reset(): void {
    plan.clear();
    counter.reset();
    tokens.revokeAll();
    tickets.clear();
    setups.length = 0;
    users.clear();
  }

  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return partnerControls<Pick<AstratoSimulator, 'setups' | 'userGroups' | 'setUserGroups'>>(
    { url, server, credentials, counter, plan, tokens, reset },
    {
      setups: () => [...setups],
      userGroups: (email) => users.get(email.toLowerCase()),
      setUserGroups: (email, groupIds) => void users.set(email.toLowerCase(), [...groupIds]),
    },
  );
}
