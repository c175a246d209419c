import { readFileSync } from 'node:fs';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const standard = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');
const urlSafeUnpadded = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('POST /login-flow/delete-account', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  async function account() {
    const body = registration();
    const tokens = (await post(stack.url, '/login-flow/register', body)).body as { access_token: string; refresh_token: string };
    return { body, tokens };
  }
  const deleteWithCtx = (ctx: string) => call(stack.url, 'POST', `/login-flow/delete-account?ctx=${encodeURIComponent(ctx)}`);

  it('deletes everything of the account: tokens stop working, login fails, the email can register again', async () => {
    // Prepare
    const { body, tokens } = await account();
    const second = (await post(stack.url, '/login-flow/login', { email: body.email, password: body.password })).body;
    // Act
    const response = await deleteWithCtx(standard({ 'quick-brick-login-flow.access_token': tokens.access_token }));
    // Assess
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(200);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: second.refresh_token })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/login', { email: body.email, password: body.password })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
  });

  it.each([
    ['standard padded base64, flat mobile key', (token: string) => standard({ 'quick-brick-login-flow.access_token': token })],
    ['URL-safe unpadded base64, TV key', (token: string) => urlSafeUnpadded({ 'zapp_login_plugin_oauth_tv_2_0.access_token': token, other: 'x?>~' })],
    ['nested objects and the legacy token key', (token: string) => urlSafeUnpadded({ 'quick-brick-login-flow': { token } })],
    ['standard base64 without padding', (token: string) => standard({ 'quick-brick-login-flow.access_token': token }).replace(/=+$/, '')],
  ])('reads the access token from ctx in %s', async (_name, encode) => {
    const { tokens } = await account();

    const response = await deleteWithCtx(encode(tokens.access_token));

    expect(response.status).toBe(200);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token })).status).toBe(403);
  });

  it('accepts a ctx sent without URL-encoding, where + arrives as a space', async () => {
    const { tokens } = await account();
    // Pad the JSON until its standard base64 contains '+' or '/'.
    let ctx = '';
    for (let pad = 0; !/[+/]/.test(ctx); pad += 1) ctx = standard({ 'quick-brick-login-flow.access_token': tokens.access_token, pad: '~'.repeat(pad) });

    const response = await call(stack.url, 'POST', `/login-flow/delete-account?ctx=${ctx.replace(/\+/g, ' ').replace(/ /g, '%20')}`);

    expect(response.status).toBe(200);
  });

  it('accepts the access token as a Bearer header', async () => {
    const { tokens } = await account();

    const response = await call(stack.url, 'POST', '/login-flow/delete-account', { headers: { authorization: `Bearer ${tokens.access_token}` } });

    expect(response.status).toBe(200);
  });

  it('answers 200 again for an account that is already deleted', async () => {
    const { tokens } = await account();
    const ctx = standard({ 'quick-brick-login-flow.access_token': tokens.access_token });

    expect((await deleteWithCtx(ctx)).status).toBe(200);
    expect((await deleteWithCtx(ctx)).status).toBe(200);
  });

  it('answers 401 for a missing, garbled, tampered or foreign token and deletes nothing', async () => {
    const { body, tokens } = await account();
    const [header, payload] = tokens.access_token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(tokens.access_token), sub: 'someone-else' })).toString('base64url')}.${tokens.access_token.split('.')[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;

    for (const ctx of [
      '',
      'not base64 at all!',
      standard({ unrelated: true }),
      standard({ 'quick-brick-login-flow.access_token': tampered }),
      standard({ 'quick-brick-login-flow.access_token': unsigned }),
    ]) {
      const response = await deleteWithCtx(ctx);
      expect(response.status).toBe(401);
      expect(response.body).toEqual(expect.objectContaining({ error: 'invalid_token', formError: expect.any(String) }));
    }
    expect((await post(stack.url, '/login-flow/login', { email: body.email, password: body.password })).status).toBe(200);
  });

  it('answers 401 for a token signed with our own key that expired longer ago than the refresh idle lifetime', async () => {
    const { tokens } = await account();
    const keys = JSON.parse(readFileSync(stack.signingKeyFile, 'utf8'));
    const current = keys.keys[1];
    const claims = decodeJwt(tokens.access_token);
    const expired = await new SignJWT({ ...claims, iat: 1_000_000, exp: 1_000_900 })
      .setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'at+jwt' })
      .sign(await importJWK(current.privateJwk, 'ES256'));

    const response = await deleteWithCtx(standard({ 'quick-brick-login-flow.access_token': expired }));

    expect(response.status).toBe(401);
    expect(response.body.formError).toMatch(/expired/);
  });
});
