import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('GET / (the home page)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('answers the address a person opens first with a page, not a JSON 404', async () => {
    const response = await call(stack.url, 'GET', '/');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<h1>Welcome</h1>');
  });

  it('links to every place a person may be looking for, each a page the stack serves', async () => {
    const page = (await call(stack.url, 'GET', '/')).text;
    const links = [...page.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1]);

    expect(links).toEqual(expect.arrayContaining(['signup', 'activate', 'portal', 'reset-password']));
    for (const link of links.filter((href) => href !== 'account')) {
      const target = await call(stack.url, 'GET', `/${link}`);
      expect({ link, status: target.status, type: target.headers.get('content-type') }).toEqual({ link, status: 200, type: 'text/html; charset=utf-8' });
    }
  });

  it('runs no script and may not be framed', async () => {
    const response = await call(stack.url, 'GET', '/');
    const csp = response.headers.get('content-security-policy') ?? '';

    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
