/**
 * A simulator of Acronis Cyber Protect Cloud's account management API v2
 * (docs/sso.md, "Acronis"), with the data center at the simulator's own URL:
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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallCounter, CONTROL_PREFIX, escapeHtml, FaultPlan, listen, randomId, readBody, sendHtml, sendJson, simulatorPage } from './common';
import { answerFault, type ErrorFaultKind, type FaultAnswers } from './kit/faults';
import { ClientCredentials, type PartnerControls, partnerControls } from './kit/handle';
import { type ProtectedJsonCall, protectedJsonBody } from './kit/protected-call';
import { partnerServer } from './kit/server';
import { AccessTokens, jsonObject } from './kit/tokens';

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

export type AcronisOttRequest = { purpose: string } & ({ login: string } | { external_id: string } | { user_id: string });

export interface AcronisSimulator extends PartnerControls {
  /** Every accepted /idp/ott body, oldest first. */
  ottRequests(): AcronisOttRequest[];
  /** Changes the shape of the next /idp/token answers. */
  answerTokensAs(shape: AcronisTokenShape): void;
}

const IDENTITY_FIELDS = ['login', 'external_id', 'user_id'] as const;
/** The account API's error body: `{error: {code, domain, message, details: {info}}}`. */
const apiErrorBody = (code: string, message: string) => ({ error: { code, domain: 'PlatformAccountServer', message, details: { info: message } } });
/** The token endpoint's OAuth error body. */
const tokenErrorBody = (error: string, description: string) => ({ error, error_description: description });
const CLIENT_AUTHENTICATION_FAILED = tokenErrorBody('invalid_client', 'Client authentication failed.');

/** Acronis's answer to each injected error fault; the token endpoint speaks OAuth, the rest the account API. */
const FAULT_ERRORS: Record<ErrorFaultKind, (path: string) => unknown> = {
  'reject-credentials': () => CLIENT_AUTHENTICATION_FAILED,
  unauthorized: (path) =>
    path === ACRONIS_PATHS.token ? CLIENT_AUTHENTICATION_FAILED : apiErrorBody('Unauthorized', 'The access token is invalid or has expired.'),
  'rate-limit': () => apiErrorBody('TooManyRequests', 'Too many requests.'),
  'server-error': () => apiErrorBody('InternalServerError', 'Internal server error.'),
};

const FAULT_ANSWERS: FaultAnswers = {
  malformedBody: '<html>not json</html>',
  errorBody: (kind, path) => FAULT_ERRORS[kind](path),
};

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
  const credentials = new ClientCredentials(options.clientId ?? 'acronis-sim-client', options.clientSecret ?? randomId());
  const tokenSeconds = options.tokenLifetimeSeconds ?? 7200;
  let tokenShape: AcronisTokenShape = options.tokenShape ?? 'minimal';
  const ottSeconds = options.ottLifetimeSeconds ?? 30;
  const known = options.knownUsers ? new Set(options.knownUsers) : undefined;
  const tokens = new AccessTokens();
  const otts = new Map<string, { user: string; expiresAt: number; used: boolean }>();
  const sessions = new Map<string, string>();
  const ottRequests: AcronisOttRequest[] = [];
  const counter = new CallCounter();
  const plan = new FaultPlan((kind) => (kind === 'reject-credentials' ? ACRONIS_PATHS.token : ACRONIS_PATHS.ott));
  let url = '';

  const apiError = (response: ServerResponse, status: number, code: string, message: string) => sendJson(response, status, apiErrorBody(code, message));
  const injected = (path: string, response: ServerResponse) => answerFault(plan.take(path), response, path, FAULT_ANSWERS);
  const protectedCall: Omit<ProtectedJsonCall, 'path'> = {
    plan,
    faults: FAULT_ANSWERS,
    tokens,
    unauthorized: (answer) => apiError(answer, 401, 'Unauthorized', 'The access token is invalid or has expired.'),
    notJson: (answer) => apiError(answer, 400, 'BadRequest', 'The body must be JSON.'),
  };

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (await injected(ACRONIS_PATHS.token, response)) return;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon === -1 || !credentials.matches(decoded.slice(0, colon), decoded.slice(colon + 1))) {
      sendJson(response, 401, CLIENT_AUTHENTICATION_FAILED);
      return;
    }
    if (!/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '') || form.get('grant_type') !== 'client_credentials') {
      sendJson(response, 400, tokenErrorBody('unsupported_grant_type', 'Use grant_type=client_credentials as a form body.'));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const accessToken =
      tokenShape === 'opaque' ? randomId(32) : simulatedJwt({ iss: url, sub: credentials.id, iat: now, exp: now + tokenSeconds, jti: randomId(8) });
    tokens.issue(accessToken, tokenSeconds, true);
    const idToken = simulatedJwt({ iss: url, sub: credentials.id, iat: now, exp: now + tokenSeconds });
    const lifetime =
      tokenShape === 'expires_in'
        ? { token_type: 'bearer', expires_in: tokenSeconds }
        : tokenShape === 'expires_on'
          ? { token_type: 'bearer', expires_on: now + tokenSeconds }
          : {};
    sendJson(response, 200, { id_token: idToken, access_token: accessToken, ...lifetime });
  }

  async function ott(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await protectedJsonBody(request, response, { ...protectedCall, path: ACRONIS_PATHS.ott });
    if (!body) return;
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
    if (!record || record.used || record.expiresAt < Date.now())
      return { message: `The one-time token is unknown, expired (they live ${ottSeconds} s) or already used.` };
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
      // A body that is not JSON is a sign-in without a token.
      const body = jsonObject(await readBody(request)) ?? {};
      const outcome = signIn(typeof body.ott === 'string' ? body.ott : null, typeof body.targetURI === 'string' ? body.targetURI : null);
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

  async function answerTokensAs(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const shape = jsonObject(await readBody(request))?.shape;
    if (!TOKEN_SHAPES.includes(shape as AcronisTokenShape)) {
      sendJson(response, 400, { message: `Send {"shape": ...} with one of ${TOKEN_SHAPES.join(', ')}.` });
      return;
    }
    tokenShape = shape as AcronisTokenShape;
    response.writeHead(204).end();
  }

  const server = partnerServer({
    partner: 'Acronis',
    landing: `Data center at this URL. Speaks ${ACRONIS_PATHS.token}, ${ACRONIS_PATHS.ott} and ${ACRONIS_PATHS.externalLogin}.`,
    routes: [
      { method: 'POST', path: ACRONIS_PATHS.token, handle: token },
      { method: 'POST', path: ACRONIS_PATHS.ott, handle: ott },
      { path: ACRONIS_PATHS.externalLogin, handle: (request, response, parsed) => externalLogin(request, response, parsed.searchParams) },
      ...['/mc/', '/bc/'].map((console) => ({
        method: 'GET',
        path: console,
        prefix: true,
        handle: (request: IncomingMessage, response: ServerResponse, parsed: URL) => consolePage(request, response, parsed.pathname),
      })),
    ],
    control: [{ method: 'POST', path: `${CONTROL_PREFIX}/token-shape`, handle: answerTokensAs }],
    plan,
    counter,
    reset,
    notFound: (response) => apiError(response, 404, 'NotFound', 'Not found.'),
    failed: (response) => apiError(response, 500, 'InternalServerError', 'Simulator failure.'),
  });

  function reset(): void {
    plan.clear();
    counter.reset();
    tokens.revokeAll();
    otts.clear();
    sessions.clear();
    ottRequests.length = 0;
  }

  url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return partnerControls<Pick<AcronisSimulator, 'ottRequests' | 'answerTokensAs'>>(
    { url, server, credentials, counter, plan, tokens, reset },
    {
      ottRequests: () => [...ottRequests],
      answerTokensAs: (shape) => {
        tokenShape = shape;
      },
    },
  );
}
