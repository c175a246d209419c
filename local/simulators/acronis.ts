/**
 * A simulator of Acronis Cyber Protect Cloud's account management API v2
 * (docs/partner-contracts.md §4), with the data center at the simulator's own URL:
 * - `POST /api/2/idp/token`, Basic client credentials, form `grant_type=client_credentials`
 *   -> by default the documented minimal `{id_token, access_token}` (the access token a JWT whose
 *   `exp` is the only hint of its lifetime); on request `expires_in` or `expires_on` are added, or the
 *   access token is opaque (see AcronisTokenShape); errors `{error, error_description}`;
 * - `POST /api/2/idp/ott`, Bearer, JSON `{purpose: "user_login"}` plus exactly one of
 *   `login`, `external_id`, `user_id` -> `{ott}`; one use, 30 s (as Acronis's guide says);
 *   errors `{error: {code, domain, message, details: {info}}}`;
 * - `GET /api/2/idp/external-login` with `ott` and `targetURI` in the fragment (legacy) or the query:
 *   signs the browser in (a cookie) and replaces the location with `targetURI` (same origin only);
 * - `GET /mc/...`, `GET /bc/...`: console pages that show who is signed in;
 * - `POST /__simulator/token-shape` `{"shape": "expires_in"}`: how /idp/token answers from now on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import {
  bearer,
  CallCounter,
  close,
  CONTROL_PREFIX,
  escapeHtml,
  FaultPlan,
  handleControl,
  listen,
  randomId,
  readBody,
  sendHtml,
  sendJson,
  simulatorPage,
  waitOut,
  type Fault,
} from './common';

export const ACRONIS_PATHS = {
  token: '/api/2/idp/token',
  ott: '/api/2/idp/ott',
  externalLogin: '/api/2/idp/external-login',
} as const;

export interface AcronisSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  ottLifetimeSeconds?: number;
  /** When set, only these logins / external ids exist (others get 404); by default every user exists. */
  knownUsers?: string[];
  /** How /idp/token answers (default `minimal`, as Acronis documents it). */
  tokenShape?: AcronisTokenShape;
}

/**
 * The token answers seen in Acronis's documents and examples:
 * - `minimal`: `{id_token, access_token}`, the access token a JWT with `exp` (the documented shape);
 * - `expires_in`: adds `token_type` and `expires_in` (seconds);
 * - `expires_on`: adds `token_type` and `expires_on` (epoch seconds);
 * - `opaque`: `{id_token, access_token}` with an access token that is not a JWT: no lifetime anywhere.
 */
export type AcronisTokenShape = 'minimal' | 'expires_in' | 'expires_on' | 'opaque';
const TOKEN_SHAPES: readonly AcronisTokenShape[] = ['minimal', 'expires_in', 'expires_on', 'opaque'];

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type AcronisOttRequest = { purpose: string } & ({ login: string } | { external_id: string } | { user_id: string });

export interface AcronisSimulator {
  url: string;
  clientId: string;
  clientSecret: string;
  calls(path: string): number;
  /** Every accepted /idp/ott body, oldest first. */
  ottRequests(): AcronisOttRequest[];
  fail(fault: Fault): void;
  clearFaults(): void;
  setCredentials(clientId: string, clientSecret: string): void;
  revokeTokens(): void;
  /** Every access token issued so far (tests check that none of them reaches a log). */
  issuedTokens(): string[];
  /** Changes the shape of the next /idp/token answers. */
  answerTokensAs(shape: AcronisTokenShape): void;
  reset(): void;
  stop(): Promise<void>;
}

const IDENTITY_FIELDS = ['login', 'external_id', 'user_id'] as const;
const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The external-login page: reads `ott` (url-encoded) and `targetURI` (a plain
 * URL, as the guide builds it: everything after `targetURI=`, not decoded) from
 * the fragment and signs in with a POST. An encoded target is not an absolute
 * URL and fails, as a strict reading of the guide would.
 */
const EXTERNAL_LOGIN_SCRIPT = `(function () {
  var fragment = window.location.hash.replace(/^#/, '');
  var status = document.getElementById('status');
  var ottMatch = /^ott=([^&]*)/.exec(fragment);
  var targetAt = fragment.indexOf('&targetURI=');
  if (!ottMatch || !ottMatch[1]) { status.textContent = 'No one-time token in the link.'; return; }
  var ott = decodeURIComponent(ottMatch[1]);
  var target = targetAt === -1 ? null : fragment.slice(targetAt + '&targetURI='.length);
  fetch(window.location.pathname, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ott: ott, targetURI: target }) })
    .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
    .then(function (result) {
      if (result.ok) window.location.replace(result.body.location);
      else status.textContent = (result.body.error && result.body.error.message) || 'Sign-in failed.';
    });
})();`;

/** A JWT-shaped token (unsigned: the simulator is its only verifier, by lookup). */
function simulatedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.${randomId(16)}`;
}

export async function startAcronisSimulator(options: AcronisSimulatorOptions = {}): Promise<AcronisSimulator> {
  let clientId = options.clientId ?? 'acronis-sim-client';
  let clientSecret = options.clientSecret ?? randomId();
  const tokenSeconds = options.tokenLifetimeSeconds ?? 7200;
  let tokenShape: AcronisTokenShape = options.tokenShape ?? 'minimal';
  const ottSeconds = options.ottLifetimeSeconds ?? 30;
  const known = options.knownUsers ? new Set(options.knownUsers) : undefined;
  const tokens = new Map<string, number>();
  const otts = new Map<string, { user: string; expiresAt: number; used: boolean }>();
  const sessions = new Map<string, string>();
  const ottRequests: AcronisOttRequest[] = [];
  const issued: string[] = [];
  const counter = new CallCounter();
  const plan = new FaultPlan((kind) => (kind === 'reject-credentials' ? ACRONIS_PATHS.token : ACRONIS_PATHS.ott));
  let url = '';

  const apiError = (response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
    sendJson(response, status, { error: { code, domain: 'PlatformAccountServer', message, details: { info: message } } }, headers);
  const tokenError = (response: ServerResponse, status: number, error: string, description: string) =>
    sendJson(response, status, { error, error_description: description });

  async function injected(fault: Fault | undefined, response: ServerResponse, path: string): Promise<boolean> {
    if (!fault) return false;
    switch (fault.kind) {
      case 'slow':
        return !(await waitOut(fault, response));
      case 'reject-credentials':
        tokenError(response, 401, 'invalid_client', 'Client authentication failed.');
        return true;
      case 'unauthorized':
        if (path === ACRONIS_PATHS.token) tokenError(response, 401, 'invalid_client', 'Client authentication failed.');
        else apiError(response, 401, 'Unauthorized', 'The access token is invalid or has expired.');
        return true;
      case 'rate-limit':
        apiError(response, 429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(fault.retryAfterSeconds ?? 1) });
        return true;
      case 'server-error':
        apiError(response, fault.status ?? 500, 'InternalServerError', 'Internal server error.');
        return true;
      case 'malformed':
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(fault.body ?? '<html>not json</html>');
        return true;
    }
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (await injected(plan.take(ACRONIS_PATHS.token), response, ACRONIS_PATHS.token)) return;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon === -1 || decoded.slice(0, colon) !== clientId || !sameSecret(decoded.slice(colon + 1), clientSecret)) {
      tokenError(response, 401, 'invalid_client', 'Client authentication failed.');
      return;
    }
    if (!/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '') || form.get('grant_type') !== 'client_credentials') {
      tokenError(response, 400, 'unsupported_grant_type', 'Use grant_type=client_credentials as a form body.');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const accessToken = tokenShape === 'opaque' ? randomId(32) : simulatedJwt({ iss: url, sub: clientId, iat: now, exp: now + tokenSeconds, jti: randomId(8) });
    tokens.set(accessToken, Date.now() + tokenSeconds * 1000);
    issued.push(accessToken);
    const idToken = simulatedJwt({ iss: url, sub: clientId, iat: now, exp: now + tokenSeconds });
    const lifetime = tokenShape === 'expires_in' ? { token_type: 'bearer', expires_in: tokenSeconds } : tokenShape === 'expires_on' ? { token_type: 'bearer', expires_on: now + tokenSeconds } : {};
    sendJson(response, 200, { id_token: idToken, access_token: accessToken, ...lifetime });
  }

  async function ott(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    if (await injected(plan.take(ACRONIS_PATHS.ott), response, ACRONIS_PATHS.ott)) return;
    const accessToken = bearer(request);
    const expiresAt = accessToken ? tokens.get(accessToken) : undefined;
    if (!expiresAt || expiresAt < Date.now()) {
      apiError(response, 401, 'Unauthorized', 'The access token is invalid or has expired.');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      apiError(response, 400, 'BadRequest', 'The body must be JSON.');
      return;
    }
    const given = IDENTITY_FIELDS.filter((field) => body[field] !== undefined);
    if (body.purpose !== 'user_login' || given.length !== 1 || typeof body[given[0]] !== 'string' || !body[given[0]]) {
      apiError(response, 400, 'BadRequest', 'Send purpose "user_login" and exactly one of login, external_id, user_id.');
      return;
    }
    const user = body[given[0]] as string;
    if (known && !known.has(user)) {
      apiError(response, 404, 'UserNotFound', 'No such user.');
      return;
    }
    ottRequests.push(body as AcronisOttRequest);
    const value = Buffer.from(randomId(32)).toString('base64');
    otts.set(value, { user, expiresAt: Date.now() + ottSeconds * 1000, used: false });
    sendJson(response, 200, { ott: value });
  }

  /** Consumes an OTT; the location to go to, or an error message. */
  function signIn(ottValue: string | null, target: string | null): { location: string; session: string } | { message: string } {
    const record = ottValue ? otts.get(ottValue) : undefined;
    if (!record || record.used || record.expiresAt < Date.now()) return { message: `The one-time token is unknown, expired (they live ${ottSeconds} s) or already used.` };
    let location: URL;
    try {
      // targetURI is an absolute URL; without one the page opens the management console.
      location = target ? new URL(target) : new URL('/mc/', url);
    } catch {
      return { message: 'targetURI is not an absolute URL.' };
    }
    if (location.origin !== new URL(url).origin) return { message: 'targetURI must be on this data center.' };
    record.used = true;
    const session = randomId(16);
    sessions.set(session, record.user);
    return { location: location.href, session };
  }

  const sessionCookie = (session: string) => `acronis_sim_session=${session}; Path=/; HttpOnly; SameSite=Lax`;
  const sessionUser = (request: IncomingMessage) => {
    const match = /(?:^|;\s*)acronis_sim_session=([^;]+)/.exec(request.headers.cookie ?? '');
    return match ? sessions.get(match[1]) : undefined;
  };

  async function externalLogin(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
    if (request.method === 'POST') {
      let body: { ott?: string; targetURI?: string } = {};
      try {
        body = JSON.parse(await readBody(request));
      } catch {
        // handled below as a missing token
      }
      const outcome = signIn(body.ott ?? null, body.targetURI ?? null);
      if ('message' in outcome) apiError(response, 401, 'Unauthorized', outcome.message);
      else sendJson(response, 200, { location: outcome.location }, { 'Set-Cookie': sessionCookie(outcome.session) });
      return;
    }
    if (query.has('ott')) {
      const outcome = signIn(query.get('ott'), query.get('targetURI'));
      if ('message' in outcome) sendHtml(response, 401, simulatorPage('Acronis', 'Sign-in failed', `<p id="status">${escapeHtml(outcome.message)}</p>`));
      else {
        response.writeHead(302, { Location: outcome.location, 'Set-Cookie': sessionCookie(outcome.session), 'Cache-Control': 'no-store' });
        response.end();
      }
      return;
    }
    sendHtml(response, 200, simulatorPage('Acronis', 'Signing you in', '<p id="status" role="status">Signing you in...</p>', EXTERNAL_LOGIN_SCRIPT));
  }

  function consolePage(request: IncomingMessage, response: ServerResponse, path: string): void {
    const user = sessionUser(request);
    const name = path.startsWith('/bc/') ? 'Backup console' : 'Management console';
    const body = user
      ? `<p>Signed in as <strong id="signed-in-user">${escapeHtml(user)}</strong>.</p><p>Page: <code>${escapeHtml(path)}</code></p>`
      : '<p id="signed-in-user">Not signed in.</p>';
    sendHtml(response, user ? 200 : 401, simulatorPage('Acronis', name, body));
  }

  const server = createServer(async (request, response) => {
    const parsed = new URL(request.url ?? '/', 'http://simulator');
    const path = parsed.pathname;
    try {
      if (path === `${CONTROL_PREFIX}/token-shape` && request.method === 'POST') {
        const shape = (safeJson(await readBody(request)) as { shape?: unknown } | undefined)?.shape;
        if (!TOKEN_SHAPES.includes(shape as AcronisTokenShape)) {
          sendJson(response, 400, { message: `Send {"shape": ...} with one of ${TOKEN_SHAPES.join(', ')}.` });
          return;
        }
        tokenShape = shape as AcronisTokenShape;
        response.writeHead(204).end();
        return;
      }
      if (path.startsWith(CONTROL_PREFIX)) {
        await handleControl(request, response, path, plan, counter, reset);
        return;
      }
      counter.record(path);
      if (path === ACRONIS_PATHS.token && request.method === 'POST') return await token(request, response);
      if (path === ACRONIS_PATHS.ott && request.method === 'POST') return await ott(request, response);
      if (path === ACRONIS_PATHS.externalLogin) return await externalLogin(request, response, parsed.searchParams);
      if ((path.startsWith('/mc/') || path.startsWith('/bc/')) && request.method === 'GET') return consolePage(request, response, path);
      if (path === '/' && request.method === 'GET') {
        sendHtml(response, 200, simulatorPage('Acronis', 'Acronis simulator', `<p>Data center at this URL. Speaks ${ACRONIS_PATHS.token}, ${ACRONIS_PATHS.ott} and ${ACRONIS_PATHS.externalLogin}.</p>`));
        return;
      }
      apiError(response, 404, 'NotFound', 'Not found.');
    } catch {
      if (!response.headersSent) apiError(response, 500, 'InternalServerError', 'Simulator failure.');
    }
  });

  function reset(): void {
    plan.clear();
    counter.reset();
    tokens.clear();
    otts.clear();
    sessions.clear();
    ottRequests.length = 0;
  }

  url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    get clientId() {
      return clientId;
    },
    get clientSecret() {
      return clientSecret;
    },
    calls: (path) => counter.count(path),
    ottRequests: () => [...ottRequests],
    fail: (fault) => plan.add(fault),
    clearFaults: () => plan.clear(),
    setCredentials: (id, secret) => {
      clientId = id;
      clientSecret = secret;
    },
    revokeTokens: () => tokens.clear(),
    issuedTokens: () => [...issued],
    answerTokensAs: (shape) => {
      tokenShape = shape;
    },
    reset,
    stop: () => close(server),
  };
}
