import { OAuthError } from '../../../../lambdas/core/errors';
import type { HttpRequest } from '../../../../lambdas/http/request';
import { oauthParams, parseOAuthParams, revocationParams, tokenParams } from '../../../../lambdas/http/schemas/oauth';

const request = (query: Record<string, string>, body: unknown): HttpRequest => ({
  method: 'POST',
  path: '/oauth/token',
  headers: {},
  query,
  pathParameters: {},
  body,
  rawBody: '',
  clientIp: '127.0.0.1',
  correlationId: 'test',
});

const codeOf = (action: () => unknown) => {
  try {
    action();
    return 'ok';
  } catch (error) {
    return error instanceof OAuthError ? `${error.code}: ${error.message}` : String(error);
  }
};

describe('OAuth parameters', () => {
  it('merges the query string with a form body and drops empty values (RFC 6749 §3.1)', () => {
    expect(oauthParams(request({ client_id: 'tv', scope: '' }, { grant_type: 'refresh_token', client_id: 'tv' }))).toEqual({
      client_id: 'tv',
      grant_type: 'refresh_token',
    });
  });

  it('refuses a parameter given twice with different values, and a body that is not a set of parameters', () => {
    expect(codeOf(() => oauthParams(request({ client_id: 'tv' }, { client_id: 'other' })))).toBe(
      'invalid_request: client_id was sent twice with different values.',
    );
    expect(codeOf(() => oauthParams(request({}, 'text')))).toMatch(/^invalid_request/);
    expect(codeOf(() => oauthParams(request({}, [1])))).toMatch(/^invalid_request/);
  });

  it('names the first problem in the error description', () => {
    expect(codeOf(() => parseOAuthParams(tokenParams, request({}, {})))).toBe('invalid_request: grant_type is required.');
    expect(codeOf(() => parseOAuthParams(tokenParams, request({}, { grant_type: ['a', 'b'] })))).toBe(
      'invalid_request: grant_type must be a single text value.',
    );
    expect(codeOf(() => parseOAuthParams(tokenParams, request({}, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(513) })))).toBe(
      'invalid_request: refresh_token is too long.',
    );
  });

  it("reads the TV plugin's logout (access_token instead of token) as an access-token revocation", () => {
    expect(parseOAuthParams(revocationParams, request({ client_id: 'tv', access_token: 'abc' }, undefined))).toEqual({
      token: 'abc',
      token_type_hint: 'access_token',
      client_id: 'tv',
    });
    expect(parseOAuthParams(revocationParams, request({}, { token: 'abc' }))).toEqual({ token: 'abc' });
  });
});
