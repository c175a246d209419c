import { parseAudiences } from '../../../../lambdas/core/portal/audiences';

describe('parseAudiences', () => {
  it('reads the compact form: APIs separated by ";", scopes by spaces, none allowed', () => {
    expect(parseAudiences(' https://a.example.com=read:x  write:x ; https://b.example.com= ;https://c.example.com', 'SANDBOX_API_AUDIENCES')).toEqual([
      { audience: 'https://a.example.com', scope: ['read:x', 'write:x'] },
      { audience: 'https://b.example.com', scope: [] },
      { audience: 'https://c.example.com', scope: [] },
    ]);
  });

  it('reads JSON objects and arrays', () => {
    expect(parseAudiences('{"https://a.example.com": ["read:x"], "https://b.example.com": "read:y write:y"}')).toEqual([
      { audience: 'https://a.example.com', scope: ['read:x'] },
      { audience: 'https://b.example.com', scope: ['read:y', 'write:y'] },
    ]);
    expect(parseAudiences('[{"audience": "https://a.example.com", "scope": ["read:x"]}]')).toEqual([{ audience: 'https://a.example.com', scope: ['read:x'] }]);
  });

  it('is empty when unset', () => {
    expect(parseAudiences(undefined)).toEqual([]);
    expect(parseAudiences('  ')).toEqual([]);
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['https://a.example.com=x;https://a.example.com=y', 'listed twice'],
    ['[{"scope": []}]', 'needs an "audience"'],
    ['{"https://a.example.com": [1]}', 'list of scope strings'],
    ['"just a string"', 'not a valid API audience'],
  ])('refuses %s, naming the problem', (text, problem) => {
    expect(() => parseAudiences(text, 'PRODUCTION_API_AUDIENCES')).toThrow(problem);
  });
});
