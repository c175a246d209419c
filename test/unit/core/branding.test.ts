import { brandSchema, contrastRatio, DEFAULT_BRAND, MIN_CONTRAST, parseBrand, supportLink } from '../../../lambdas/core/branding';

describe('The brand setting', () => {
  it('is LoginBridge when unset or empty', () => {
    expect(parseBrand(undefined)).toEqual(DEFAULT_BRAND);
    expect(parseBrand('  ')).toEqual(DEFAULT_BRAND);
    expect(DEFAULT_BRAND.productName).toBe('LoginBridge');
  });

  it('reads a full brand', () => {
    const brand = parseBrand(
      JSON.stringify({
        productName: 'Acme ID',
        logoUrl: 'https://cdn.acme.example/logo.svg',
        primaryColor: '#0B5394',
        accentColor: '#6a1b9a',
        supportEmail: 'help@acme.example',
        termsUrl: 'https://acme.example/terms',
        privacyUrl: 'https://acme.example/privacy',
      }),
    );
    expect(brand).toMatchObject({ productName: 'Acme ID', primaryColor: '#0B5394' });
    expect(supportLink(brand)).toBe('mailto:help@acme.example');
  });

  it('refuses colors that are not #rrggbb, links that are not https and keys it does not know', () => {
    expect(() => parseBrand('{"primaryColor":"blue"}')).toThrow(/primaryColor: a color as #rrggbb/);
    expect(() => parseBrand('{"termsUrl":"http://acme.example/terms"}')).toThrow(/termsUrl: an https:\/\/ URL/);
    expect(() => parseBrand('{"logoUrl":"javascript:alert(1)"}')).toThrow(/logoUrl/);
    expect(() => parseBrand('{"productname":"typo"}')).toThrow(/productname/);
    expect(() => parseBrand('{not json')).toThrow(/BRAND_JSON is not JSON/);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('keeps white button text readable: the default primary color meets WCAG AA 4.5:1', () => {
    expect(contrastRatio(DEFAULT_BRAND.primaryColor, '#ffffff')).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('refuses a primary color too light for white text, naming the contrast it has', () => {
    const result = brandSchema.safeParse({ primaryColor: '#ffcc00' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/contrast of 1\.\d\d:1; WCAG AA needs 4.5:1/);
  });
});
