import { accessTokenFromCtx } from '../../../lambdas/core/ctx';

const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const encode = (value: object, alphabet: 'base64' | 'base64url') => Buffer.from(JSON.stringify(value)).toString(alphabet);

describe('accessTokenFromCtx', () => {
  it.each([
    ['standard, padded', encode({ 'quick-brick-login-flow.access_token': token, pad: 'ab' }, 'base64')],
    ['URL-safe, unpadded', encode({ 'quick-brick-login-flow.access_token': token }, 'base64url')],
    ['URL-encoded standard', encodeURIComponent(encode({ 'quick-brick-login-flow.access_token': token }, 'base64'))],
    ['TV key', encode({ 'zapp_login_plugin_oauth_tv_2_0.access_token': token }, 'base64url')],
    ['legacy token key', encode({ 'quick-brick-login-flow.token': token }, 'base64')],
    ['nested objects', encode({ 'quick-brick-login-flow': { access_token: token } }, 'base64')],
  ])('finds the token in %s', (_name, ctx) => {
    expect(accessTokenFromCtx(ctx)).toBe(token);
  });

  it('prefers the access token over the legacy key when both are present', () => {
    expect(accessTokenFromCtx(encode({ 'quick-brick-login-flow.token': 'old', 'quick-brick-login-flow.access_token': token }, 'base64'))).toBe(token);
  });

  it.each([
    undefined,
    '',
    '%E0%A4%A',
    '!!!',
    encode({ other: token }, 'base64'),
    Buffer.from('not json').toString('base64'),
    encode({ 'quick-brick-login-flow.access_token': 7 }, 'base64'),
  ])('returns nothing for %p', (ctx) => {
    expect(accessTokenFromCtx(ctx)).toBeUndefined();
  });
});
