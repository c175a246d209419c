import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import type { DeviceAuthorization } from '../../../lambdas/core/oauth/device-flow';
import { call, post, registration, STRONG_PASSWORD, type TestResponse } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CLIENT_ID = 'applicaster-tv';

/** A form-encoded POST, as RFC 6749 clients send it. */
function form(
  stack: TestStack,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TestResponse<Record<string, any>>> {
  return call(stack.url, 'POST', path, {
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** Applicaster's TV plugin: parameters in the query string, an empty body, and `Content-Type: x-www-form-urlencoded`. */
function applicaster(
  stack: TestStack,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TestResponse<Record<string, any>>> {
  return call(stack.url, 'POST', `${path}?${new URLSearchParams(params)}`, { body: '', headers: { 'Content-Type': 'x-www-form-urlencoded', ...headers } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TV sign-in with the device authorization grant', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: { DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV,other-tv', DEVICE_POLL_INTERVAL_SECONDS: '1', DEVICE_CODE_TTL_SECONDS: '120' },
    });
  });
  afterAll(() => stack.stop());

  async function user() {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    return { email: body.email as string, password: STRONG_PASSWORD, tokens: registered.body };
  }

  async function startDevice(clientId = CLIENT_ID) {
    const response = await form(stack, '/oauth/device_authorization', { client_id: clientId });
    expect(response.status).toBe(200);
    return response.body as DeviceAuthorization;
  }

  async function approve(userCode: string, who: { email: string; password: string }) {
    const response = await post(stack.url, '/activate/decision', { user_code: userCode, decision: 'approve', email: who.email, password: who.password });
    expect(response.status).toBe(200);
    return response;
  }

  const poll = (deviceCode: string, clientId = CLIENT_ID) =>
    form(stack, '/oauth/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId });

  describe('GET /.well-known/oauth-authorization-server', () => {
    it('publishes the endpoints and grants of RFC 8414 under the issuer', async () => {
      const response = await call(stack.url, 'GET', '/.well-known/oauth-authorization-server');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        issuer: stack.url,
        token_endpoint: `${stack.url}/oauth/token`,
        device_authorization_endpoint: `${stack.url}/oauth/device_authorization`,
        revocation_endpoint: `${stack.url}/oauth/revoke`,
        jwks_uri: `${stack.url}/.well-known/jwks.json`,
        grant_types_supported: [DEVICE_GRANT, 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        response_types_supported: [],
        token_endpoint_auth_methods_supported: ['none'],
        revocation_endpoint_auth_methods_supported: ['none'],
      });
    });
  });

  describe('POST /oauth/device_authorization', () => {
    it('answers RFC 8628 §3.2 codes with numeric lifetimes, never cached', async () => {
      const response = await form(stack, '/oauth/device_authorization', { client_id: CLIENT_ID, scope: 'tv' });

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = response.body;
      expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(body.device_code.length).toBeGreaterThanOrEqual(43 + 9);
      expect(body.verification_uri).toBe(`${stack.url}/activate`);
      expect(body.verification_uri_complete).toBe(`${stack.url}/activate?user_code=${body.user_code}`);
      expect(body).toMatchObject({ expires_in: 120, interval: 1 });
    });

    it('refuses an unknown or missing client with 401 invalid_client', async () => {
      const unknown = await form(stack, '/oauth/device_authorization', { client_id: 'someone-else' });
      const missing = await form(stack, '/oauth/device_authorization', {});

      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
      expect(missing.status).toBe(401);
      expect(missing.body.error).toBe('invalid_client');
    });

    it('refuses a parameter sent in the query and the body with different values', async () => {
      const response = await call(stack.url, 'POST', `/oauth/device_authorization?client_id=${CLIENT_ID}`, {
        body: 'client_id=other-tv',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
      expect(response.body.error_description).toMatch(/client_id/);
    });
  });

  describe("Applicaster's TV plugin request style", () => {
    it('signs in with query-string parameters, an empty body and the malformed content type, then refreshes with a Basic header and logs out', async () => {
      // Prepare
      const who = await user();
      const started = await applicaster(stack, '/oauth/device_authorization', { client_id: CLIENT_ID });
      expect(started.status).toBe(200);
      const { device_code, user_code } = started.body;
      const tokenParams = { grant_type: DEVICE_GRANT, client_id: CLIENT_ID, device_code };

      // Act: the plugin waits `interval` and polls; it only keeps polling after a non-2xx answer.
      await sleep(1100);
      const pending = await applicaster(stack, '/oauth/token', tokenParams);
      await approve(user_code, who);
      await sleep(1100);
      const granted = await applicaster(stack, '/oauth/token', tokenParams);
      const refreshed = await applicaster(
        stack,
        '/oauth/token',
        { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: granted.body.refresh_token },
        { Authorization: 'Basic YXBwbGljYXN0ZXI6bm90LWEtc2VjcmV0' },
      );
      const loggedOut = await applicaster(stack, '/oauth/revoke', { client_id: CLIENT_ID, access_token: refreshed.body.access_token });
      const afterLogout = await post(stack.url, '/login-flow/refresh', { refresh_token: refreshed.body.refresh_token });

      // Assess
      expect(pending.status).toBe(400);
      expect(pending.body.error).toBe('authorization_pending');
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String), refresh_token: expect.any(String) });
      expect(typeof granted.body.expires_in).toBe('number');
      const claims = decodeJwt(granted.body.access_token);
      expect(claims).toMatchObject({ sub: decodeJwt(who.tokens.access_token).sub, client_id: CLIENT_ID });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).not.toBe(granted.body.refresh_token);
      expect(loggedOut.status).toBe(200);
      expect(afterLogout.status).toBe(403);
    });
  });

  describe('POST /oauth/token with the device_code grant', () => {
    it('answers every pending poll with a 400 error, never a 2xx, and always no-store', async () => {
      const device = await startDevice();

      await sleep(1100);
      const first = await poll(device.device_code);
      await sleep(1100);
      const second = await poll(device.device_code);

      for (const response of [first, second]) {
        expect(response.status).toBe(400);
        expect(response.body.error).toBe('authorization_pending');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('answers slow_down to a device polling faster than the interval, and remembers the longer interval', async () => {
      const device = await startDevice();

      const tooEarly = await poll(device.device_code);
      await sleep(1100);
      // 1.1 s was enough before; the interval is now 1 + 5 s.
      const stillTooEarly = await poll(device.device_code);

      expect(tooEarly.status).toBe(400);
      expect(tooEarly.body.error).toBe('slow_down');
      expect(tooEarly.body.error_description).toMatch(/6 seconds/);
      expect(stillTooEarly.body.error).toBe('slow_down');
      expect(stillTooEarly.body.error_description).toMatch(/11 seconds/);
    });

    it('gives the tokens to exactly one poll once approved, and invalid_grant to every later one', async () => {
      const who = await user();
      const device = await startDevice();
      await approve(device.user_code, who);

      const granted = await poll(device.device_code);
      const again = await poll(device.device_code);

      expect(granted.status).toBe(200);
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_grant');
    });

    it('lets only one of many simultaneous polls redeem an approved code', async () => {
      // Prepare
      const who = await user();
      const device = await startDevice();
      await approve(device.user_code, who);

      // Act
      const answers = await Promise.all(Array.from({ length: 8 }, () => poll(device.device_code)));

      // Assess
      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of answers.filter((answer) => answer.status !== 200)) {
        expect(loser.status).toBe(400);
        // A loser that met the winner mid-transaction is told to poll again; its next poll gets invalid_grant.
        expect(['invalid_grant', 'authorization_pending']).toContain(loser.body.error);
      }
      expect((await poll(device.device_code)).body.error).toBe('invalid_grant');
      const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
      const sub = decodeJwt(who.tokens.access_token).sub as string;
      const { Items } = await db.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': `USER#${sub}`, ':s': 'SESSION#' },
        }),
      );
      expect((Items ?? []).filter((item) => item.clientId === CLIENT_ID)).toHaveLength(1);
    });

    it('answers access_denied after the user cancels on /activate', async () => {
      const device = await startDevice();
      const denied = await post(stack.url, '/activate/decision', { user_code: device.user_code.toLowerCase(), decision: 'deny' });

      await sleep(1100);
      const response = await poll(device.device_code);

      expect(denied.status).toBe(200);
      expect(denied.body.decision).toBe('denied');
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('access_denied');
    });

    it('refuses a device code presented by another client, a forged one and an unknown grant type', async () => {
      const device = await startDevice();

      const otherClient = await poll(device.device_code, 'other-tv');
      const forged = await poll(`${device.user_code.replace('-', '')}.${'A'.repeat(43)}`);
      const garbage = await poll('not-a-device-code');
      const unsupported = await form(stack, '/oauth/token', { grant_type: 'password', client_id: CLIENT_ID });
      const missing = await form(stack, '/oauth/token', { client_id: CLIENT_ID });

      expect(otherClient.body.error).toBe('invalid_grant');
      expect(forged.body.error).toBe('invalid_grant');
      expect(garbage.body.error).toBe('invalid_grant');
      expect(unsupported.status).toBe(400);
      expect(unsupported.body.error).toBe('unsupported_grant_type');
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: 'grant_type is required.' });
    });

    it('answers malformed bodies with the OAuth error shape, never a 500', async () => {
      const json = await call(stack.url, 'POST', '/oauth/token', { body: '[1,2]', headers: { 'content-type': 'application/json' } });
      const broken = await call(stack.url, 'POST', '/oauth/token', { body: '{"grant_type":', headers: { 'content-type': 'application/json' } });
      const wrongType = await call(stack.url, 'POST', '/oauth/token', { json: { grant_type: 42 } });
      const huge = await form(stack, '/oauth/token', { grant_type: DEVICE_GRANT, device_code: 'x'.repeat(20_000) });

      expect(json.status).toBe(400);
      expect(json.body.error).toBe('invalid_request');
      expect(broken.status).toBe(400);
      expect(broken.body.error).toBe('invalid_request');
      expect(wrongType.body).toMatchObject({ error: 'invalid_request', error_description: 'grant_type must be a single text value.' });
      expect(huge.status).toBe(413);
      expect(huge.body.error).toBe('invalid_request');
    });
  });

  describe('POST /oauth/token with the refresh_token grant', () => {
    async function deviceTokens() {
      const who = await user();
      const device = await startDevice();
      await approve(device.user_code, who);
      const granted = await poll(device.device_code);
      expect(granted.status).toBe(200);
      return granted.body;
    }

    it('rotates the refresh token, repeats the successor for a retry, and a token two rotations old ends the whole family', async () => {
      const tokens = await deviceTokens();
      const grant = (refresh_token: string) => form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token, client_id: CLIENT_ID });

      const first = await grant(tokens.refresh_token);
      const retried = await grant(tokens.refresh_token);
      const second = await grant(first.body.refresh_token);
      const reused = await grant(tokens.refresh_token);
      const successor = await grant(second.body.refresh_token);

      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(retried.status).toBe(200);
      expect(retried.body.refresh_token).toBe(first.body.refresh_token);
      expect(second.status).toBe(200);
      expect(reused.status).toBe(400);
      expect(reused.body.error).toBe('invalid_grant');
      expect(successor.status).toBe(400);
      expect(successor.body.error).toBe('invalid_grant');
    });

    it('shares sessions with the Login Flow: a device refresh token works on /login-flow/refresh and its successor on /oauth/token', async () => {
      const tokens = await deviceTokens();

      const viaLoginFlow = await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token });
      const viaOAuth = await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: viaLoginFlow.body.refresh_token });

      expect(viaLoginFlow.status).toBe(200);
      expect(viaOAuth.status).toBe(200);
      expect(decodeJwt(viaOAuth.body.access_token).client_id).toBe(CLIENT_ID);
    });

    it('refuses a refresh by another registered client without spending the token, and an unknown client with 401', async () => {
      const tokens = await deviceTokens();

      const otherClient = await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'other-tv' });
      const unknownClient = await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'nobody' });
      const rightClient = await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT_ID });

      expect(otherClient.status).toBe(400);
      expect(otherClient.body.error).toBe('invalid_grant');
      expect(unknownClient.status).toBe(401);
      expect(unknownClient.body.error).toBe('invalid_client');
      expect(rightClient.status).toBe(200);
    });

    it('lets a Login Flow refresh token be refreshed by the device client too', async () => {
      const who = await user();

      const response = await form(stack, '/oauth/token', { grant_type: 'refresh_token', refresh_token: who.tokens.refresh_token, client_id: CLIENT_ID });

      expect(response.status).toBe(200);
    });
  });

  describe('POST /oauth/revoke', () => {
    it('answers 200 for unknown, malformed and already revoked tokens', async () => {
      const answers = await Promise.all([
        form(stack, '/oauth/revoke', { token: 'nothing-we-issued' }),
        form(stack, '/oauth/revoke', { token: `${'a'.repeat(22)}.${'b'.repeat(22)}.${'c'.repeat(43)}`, token_type_hint: 'refresh_token' }),
        form(stack, '/oauth/revoke', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', token_type_hint: 'access_token' }),
      ]);

      for (const answer of answers) expect(answer.status).toBe(200);
    });

    it('ends the whole family of a refresh token', async () => {
      const who = await user();
      const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: who.tokens.refresh_token });

      // The rotated-out token is genuine too: revoking it ends the family, current token included.
      const revoked = await form(stack, '/oauth/revoke', { token: who.tokens.refresh_token, token_type_hint: 'refresh_token' });
      const current = await post(stack.url, '/login-flow/refresh', { refresh_token: refreshed.body.refresh_token });

      expect(revoked.status).toBe(200);
      expect(current.status).toBe(403);
    });

    it('ends the session an access token belongs to', async () => {
      const who = await user();

      const revoked = await form(stack, '/oauth/revoke', { token: who.tokens.access_token });
      const refresh = await post(stack.url, '/login-flow/refresh', { refresh_token: who.tokens.refresh_token });

      expect(revoked.status).toBe(200);
      expect(refresh.status).toBe(403);
    });

    it('requires a token and a registered client when one is named', async () => {
      const missing = await form(stack, '/oauth/revoke', {});
      const unknownClient = await form(stack, '/oauth/revoke', { token: 'x', client_id: 'nobody' });

      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: 'token is required.' });
      expect(unknownClient.status).toBe(401);
    });
  });

  describe('POST /activate/lookup and /activate/decision', () => {
    it('names the app asking and matches the code ignoring case, spaces and the dash', async () => {
      const device = await startDevice();

      const response = await post(stack.url, '/activate/lookup', { user_code: ` ${device.user_code.replace('-', ' ').toLowerCase()} ` });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ user_code: device.user_code, client_id: CLIENT_ID, client_name: 'Acme TV' });
      expect(response.body.expires_in).toBeGreaterThan(100);
    });

    it('lets an app that is already signed in approve with its bearer token, but not one whose session has ended', async () => {
      const who = await user();
      const device = await startDevice();
      const other = await startDevice();
      const ended = await user();
      await form(stack, '/oauth/revoke', { token: ended.tokens.refresh_token });

      const approved = await call(stack.url, 'POST', '/activate/decision', {
        json: { user_code: device.user_code, decision: 'approve' },
        headers: { authorization: `Bearer ${who.tokens.access_token}` },
      });
      const refused = await call(stack.url, 'POST', '/activate/decision', {
        json: { user_code: other.user_code, decision: 'approve' },
        headers: { authorization: `Bearer ${ended.tokens.access_token}` },
      });
      const granted = await poll(device.device_code);

      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ decision: 'approved', client_name: 'Acme TV' });
      expect(refused.status).toBe(401);
      expect(granted.status).toBe(200);
      expect(decodeJwt(granted.body.access_token).sub).toBe(decodeJwt(who.tokens.access_token).sub);
    });

    it('refuses a wrong password under the sign-in rules and keeps the code usable', async () => {
      const who = await user();
      const device = await startDevice();

      const wrong = await post(stack.url, '/activate/decision', {
        user_code: device.user_code,
        decision: 'approve',
        email: who.email,
        password: 'not the password',
      });
      const right = await post(stack.url, '/activate/decision', { user_code: device.user_code, decision: 'approve', email: who.email, password: who.password });

      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({
        error: 'invalid_credentials',
        formError: 'The email or password is incorrect.',
        fieldErrors: { email: true, password: true },
      });
      expect(right.status).toBe(200);
    });

    it('says plainly when a code was already used, and reports every missing field at once', async () => {
      const who = await user();
      const device = await startDevice();
      await approve(device.user_code, who);

      const reused = await post(stack.url, '/activate/lookup', { user_code: device.user_code });
      const incomplete = await post(stack.url, '/activate/decision', { user_code: 'AEIOU', decision: 'approve' });

      expect(reused.status).toBe(400);
      expect(reused.body).toMatchObject({ error: 'code_used', fieldErrors: { user_code: expect.stringMatching(/already used/) } });
      expect(incomplete.status).toBe(400);
      expect(Object.keys(incomplete.body.fieldErrors).sort()).toEqual(['email', 'password', 'user_code']);
    });
  });
});
