import { decodeJwt } from 'jose';
import { call, post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('POST /login-flow/register', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('creates an account and answers with tokens and the status in the body', async () => {
    // Prepare
    const body = registration({ email: '  New.User@Example.COM ' });
    // Act
    const response = await post(stack.url, '/login-flow/register', body);
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 200, token_type: 'Bearer', expires_in: 900 });
    expect(typeof response.body.access_token).toBe('string');
    expect(typeof response.body.refresh_token).toBe('string');
    const claims = decodeJwt(response.body.access_token);
    expect(claims.sub).toEqual(expect.any(String));
  });

  it('normalises the email so a differently written address cannot register twice', async () => {
    const email = uniqueEmail('Case');
    expect((await post(stack.url, '/login-flow/register', registration({ email }))).status).toBe(200);

    const again = await post(stack.url, '/login-flow/register', registration({ email: `  ${email.toUpperCase()}  ` }));

    expect(again.status).toBe(403);
    expect(again.body.fieldErrors.email).toMatch(/already exists/);
  });

  it('reports every failing field at once', async () => {
    const response = await post(stack.url, '/login-flow/register', {
      firstName: ' ',
      lastName: '',
      email: 'not-an-email',
      password: 'password123',
      approveTermsOfUse: null,
    });

    expect(response.status).toBe(403);
    expect(response.body.formError).toEqual(expect.any(String));
    // approveTermsOfUse: null is what the contract allows: not an error by default (TERMS_REQUIRED=false).
    expect(Object.keys(response.body.fieldErrors).sort()).toEqual(['email', 'firstName', 'lastName', 'password']);
    expect(response.body.fieldErrors.password).toMatch(/too common/);
  });

  it('refuses passwords shorter than 8 characters and accepts long passphrases', async () => {
    const short = await post(stack.url, '/login-flow/register', registration({ password: 'Xk3#pq' }));
    const long = await post(stack.url, '/login-flow/register', registration({ password: 'a quite long passphrase that keeps going '.repeat(5) }));

    expect(short.status).toBe(403);
    expect(short.body.fieldErrors.password).toMatch(/at least 8/);
    expect(long.status).toBe(200);
  });

  it('checks passwordConfirmation when the client sends it and accepts username as the email', async () => {
    const email = uniqueEmail('roku');
    const mismatch = await post(stack.url, '/login-flow/register', {
      ...registration(),
      email: undefined,
      username: email,
      passwordConfirmation: 'something else entirely',
    });
    const match = await post(stack.url, '/login-flow/register', {
      ...registration(),
      email: undefined,
      username: email,
      passwordConfirmation: STRONG_PASSWORD,
      platform: 'roku',
      signedDeviceInfoToken: 'opaque',
    });

    expect(mismatch.status).toBe(403);
    expect(mismatch.body.fieldErrors).toEqual({ passwordConfirmation: 'The passwords do not match.' });
    expect(match.status).toBe(200);
  });

  it('lets exactly one of two concurrent registrations of one email succeed', async () => {
    const email = uniqueEmail('race');

    const results = await Promise.all(Array.from({ length: 6 }, () => post(stack.url, '/login-flow/register', registration({ email }))));

    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 403)).toHaveLength(5);
    const login = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('answers malformed JSON, wrong types and oversized bodies with the error shape, never a 500', async () => {
    const malformed = await call(stack.url, 'POST', '/login-flow/register', { body: '{"firstName": ', headers: { 'content-type': 'application/json' } });
    const wrongTypes = await post(stack.url, '/login-flow/register', { firstName: 42, lastName: ['x'], email: true, password: {}, approveTermsOfUse: 7 });
    const array = await post(stack.url, '/login-flow/register', [1, 2, 3]);
    const oversized = await post(stack.url, '/login-flow/register', registration({ firstName: 'x'.repeat(20_000) }));

    for (const response of [malformed, wrongTypes, array]) {
      expect(response.status).toBe(403);
      expect(response.body).toEqual(
        expect.objectContaining({ formError: expect.any(String), fieldErrors: expect.any(Object), correlationId: expect.any(String) }),
      );
      expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(Object.keys(wrongTypes.body.fieldErrors).sort()).toEqual(['approveTermsOfUse', 'email', 'firstName', 'lastName', 'password']);
    expect(oversized.status).toBe(413);
    expect(oversized.body.error).toBe('payload_too_large');
  });

  it('accepts JSON sent as text/plain or with no Content-Type at all', async () => {
    const plain = await call(stack.url, 'POST', '/login-flow/register', { body: JSON.stringify(registration()), headers: { 'content-type': 'text/plain' } });
    const none = await call(stack.url, 'POST', '/login-flow/register', { body: JSON.stringify(registration()) });

    expect(plain.status).toBe(200);
    expect(none.status).toBe(200);
  });
});
