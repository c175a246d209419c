import { acronisDataCenter, acronisLoginUrl, astratoTicketUrl } from '../../../../lambdas/core/sso/links';

describe('astratoTicketUrl', () => {
  it('builds {base}/auth/proxy/oem/ticket/{ticket}?embed and encodes the ticket', () => {
    expect(astratoTicketUrl('https://app.astrato.io/', 'abc-123')).toBe('https://app.astrato.io/auth/proxy/oem/ticket/abc-123?embed');
    expect(astratoTicketUrl('http://127.0.0.1:4001', 'a/b?c#d')).toBe('http://127.0.0.1:4001/auth/proxy/oem/ticket/a%2Fb%3Fc%23d?embed');
  });
});

describe('acronisLoginUrl', () => {
  it("puts the url-encoded OTT and the plain target in the fragment, as Acronis's guide builds it, or both encoded in the query", () => {
    const ott = 'YWJj+ZGVm/Z2hp==';
    expect(acronisLoginUrl('https://dc.example', ott, 'https://dc.example/mc/', 'fragment')).toBe(
      'https://dc.example/api/2/idp/external-login#ott=YWJj%2BZGVm%2FZ2hp%3D%3D&targetURI=https://dc.example/mc/',
    );
    expect(acronisLoginUrl('https://dc.example', ott, 'https://dc.example/bc/#/tasks?view=all', 'fragment')).toBe(
      'https://dc.example/api/2/idp/external-login#ott=YWJj%2BZGVm%2FZ2hp%3D%3D&targetURI=https://dc.example/bc/#/tasks?view=all',
    );
    expect(acronisLoginUrl('https://dc.example/api/2/', ott, 'https://dc.example/mc/', 'query')).toBe(
      'https://dc.example/api/2/idp/external-login?ott=YWJj%2BZGVm%2FZ2hp%3D%3D&targetURI=https%3A%2F%2Fdc.example%2Fmc%2F',
    );
  });

  it('encodes only what would break the fragment, should such a target ever get this far', () => {
    expect(acronisLoginUrl('https://dc.example', 'o', 'https://dc.example/mc/?a=1&b=2+3%', 'fragment')).toBe(
      'https://dc.example/api/2/idp/external-login#ott=o&targetURI=https://dc.example/mc/?a=1%26b=2%2B3%25',
    );
  });

  it('reads the data center from a base URL with or without /api/2', () => {
    expect(acronisDataCenter('https://dc.example/api/2')).toBe('https://dc.example');
    expect(acronisDataCenter('https://dc.example/')).toBe('https://dc.example');
  });
});
