import fc from 'fast-check';
import { TargetNotAllowedError } from '../../../../lambdas/core/errors';
import { parseAllowList, resolveTarget } from '../../../../lambdas/core/sso/targets';

const DC = 'https://eu2-cloud.acronis.com';
const list = parseAllowList('{dc}/mc/,{dc}/bc/,https://docs.example.com/help', DC);

describe('resolveTarget', () => {
  it('defaults to the first allow-list entry', () => {
    expect(resolveTarget(undefined, list, DC)).toBe(`${DC}/mc/`);
  });

  it('accepts targets on and below an entry that ends with a slash, and paths relative to the data center', () => {
    expect(resolveTarget(`${DC}/mc/`, list, DC)).toBe(`${DC}/mc/`);
    expect(resolveTarget(`${DC}/bc/#/dashboard?x=1`, list, DC)).toBe(`${DC}/bc/#/dashboard?x=1`);
    expect(resolveTarget('/bc/tasks', list, DC)).toBe(`${DC}/bc/tasks`);
    expect(resolveTarget('HTTPS://EU2-CLOUD.ACRONIS.COM/mc/', list, DC)).toBe(`${DC}/mc/`);
  });

  it('accepts an entry without a trailing slash only exactly', () => {
    expect(resolveTarget('https://docs.example.com/help', list, DC)).toBe('https://docs.example.com/help');
    expect(() => resolveTarget('https://docs.example.com/helpdesk', list, DC)).toThrow(TargetNotAllowedError);
  });

  it.each([
    ['another host', 'https://evil.example/mc/'],
    ['a look-alike host', 'https://eu2-cloud.acronis.com.evil.example/mc/'],
    ['user-info before the host', 'https://eu2-cloud.acronis.com@evil.example/mc/'],
    ['a protocol-relative URL', '//evil.example/mc/'],
    ['a backslash trick', 'https:\\\\evil.example/mc/'],
    ['plain http on the same host', 'http://eu2-cloud.acronis.com/mc/'],
    ['another port', 'https://eu2-cloud.acronis.com:8443/mc/'],
    ['a path outside the list', `${DC}/api/2/users`],
    ['dot segments out of the list', `${DC}/mc/../api/2/users`],
    ['encoded dot segments', `${DC}/mc/%2e%2e/api/2/users`],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,hi'],
    ['a newline', `${DC}/mc/\n`],
    ['an & that would start another fragment parameter', `${DC}/mc/?a=1&ott=forged`],
    ['a percent escape a fragment parser would decode', `${DC}/mc/%3Fx`],
    ['a + a form parser would read as a space', `${DC}/mc/a+b`],
    ['the prefix without its slash', `${DC}/mc`],
  ])('refuses %s', (_name, target) => {
    expect(() => resolveTarget(target, list, DC)).toThrow(TargetNotAllowedError);
  });

  it('never resolves to anything outside the allow-listed origins and paths (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc.string(),
          fc.webPath().map((path) => `/${path}`),
        ),
        (candidate) => {
          let resolved: string;
          try {
            resolved = resolveTarget(candidate, list, DC);
          } catch (error) {
            return error instanceof TargetNotAllowedError;
          }
          const url = new URL(resolved);
          return (url.origin === DC && (url.pathname.startsWith('/mc/') || url.pathname.startsWith('/bc/'))) || url.href === 'https://docs.example.com/help';
        },
      ),
    );
  });
});

describe('parseAllowList', () => {
  it('replaces {dc} and refuses entries that are not http(s) URL prefixes', () => {
    expect(parseAllowList('{dc}/mc/', 'https://dc.example/')).toEqual([{ origin: 'https://dc.example', path: '/mc/', href: 'https://dc.example/mc/' }]);
    expect(() => parseAllowList('ftp://dc.example/', DC)).toThrow();
    expect(() => parseAllowList('{dc}/mc/?x=1', DC)).toThrow();
    expect(() => parseAllowList('{dc}/a+b/', DC)).toThrow();
  });
});
