/**
 * What the Apple and Google sign-in simulators share: an OpenID provider with
 * discovery, a JWKS whose keys rotate (a new key is added and signs, the old
 * one stays published until retired), ID tokens a test mints with any claim,
 * an authorize endpoint with a tiny consent page, and a token endpoint for the
 * authorization code with PKCE S256, strict as the providers document it:
 * a wrong client, a wrong redirect_uri, a reused code or a bad verifier is an
 * `invalid_grant`/`invalid_client` answer, never a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { CallCounter, escapeHtml, FaultPlan, listen, randomId, readBody, sendHtml, sendJson, simulatorPage } from '../common';
import { answerFault, type FaultAnswers } from './faults';
import { ClientCredentials, type PartnerControls, partnerControls } from './handle';
import { partnerServer, type SimulatorRoute } from './server';
import { AccessTokens } from './tokens';

/** The paths of one provider (they differ between Apple and Google, as at the real ones). */
export interface OidcPaths {
  readonly authorize: string;
  readonly token: string;
  readonly jwks: string;
  readonly revoke?: string;
}

export interface OidcSigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
}

/** One mint: the claims to put in (any of them, in any documented variant), and how to sign. */
export interface MintOptions {
  /** `aud`; default the simulator's client id. */
  audience?: string;
  /** `iss`; default the simulator's issuer (its local URL). */
  issuer?: string;
  /** Seconds from now; default 600. Negative: already expired. */
  expiresInSeconds?: number;
  /** `iat` offset from now in seconds (positive: in the future). */
  issuedAtOffsetSeconds?: number;
  /** Sign with a key the JWKS never published (a forged signature with a known-looking kid). */
  forgeSignature?: boolean;
  /** The `kid` header; default the current key's. */
  kid?: string;
}

/** Provider specifics: how a client proves itself at the token endpoint, and what the ID token of a consent carries. */
export interface OidcProviderSpec {
  readonly name: string;
  readonly paths: OidcPaths;
  /** Extra discovery fields. */
  readonly discovery?: Record<string, unknown>;
  /** The client secret check of the token (and revoke) endpoint; a string is the reason it failed. */
  authenticateClient(clientId: string, clientSecret: string, issuer: string): Promise<true | string>;
  /** The ID token claims of a consent on the page: `nonce` as it came in the authorize request. */
  consentClaims(input: { email: string; sub: string; nonce?: string }): Record<string, unknown>;
  /** Apple posts the code back (`response_mode=form_post`); Google redirects with it in the query. */
  readonly defaultResponseMode: 'query' | 'form_post';
}

export interface OidcSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Redirect URIs registered for the client (exact match, as both providers require). */
  redirectUris?: string[];
}

export interface OidcSimulator extends PartnerControls {
  /** The issuer: the simulator's own URL (production: https://appleid.apple.com, https://accounts.google.com). */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** An ID token signed by the current key (or as `options` say) with exactly these claims plus iss/aud/iat/exp. */
  mintIdToken(claims: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** Adds a new signing key that signs from now on; the old one stays in the JWKS until `retireOldKeys`. Returns the new kid. */
  rotateKeys(): Promise<string>;
  /** Removes every key but the current one from the JWKS. */
  retireOldKeys(): void;
  /** The kids the JWKS publishes now, current last. */
  publishedKids(): string[];
  /** Registers another exact redirect URI for the client. */
  addRedirectUri(uri: string): void;
  /** Refresh tokens the token endpoint gave out, oldest first (a test follows one from the exchange to its revocation). */
  issuedRefreshTokens(): string[];
  /** Tokens revoked through the revoke endpoint (Apple). */
  revokedTokens(): string[];
  /** Every accepted revoke request as it came (a test reads the client secret's claims from it). */
  revokeRequests(): RevokeRequest[];
}

/** One accepted revoke request's parameters. */
export interface RevokeRequest {
  clientId: string;
  clientSecret: string;
  token: string;
  tokenTypeHint?: string;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  claims: Record<string, unknown>;
  expiresAt: number;
  used: boolean;
}

const sha256Base64url = (value: string) => createHash('sha256').update(value).digest('base64url');
const sameString = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const FAULT_ANSWERS: FaultAnswers = {
  malformedBody: '{"keys": ',
  errorBody: (kind) => ({ error: kind === 'reject-credentials' ? 'invalid_client' : 'server_error' }),
};

export async function newSigningKey(): Promise<OidcSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomId(8);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Starts one provider simulator from its spec. */
export async function startOidcSimulator(spec: OidcProviderSpec, options: OidcSimulatorOptions = {}): Promise<OidcSimulator> {
  const credentials = new ClientCredentials(options.clientId ?? `${spec.name.toLowerCase()}-sim-client`, options.clientSecret ?? randomId());
  const redirectUris = new Set(options.redirectUris ?? []);
  const keys: OidcSigningKey[] = [await newSigningKey()];
  const codes = new Map<string, CodeRecord>();
  const revoked: string[] = [];
  const issuedRefreshTokens: string[] = [];
  const revokeRequests: RevokeRequest[] = [];
  const tokens = new AccessTokens<unknown>();
  const counter = new CallCounter();
  const plan = new FaultPlan((kind) => (kind === 'reject-credentials' ? spec.paths.token : spec.paths.jwks));
  let issuer = '';
  const current = () => keys[keys.length - 1];

  async function mintIdToken(claims: Record<string, unknown>, mint: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const iat = now + (mint.issuedAtOffsetSeconds ?? 0);
    const key = mint.forgeSignature ? await newSigningKey() : current();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: mint.kid ?? (mint.forgeSignature ? current().kid : key.kid) })
      .setIssuer(mint.issuer ?? issuer)
      .setAudience(mint.audience ?? credentials.id)
      .setIssuedAt(iat)
      .setExpirationTime(now + (mint.expiresInSeconds ?? 600))
      .sign(key.privateKey);
  }

  const oauthError = (response: ServerResponse, status: number, error: string, description: string) =>
    sendJson(response, status, { error, error_description: description });

  function discovery(_request: IncomingMessage, response: ServerResponse): void {
    sendJson(response, 200, {
      issuer,
      authorization_endpoint: `${issuer}${spec.paths.authorize}`,
      token_endpoint: `${issuer}${spec.paths.token}`,
      jwks_uri: `${issuer}${spec.paths.jwks}`,
      ...(spec.paths.revoke ? { revocation_endpoint: `${issuer}${spec.paths.revoke}` } : {}),
      response_types_supported: ['code'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      ...spec.discovery,
    });
  }

  async function jwks(_request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await answerFault(plan.take(spec.paths.jwks), response, spec.paths.jwks, FAULT_ANSWERS)) return;
    sendJson(response, 200, { keys: keys.map((key) => key.publicJwk) });
  }

  /** GET: the consent page; POST (its form): a code to the registered redirect URI. */
  async function authorize(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const params = request.method === 'POST' ? new URLSearchParams(await readBody(request)) : url.searchParams;
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    // Never redirect to an unregistered URI: the error is shown here, as both providers do.
    if (clientId !== credentials.id || !redirectUris.has(redirectUri)) {
      sendHtml(response, 400, simulatorPage(spec.name, 'Invalid request', '<p id="authorize-error">invalid_client or redirect_uri mismatch.</p>'));
      return;
    }
    const challenge = params.get('code_challenge') ?? undefined;
    if (params.get('response_type') !== 'code' || (challenge && params.get('code_challenge_method') !== 'S256')) {
      sendHtml(response, 400, simulatorPage(spec.name, 'Invalid request', '<p id="authorize-error">response_type=code and S256 PKCE only.</p>'));
      return;
    }
    if (request.method !== 'POST') {
      const hidden = [...params].map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');
      const form = `<form method="post" action="${escapeHtml(spec.paths.authorize)}">${hidden}
<label>Email <input name="login_email" type="email" required value="user@example.com"></label>
<button id="consent" type="submit">Continue</button></form>`;
      sendHtml(response, 200, simulatorPage(spec.name, `Sign in with ${spec.name}`, form));
      return;
    }
    const email = params.get('login_email') ?? 'user@example.com';
    const code = randomId(24);
    codes.set(code, {
      clientId,
      redirectUri,
      ...(challenge ? { codeChallenge: challenge } : {}),
      claims: spec.consentClaims({ email, sub: `sim-${sha256Base64url(email).slice(0, 16)}`, nonce: params.get('nonce') ?? undefined }),
      expiresAt: Date.now() + 300_000,
      used: false,
    });
    const state = params.get('state');
    const mode = params.get('response_mode') ?? spec.defaultResponseMode;
    if (mode === 'form_post') {
      const fields = { code, ...(state ? { state } : {}) };
      const inputs = Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
        .join('');
      sendHtml(
        response,
        200,
        `<!doctype html><html><body><form id="post" method="post" action="${escapeHtml(redirectUri)}">${inputs}</form><script>document.getElementById('post').submit()</script></body></html>`,
      );
      return;
    }
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (state) target.searchParams.set('state', state);
    response.writeHead(302, { Location: target.toString() }).end();
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await answerFault(plan.take(spec.paths.token), response, spec.paths.token, FAULT_ANSWERS)) return;
    const params = new URLSearchParams(await readBody(request));
    const clientId = params.get('client_id') ?? '';
    if (clientId !== credentials.id) return oauthError(response, 401, 'invalid_client', 'Unknown client.');
    const authenticated = await spec.authenticateClient(clientId, params.get('client_secret') ?? '', issuer);
    if (authenticated !== true) return oauthError(response, 401, 'invalid_client', authenticated);
    if (params.get('grant_type') !== 'authorization_code') return oauthError(response, 400, 'unsupported_grant_type', 'authorization_code only.');
    const record = codes.get(params.get('code') ?? '');
    if (!record || record.expiresAt < Date.now()) return oauthError(response, 400, 'invalid_grant', 'The code is unknown or expired.');
    if (record.used) return oauthError(response, 400, 'invalid_grant', 'The code was already used.');
    record.used = true;
    if (record.clientId !== clientId || record.redirectUri !== (params.get('redirect_uri') ?? ''))
      return oauthError(response, 400, 'invalid_grant', 'redirect_uri or client does not match the authorization request.');
    if (record.codeChallenge) {
      const verifier = params.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameString(sha256Base64url(verifier), record.codeChallenge))
        return oauthError(response, 400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
    }
    const accessToken = tokens.issue(randomId(32), 3600, record.claims.sub);
    const refreshToken = randomId(32);
    issuedRefreshTokens.push(refreshToken);
    sendJson(response, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refreshToken,
      id_token: await mintIdToken(record.claims, { audience: clientId }),
    });
  }

  async function revoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (spec.paths.revoke && (await answerFault(plan.take(spec.paths.revoke), response, spec.paths.revoke, FAULT_ANSWERS))) return;
    const params = new URLSearchParams(await readBody(request));
    const clientId = params.get('client_id') ?? '';
    const authenticated = clientId === credentials.id ? await spec.authenticateClient(clientId, params.get('client_secret') ?? '', issuer) : 'Unknown client.';
    if (authenticated !== true) return oauthError(response, 400, 'invalid_client', authenticated);
    const presented = params.get('token');
    if (!presented) return oauthError(response, 400, 'invalid_request', 'token is required.');
    revoked.push(presented);
    const hint = params.get('token_type_hint');
    revokeRequests.push({ clientId, clientSecret: params.get('client_secret') ?? '', token: presented, ...(hint ? { tokenTypeHint: hint } : {}) });
    response.writeHead(200).end();
  }

  const routes: SimulatorRoute[] = [
    { method: 'GET', path: '/.well-known/openid-configuration', handle: discovery },
    { method: 'GET', path: spec.paths.jwks, handle: jwks },
    { path: spec.paths.authorize, handle: authorize },
    { method: 'POST', path: spec.paths.token, handle: token },
    ...(spec.paths.revoke ? [{ method: 'POST', path: spec.paths.revoke, handle: revoke }] : []),
  ];
  const server = partnerServer({
    partner: spec.name,
    landing: `Speaks OpenID Connect: /.well-known/openid-configuration, ${Object.values(spec.paths).join(', ')}.`,
    routes,
    control: [
      {
        method: 'POST',
        path: '/__simulator/rotate-keys',
        handle: async (_request, response) => sendJson(response, 200, { kid: await rotateKeys() }),
      },
    ],
    plan,
    counter,
    reset,
    notFound: (response) => oauthError(response, 404, 'not_found', 'Not found.'),
    failed: (response) => oauthError(response, 500, 'server_error', 'Simulator failure.'),
  });

  async function rotateKeys(): Promise<string> {
    keys.push(await newSigningKey());
    return current().kid;
  }

  function reset(): void {
    plan.clear();
    counter.reset();
    tokens.revokeAll();
    codes.clear();
    revoked.length = 0;
    issuedRefreshTokens.length = 0;
    revokeRequests.length = 0;
  }

  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  issuer = url;
  return partnerControls<Omit<OidcSimulator, keyof PartnerControls>>(
    { url, server, credentials, counter, plan, tokens, reset },
    {
      issuer: url,
      jwksUrl: `${url}${spec.paths.jwks}`,
      mintIdToken,
      rotateKeys,
      retireOldKeys: () => void keys.splice(0, keys.length - 1),
      publishedKids: () => keys.map((key) => key.kid),
      addRedirectUri: (uri) => void redirectUris.add(uri),
      issuedRefreshTokens: () => [...issuedRefreshTokens],
      revokedTokens: () => [...revoked],
      revokeRequests: () => [...revokeRequests],
    },
  );
}
