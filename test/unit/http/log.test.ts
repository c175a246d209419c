import { log, redact } from '../../../lambdas/http/log';

describe('redact', () => {
  it('masks secret-looking keys at any depth and bearer-looking values under any key', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const refresh = `${'u'.repeat(22)}.${'f'.repeat(22)}.${'s'.repeat(43)}`;

    const redacted = redact({
      password: 'hunter2',
      nested: { clientSecret: 'shh', access_token: 'a', Authorization: 'Bearer x', list: [{ ott: 'o', ticket: 't' }] },
      note: `user sent ${jwt} and ${refresh}`,
      correlationId: 'c-1',
    });

    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|shh|Bearer x|"o"|"t"|eyJ|sssss/);
    expect(redacted).toMatchObject({ correlationId: 'c-1', nested: { list: [{ ott: '[redacted]' }] } });
  });
});

describe('log', () => {
  it('writes one JSON line without the secrets it was handed', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const original = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = 'INFO';
      log.info('signed in', { correlationId: 'c-2', refresh_token: 'secret-refresh', password: 'pw' });
    } finally {
      process.env.LOG_LEVEL = original;
      spy.mockRestore();
    }
    const written = lines.join('');
    expect(written).toContain('signed in');
    expect(written).toContain('c-2');
    expect(written).not.toMatch(/secret-refresh|"pw"/);
  });
});
