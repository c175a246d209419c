import { parseBrand } from '../../../lambdas/core/branding';
import { homePage } from '../../../lambdas/web/home-page';
import { loginPage } from '../../../lambdas/web/login-page';
import { DEFAULT_LOOK, type PageLook } from '../../../lambdas/web/page';
import { verifyEmailPage } from '../../../lambdas/web/verify-email-page';

const BRAND = parseBrand(
  JSON.stringify({
    productName: 'Acme ID',
    logoUrl: 'https://cdn.acme.example/brand/logo.svg',
    primaryColor: '#0b5394',
    accentColor: '#6a1b9a',
    supportEmail: 'help@acme.example',
    termsUrl: 'https://acme.example/terms',
    privacyUrl: 'https://acme.example/privacy',
  }),
);
const look = (overrides: Partial<PageLook>): PageLook => ({ ...DEFAULT_LOOK, ...overrides });
const htmlOf = (result: { rawBody?: string }) => result.rawBody ?? '';

describe('The page shell: language and brand', () => {
  it('stays English with LoginBridge when nothing is configured or chosen', () => {
    const page = htmlOf(homePage());
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>Welcome · LoginBridge</title>');
    expect(page).toContain('<h1>Welcome</h1>');
  });

  it('sets <html lang>, Content-Language and the texts of the chosen language', () => {
    const result = homePage(look({ locale: 'de' }));
    expect(htmlOf(result)).toContain('<html lang="de">');
    expect(htmlOf(result)).toContain('<h1>Willkommen</h1>');
    expect(result.headers?.['Content-Language']).toBe('de');
    expect(result.headers?.['Set-Cookie']).toBeUndefined();
  });

  it('remembers an explicit choice in the lang cookie', () => {
    expect(homePage(look({ locale: 'es', remember: true })).headers?.['Set-Cookie']).toBe('lang=es; Path=/; Max-Age=31536000; Secure; SameSite=Lax');
  });

  it('offers every language as a link that keeps the rest of the query (an emailed link keeps its token)', () => {
    const page = htmlOf(verifyEmailPage({ state: 'valid', token: 'abc', validHours: 24, look: look({ query: { token: 'abc' } }) }));
    expect(page).toContain('href="?token=abc&amp;lang=de" lang="de" hreflang="de">Deutsch</a>');
    expect(page).toContain('href="?token=abc&amp;lang=en" lang="en" hreflang="en" aria-current="true">English</a>');
    expect(page).toContain('href="?token=abc&amp;lang=es" lang="es" hreflang="es">Español</a>');
  });

  it('applies the brand: colors as custom properties, logo with the product name as alt text, title, footer links', () => {
    const page = htmlOf(homePage(look({ brand: BRAND })));
    expect(page).toContain(':root{--brand:#0b5394}');
    expect(page).toContain('--accent:#6a1b9a');
    expect(page).toContain('<img src="https://cdn.acme.example/brand/logo.svg" alt="Acme ID">');
    expect(page).toContain('<title>Welcome · Acme ID</title>');
    expect(page).toContain('<a href="mailto:help@acme.example">Help and support</a>');
    expect(page).toContain('<a href="https://acme.example/terms">Terms</a>');
    expect(page).toContain('<a href="https://acme.example/privacy">Privacy</a>');
  });

  it("allows the logo's origin, and only it, in img-src; script-src stays hash-only", () => {
    const csp = loginPage({ frameAncestors: [], look: look({ brand: BRAND }) }).headers?.['Content-Security-Policy'] ?? '';
    expect(csp).toContain("img-src 'self' data: https://cdn.acme.example;");
    expect(csp).toMatch(/script-src 'sha256-[^']+';/);
    expect(csp).not.toContain('unsafe-inline');
    expect(homePage().headers?.['Content-Security-Policy']).toContain("img-src 'self' data:;");
  });

  it('gives the login script its messages in the page language through the JSON island', () => {
    const page = htmlOf(loginPage({ frameAncestors: [], look: look({ locale: 'de' }) }));
    expect(page).toContain('"login.script.busy":"Anmeldung läuft, bitte warten."');
    expect(page).toContain('>Anmelden</button>');
    expect(page).toContain('<label for="password">Passwort</label>');
  });

  it('escapes a product name with markup everywhere it appears', () => {
    const page = htmlOf(homePage(look({ brand: { ...BRAND, logoUrl: undefined, productName: '<b>Acme</b>' } })));
    expect(page).not.toContain('<b>Acme</b>');
    expect(page).toContain('&lt;b&gt;Acme&lt;/b&gt;');
  });
});
