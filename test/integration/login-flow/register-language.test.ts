import { call, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** The account's emails speak the language it registered in (?lang= of the sign-up page, else Accept-Language), in the brand. */
describe('POST /login-flow/register and the language of the emails', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BRAND_JSON: JSON.stringify({ productName: 'Acme ID', primaryColor: '#0b5394' }) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const verificationTo = (email: string) => stack.outbox().filter((mail) => mail.to === email && mail.links.some((link) => link.includes('/verify-email')));

  it('writes the verification email in German for a German browser, with the brand', async () => {
    const body = registration();
    const response = await call(stack.url, 'POST', '/login-flow/register', { json: body, headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } });
    expect(response.status).toBe(200);

    const [mail] = verificationTo(String(body.email));
    expect(mail.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail.text).toContain('Ihr Acme ID-Team');
    expect(mail.html).toContain('background:#0b5394');
  });

  it('prefers the sign-up page language (?lang=) and keeps it for the later emails (password reset)', async () => {
    const body = registration();
    await call(stack.url, 'POST', '/login-flow/register?lang=es', { json: body, headers: { 'accept-language': 'de' } });
    await call(stack.url, 'POST', '/login-flow/reset-password', { json: { email: body.email }, headers: { 'accept-language': 'en' } });

    expect(verificationTo(String(body.email))[0].subject).toBe('Confirme su dirección de correo');
    const reset = stack.outbox().find((mail) => mail.to === body.email && mail.links.some((link) => link.includes('/reset-password?token=')));
    expect(reset?.subject).toBe('Restablezca su contraseña');
  });
});
