import { linksStayHome } from '../../../lambdas/core/mail-limits';
import { shownText } from '../../../lambdas/core/mail-text';

describe('shownText', () => {
  it.each([
    ['<a href="https://evil.example">Claim</a> prize', 'Claim prize'],
    ['visit example.com now', 'visit now'],
    ['go to www.evil.io', 'go to'],
    ['javascript:alert(1) Bob', 'Bob'],
    ['mail me at x@evil.com', 'mail me at'],
    ['Ann\u202eevil', 'Ann evil'],
    ['evil\uff0ecom', ''],
    ['<img src=x onerror=alert(1)>Eve', 'Eve'],
  ])('strips links and markup from %j', (input, expected) => {
    expect(shownText(input)).toBe(expected);
  });

  it('keeps ordinary names as they are', () => {
    expect(shownText("Renée O'Brien-Smith")).toBe("Renée O'Brien-Smith");
    expect(shownText('Dr. Ada Lovelace')).toBe('Dr. Ada Lovelace');
  });

  it('bounds the length', () => {
    expect([...shownText('a'.repeat(500))].length).toBe(40);
    expect([...shownText('a '.repeat(100), 10)].length).toBeLessThanOrEqual(10);
  });
});

describe('linksStayHome', () => {
  const email = (links: string[], text = '', html = '') => ({ links, text, html });

  it('accepts links under the public base URL only', () => {
    expect(linksStayHome(email(['https://login.example/portal#invite=x']), 'https://login.example/')).toBe(true);
    expect(linksStayHome(email(['https://login.example.evil.com/portal']), 'https://login.example')).toBe(false);
    expect(linksStayHome(email(['https://login.example/x'], 'see http://evil.example/'), 'https://login.example')).toBe(false);
    expect(linksStayHome(email([], '', '<a href="https://evil.example">x</a>'), 'https://login.example')).toBe(false);
  });
});
