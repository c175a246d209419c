import { DEFAULT_BRAND } from '../../../../lambdas/core/branding';
import { factorAddedEmail, factorRemovedEmail, factorsResetEmail, recoveryCodeUsedEmail } from '../../../../lambdas/core/factors/emails';

const brand = { ...DEFAULT_BRAND, productName: 'Acme ID' };

describe('second-factor notices', () => {
  it('are written in the account language with German and Spanish subjects', () => {
    expect(factorAddedEmail({ to: 'a@example.com', label: 'Phone', locale: 'de' }).subject).toBe('Ihrem Konto wurde ein zweiter Faktor hinzugefügt');
    expect(factorRemovedEmail({ to: 'a@example.com', label: 'Phone', locale: 'es' }).subject).toBe('Se ha quitado un segundo factor de su cuenta');
    expect(factorsResetEmail({ to: 'a@example.com', locale: 'de' }).subject).toBe('Die zweiten Faktoren Ihres Kontos wurden zurückgesetzt');
    expect(recoveryCodeUsedEmail({ to: 'a@example.com', left: 3, locale: 'es' }).subject).toBe('Se ha usado un código de recuperación para iniciar sesión');
  });

  it('fill the label, the greeting and the plural in the language, and sign off in the brand', () => {
    const added = factorAddedEmail({ to: 'a@example.com', firstName: 'Erika', label: 'Telefon', locale: 'de', brand });
    expect(added.text).toContain('Guten Tag Erika,');
    expect(added.text).toContain('(„Telefon“)');
    expect(added.text).toContain('Acme ID');
    expect(added.html).toContain('<html lang="de">');
    expect(recoveryCodeUsedEmail({ to: 'a@example.com', left: 1, locale: 'es' }).text).toContain('Le queda 1 código de recuperación.');
  });

  it('stay English for an account without a supported language', () => {
    const email = recoveryCodeUsedEmail({ to: 'a@example.com', left: 2, locale: 'fr' });
    expect(email.subject).toBe('A recovery code was used to sign in');
    expect(email.text).toContain('You have 2 recovery codes left.');
    expect(email.links).toEqual([]);
  });
});
