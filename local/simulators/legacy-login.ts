/**
 * A stand-in for the login API a customer had before LoginBridge: an
 * Applicaster Login Flow provider (an in-house system, or Cleeng / InPlayer
 * behind their Login Flow integration). `POST /login` takes `{email, password}`
 * (or `username`) and answers 200 with `{status, access_token, refresh_token,
 * expires_in}` or 403 with `{formError, fieldErrors}`; `GET /profile` with the
 * Bearer access token answers the user's names. The local stack points
 * LEGACY_LOGIN_URL here unless it is set, so lazy migration can be tried.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallCounter, close, type Fault, FaultPlan, listen, randomId, readBody, sendJson } from './common';
import { answerFault, type ErrorFaultKind, type FaultAnswers } from './kit/faults';
import { partnerServer } from './kit/server';
import { AccessTokens, jsonObject } from './kit/tokens';

export const LEGACY_PATHS = { login: '/login', profile: '/profile' } as const;

export interface LegacyUser {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** More profile fields, answered by /profile. */
  fields?: Record<string, string | number | boolean>;
}

/** Users every simulator starts with, so `npm start` has someone to migrate. */
export const DEMO_LEGACY_USERS: LegacyUser[] = [
  { email: 'legacy.viewer@example.com', password: 'old-system-password-1', firstName: 'Lea', lastName: 'Gacy', fields: { plan: 'premium', country: 'NL' } },
  { email: 'legacy.kid@example.com', password: 'old-system-password-2', firstName: 'Kim', lastName: 'Gacy' },
];

export interface LegacyLoginSimulator {
  url: string;
  loginUrl: string;
  profileUrl: string;
  addUser(user: LegacyUser): void;
  calls(path: string): number;
  /** Every access token issued (tests check none reaches our answers or logs). */
  issuedTokens(): string[];
  /** `slow` (delayMs), `server-error` (status), `rate-limit`, `malformed` on /login by default. */
  fail(fault: Fault): void;
  clearFaults(): void;
  /** Refuses connections until `up()`: the old API is down. */
  down(): void;
  up(): void;
  stop(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const FAULT_MESSAGES: Record<ErrorFaultKind, string> = {
  'reject-credentials': 'Unauthorized.',
  unauthorized: 'Unauthorized.',
  'rate-limit': 'Too many requests.',
  'server-error': 'Something went wrong.',
};
const FAULT_ANSWERS: FaultAnswers = { malformedBody: '{"access_token": ', errorBody: (kind) => ({ message: FAULT_MESSAGES[kind] }) };
const LOGIN_FAILURE = { status: 403, formError: 'Invalid email or password.', fieldErrors: { email: true, password: true } };

export async function startLegacyLoginSimulator(options: { port?: number; host?: string; users?: LegacyUser[] } = {}): Promise<LegacyLoginSimulator> {
  const users = new Map<string, LegacyUser>();
  const tokens = new AccessTokens<string>();
  const counter = new CallCounter();
  const plan = new FaultPlan(() => LEGACY_PATHS.login);
  let isDown = false;
  const addUser = (user: LegacyUser) => users.set(user.email.trim().toLowerCase(), user);
  for (const user of options.users ?? DEMO_LEGACY_USERS) addUser(user);

  const injected = (path: string, response: ServerResponse) => answerFault(plan.take(path), response, path, FAULT_ANSWERS);

  async function login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { message: 'POST only.' }, { Allow: 'POST' });
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return sendJson(response, 415, { message: 'Send JSON.' });
    const body = jsonObject(await readBody(request, 16 * 1024));
    if (!body) return sendJson(response, 400, { status: 400, formError: 'The request is not valid JSON.' });
    if (await injected(LEGACY_PATHS.login, response)) return;
    const email = typeof body.email === 'string' ? body.email : typeof body.username === 'string' ? body.username : undefined;
    if (!email || typeof body.password !== 'string' || !body.password) {
      return sendJson(response, 403, {
        status: 403,
        formError: 'Email and password are required.',
        fieldErrors: { email: !email, password: typeof body.password !== 'string' },
      });
    }
    const user = users.get(email.trim().toLowerCase());
    // Compared on digests: constant time whatever the lengths, like the real thing should.
    const matches = timingSafeEqual(digest(user?.password ?? randomId()), digest(body.password));
    if (!user || !matches) return sendJson(response, 403, LOGIN_FAILURE);
    const accessToken = tokens.issue(randomId(32), 3600, user.email);
    sendJson(response, 200, { status: 200, access_token: accessToken, refresh_token: randomId(32), expires_in: 3600 });
  }

  async function profile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET') return sendJson(response, 405, { message: 'GET only.' }, { Allow: 'GET' });
    if (await injected(LEGACY_PATHS.profile, response)) return;
    const email = tokens.holder(request);
    if (!email) return sendJson(response, 401, { message: 'The access token is invalid or has expired.' });
    const user = users.get(email.toLowerCase());
    if (!user) return sendJson(response, 401, { message: 'The account no longer exists.' });
    sendJson(response, 200, { email: user.email, firstName: user.firstName ?? '', lastName: user.lastName ?? '', ...user.fields });
  }

  const server = partnerServer({
    partner: 'Legacy login',
    routes: [
      { path: LEGACY_PATHS.login, handle: login },
      { path: LEGACY_PATHS.profile, handle: profile },
    ],
    plan,
    counter,
    reset: () => {
      plan.clear();
      counter.reset();
    },
    notFound: (response) => sendJson(response, 404, { message: 'Not found.' }),
    failed: (response) => sendJson(response, 500, { message: 'Something went wrong.' }),
    isDown: () => isDown,
  });
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    loginUrl: `${url}${LEGACY_PATHS.login}`,
    profileUrl: `${url}${LEGACY_PATHS.profile}`,
    addUser,
    calls: (path) => counter.count(path),
    issuedTokens: () => tokens.issued(),
    fail: (fault) => plan.add(fault),
    clearFaults: () => plan.clear(),
    down: () => {
      isDown = true;
      server.closeAllConnections();
    },
    up: () => {
      isDown = false;
    },
    stop: () => close(server),
  };
}
