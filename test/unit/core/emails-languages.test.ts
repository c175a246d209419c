import { parseBrand } from '../../../lambdas/core/branding';
import { invitationEmail, passwordChangedEmail, resetPasswordEmail, verifyEmailEmail } from '../../../lambdas/core/emails';

const BRAND = parseBrand(
  JSON.stringify({
    productName: 'Acme ID',
    primaryColor: '#0b5394',
    accentColor: '#6a1b9a',
    supportUrl: 'https://acme.example/help',
    privacyUrl: 'https://acme.example/privacy',
  }),
);

describe('The account emails in the recipient language and the platform brand', () => {
  it('stay as they were in English without a locale or brand', () => {
    const mail = resetPasswordEmail({ to: 'ann@example.com', firstName: 'Ann', link: 'https://id.example/reset-password?token=t', validMinutes: 30 });
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text.split('\n')[0]).toBe('Hello Ann,');
    expect(mail.text).toContain('The link works once and expires in 30 minutes.');
    expect(mail.html).toContain('background:#1f4fd1');
    expect(mail.text).toContain('The LoginBridge team');
  });

  it('write the reset email in German, formally, with the brand on the button, the sign-off and the footer', () => {
    const mail = resetPasswordEmail({ to: 'ann@example.com', firstName: 'Ann', link: 'https://id.example/r', validMinutes: 1, locale: 'de-AT', brand: BRAND });
    expect(mail.subject).toBe('Setzen Sie Ihr Passwort zurück');
    expect(mail.text).toContain('Guten Tag Ann,');
    expect(mail.text).toContain('läuft in 1 Minute ab.');
    expect(mail.text).toContain('Ihr Acme ID-Team');
    expect(mail.text).toContain('Hilfe: https://acme.example/help');
    expect(mail.html).toContain('<html lang="de">');
    expect(mail.html).toContain('background:#0b5394');
    expect(mail.html).toContain('href="https://acme.example/privacy" style="color:#6a1b9a">Datenschutz</a>');
    expect(mail.html).toContain('Neues Passwort wählen');
  });

  it('write the verification and password-changed emails in Spanish', () => {
    const verify = verifyEmailEmail({ to: 'a@example.com', link: 'https://id.example/v', validHours: 24, locale: 'es', brand: BRAND });
    expect(verify.subject).toBe('Confirme su dirección de correo');
    expect(verify.text).toContain('caduca en 24 horas');
    expect(verify.text).toContain('El equipo de Acme ID');
    const changed = passwordChangedEmail({ to: 'a@example.com', resetLink: 'https://id.example/reset-password', locale: 'es' });
    expect(changed.subject).toBe('Su contraseña ha cambiado');
    expect(changed.text).toContain('restablezca su contraseña ahora: https://id.example/reset-password');
  });

  it('give the invitation expiry as a date in the email language', () => {
    const base = {
      to: 'b@example.com',
      inviter: 'ann@example.com',
      kind: 'team' as const,
      teamName: 'Blue',
      link: 'https://id.example/portal#invite=x',
      expiresAt: '2026-12-14T09:30:00.000Z',
    };
    expect(invitationEmail(base).text).toContain('until December 14, 2026');
    const german = invitationEmail({ ...base, locale: 'de', brand: BRAND });
    expect(german.subject).toBe('ann@example.com hat Sie eingeladen, einem Team im Entwicklerportal beizutreten');
    expect(german.text).toContain('dem Team „Blue“ im Entwicklerportal');
    expect(german.text).toContain('bis 14. Dezember 2026 um 09:30 UTC');
  });

  it('fall back to English for a language without a catalogue', () => {
    expect(verifyEmailEmail({ to: 'a@example.com', link: 'https://id.example/v', validHours: 24, locale: 'fr' }).subject).toBe('Confirm your email address');
  });
});
