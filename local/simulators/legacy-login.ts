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
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CallCounter, CONTROL_PREFIX, FaultPlan, bearer, close, handleControl, listen, randomId, readBody, sendJson, waitOut, type Fault } from './common';

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
const LOGIN_FAILURE = { status: 403, formError: 'Invalid email or password.', fieldErrors: { email: true, password: true } };

export async function startLegacyLoginSimulator(options: { port?: number; host?: string; users?: LegacyUser[] } = {}): Promise<LegacyLoginSimulator> {
  const users = new Map<string, LegacyUser>();
  const tokens = new Map<string, { email: string; expiresAt: number }>();
  const issued: string[] = [];
  const counter = new CallCounter();
  const plan = new FaultPlan(() => LEGACY_PATHS.login);
  let isDown = false;
  const addUser = (user: LegacyUser) => users.set(user.email.trim().toLowerCase(), user);
  for (const user of options.users ?? DEMO_LEGACY_USERS) addUser(user);

  async function injected(path: string, response: ServerResponse): Promise<boolean> {
    const fault = plan.take(path);
    if (!fault) return false;
    switch (fault.kind) {
      case 'slow':
        return !(await waitOut(fault, response));
      case 'rate-limit':
        sendJson(response, 429, { message: 'Too many requests.' }, { 'Retry-After': String(fault.retryAfterSeconds ?? 1) });
        return true;
      case 'malformed':
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(fault.body ?? '{"access_token": ');
        return true;
      case 'unauthorized':
      case 'reject-credentials':
        sendJson(response, 401, { message: 'Unauthorized.' });
        return true;
      case 'server-error':
        sendJson(response, fault.status ?? 500, { message: 'Something went wrong.' });
        return true;
    }
  }

  async function login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { message: 'POST only.' }, { Allow: 'POST' });
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return sendJson(response, 415, { message: 'Send JSON.' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request, 16 * 1024));
    } catch {
      return sendJson(response, 400, { status: 400, formError: 'The request is not valid JSON.' });
    }
    if (await injected(LEGACY_PATHS.login, response)) return;
    const email = typeof body.email === 'string' ? body.email : typeof body.username === 'string' ? body.username : undefined;
    if (!email || typeof body.password !== 'string' || !body.password) {
      return sendJson(response, 403, { status: 403, formError: 'Email and password are required.', fieldErrors: { email: !email, password: typeof body.password !== 'string' } });
    }
    const user = users.get(email.trim().toLowerCase());
    // Compared on digests: constant time whatever the lengths, like the real thing should.
    const matches = timingSafeEqual(digest(user?.password ?? randomId()), digest(body.password));
    if (!user || !matches) return sendJson(response, 403, LOGIN_FAILURE);
    const accessToken = randomId(32);
    tokens.set(accessToken, { email: user.email, expiresAt: Date.now() + 3600_000 });
    issued.push(accessToken);
    sendJson(response, 200, { status: 200, access_token: accessToken, refresh_token: randomId(32), expires_in: 3600 });
  }

  async function profile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET') return sendJson(response, 405, { message: 'GET only.' }, { Allow: 'GET' });
    if (await injected(LEGACY_PATHS.profile, response)) return;
    const token = bearer(request);
    const session = token ? tokens.get(token) : undefined;
    if (!session || session.expiresAt < Date.now()) return sendJson(response, 401, { message: 'The access token is invalid or has expired.' });
    const user = users.get(session.email.toLowerCase());
    if (!user) return sendJson(response, 401, { message: 'The account no longer exists.' });
    sendJson(response, 200, { email: user.email, firstName: user.firstName ?? '', lastName: user.lastName ?? '', ...user.fields });
  }

  const server = createServer((request, response) => {
    if (isDown) {
      request.socket.destroy();
      return;
    }
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (path.startsWith(CONTROL_PREFIX)) {
      void handleControl(request, response, path, plan, counter, () => {
        plan.clear();
        counter.reset();
      });
      return;
    }
    counter.record(path);
    const route = path === LEGACY_PATHS.login ? login : path === LEGACY_PATHS.profile ? profile : undefined;
    if (!route) return sendJson(response, 404, { message: 'Not found.' });
    route(request, response).catch(() => sendJson(response, 500, { message: 'Something went wrong.' }));
  });
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    loginUrl: `${url}${LEGACY_PATHS.login}`,
    profileUrl: `${url}${LEGACY_PATHS.profile}`,
    addUser,
    calls: (path) => counter.count(path),
    issuedTokens: () => [...issued],
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
