import { call, post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** Changing the email (docs/login-flow.md, "Your own account"): the change happens only through the link to the new address. */
describe('email change: POST /login-flow/change-email, then the link to the new address', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ALLOWED_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => stack.stop());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const requestChange = (token: string, json: unknown) => call(stack.url, 'POST', '/login-flow/change-email', { json, headers: bearer(token) });
  const confirm = (token: string) => post(stack.url, '/account/email-change/confirm', { token });
  const mailsTo = (address: string) => stack.outbox().filter((mail) => mail.to === address);
  const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

  async function signedUp() {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    return { email: String(body.email), accessToken: String(registered.body.access_token) };
  }

  /** Asks for the change with the current password and returns the link mailed to the new address. */
  async function pendingChange() {
    const user = await signedUp();
    const newEmail = uniqueEmail('moved');
    const asked = await requestChange(user.accessToken, { newEmail, currentPassword: STRONG_PASSWORD });
    if (asked.status !== 200) throw new Error(`change-email failed: ${asked.text}`);
    const link = mailsTo(newEmail).find((mail) => mail.subject === 'Confirm your new email address')?.links[0] ?? '';
    return { ...user, newEmail, link, asked };
  }

  it('mails the link to the new address and a notice to the old one; one of 5 parallel confirms changes the email, the others say "already used"', async () => {
    const { email, newEmail, link, asked, accessToken } = await pendingChange();

    const page = await call(stack.url, 'GET', new URL(link).pathname + new URL(link).search, { skipOpenApiCheck: false });
    const burst = await Promise.all(Array.from({ length: 5 }, () => confirm(tokenOf(link))));

    expect(asked.body).toMatchObject({ pendingEmail: newEmail });
    expect(new URL(link).pathname).toBe('/account/email-change');
    const notice = mailsTo(email).find((mail) => mail.subject === 'Your email address is about to change');
    expect(notice?.text).toContain(newEmail);
    expect(notice?.text).not.toContain(tokenOf(link));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Use this email');
    expect(burst.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(burst.filter((answer) => answer.status === 400).map((answer) => answer.body.error)).toEqual(Array(4).fill('email_change_used'));
    expect((await post(stack.url, '/login-flow/login', { email: newEmail, password: STRONG_PASSWORD })).status).toBe(200);
    expect((await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD })).status).toBe(403);
    const me = await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(accessToken) });
    expect(me.body).toMatchObject({ email: newEmail, email_verified: true });
    // The old address is free again: someone may register it.
    expect((await post(stack.url, '/login-flow/register', registration({ email }))).status).toBe(200);
  });

  it('changes nothing until the link is confirmed', async () => {
    const { email, newEmail, accessToken } = await pendingChange();

    expect((await call(stack.url, 'GET', '/login-flow/me', { headers: bearer(accessToken) })).body.email).toBe(email);
    expect((await post(stack.url, '/login-flow/login', { email: newEmail, password: STRONG_PASSWORD })).status).toBe(403);
  });

  it('answers an address another account has exactly like a free one, sends it no link, and tells that address instead', async () => {
    const user = await signedUp();
    const other = await signedUp();
    const free = uniqueEmail('free');

    const taken = await requestChange(user.accessToken, { newEmail: other.email, currentPassword: STRONG_PASSWORD });
    const open = await requestChange(user.accessToken, { newEmail: free, currentPassword: STRONG_PASSWORD });

    expect(taken.status).toBe(200);
    const { correlationId: _a, pendingEmail: _b, message: takenMessage, ...takenRest } = taken.body;
    const { correlationId: _c, pendingEmail: _d, message: openMessage, ...openRest } = open.body;
    expect(takenRest).toEqual(openRest);
    expect(takenMessage.replace(other.email, 'X')).toBe(openMessage.replace(free, 'X'));
    const toOther = mailsTo(other.email).map((mail) => mail.subject);
    expect(toOther).toContain('This address already has an account');
    expect(toOther).not.toContain('Confirm your new email address');
  });

  it('refuses at confirm time an address registered since the request, with a neutral message, and keeps the old address', async () => {
    const { email, newEmail, link } = await pendingChange();
    await post(stack.url, '/login-flow/register', registration({ email: newEmail }));

    const refused = await confirm(tokenOf(link));

    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('email_change_not_possible');
    expect(refused.body.formError).not.toMatch(/taken|exists|another account/i);
    expect((await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('needs the current password (400 on currentPassword), refuses the same address, and answers bad input with 400 fieldErrors', async () => {
    const user = await signedUp();

    const wrong = await requestChange(user.accessToken, { newEmail: uniqueEmail(), currentPassword: 'not the password at all' });
    const same = await requestChange(user.accessToken, { newEmail: user.email.toUpperCase(), currentPassword: STRONG_PASSWORD });
    const malformed = await requestChange(user.accessToken, { newEmail: 'not an email', currentPassword: STRONG_PASSWORD });
    const unauthenticated = await call(stack.url, 'POST', '/login-flow/change-email', { json: { newEmail: uniqueEmail() } });

    expect(wrong.status).toBe(400);
    expect(wrong.body.fieldErrors).toEqual({ currentPassword: 'Your current password is not correct.' });
    expect(same.status).toBe(400);
    expect(same.body.error).toBe('same_email');
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body.fieldErrors)).toEqual(['newEmail']);
    expect(unauthenticated.status).toBe(401);
  });

  it('offers "Continue" only to a return_to on this service or an ALLOWED_ORIGINS origin', async () => {
    const { link } = await pendingChange();
    const pageData = async (returnTo: string) => {
      const page = await call(stack.url, 'GET', `/account/email-change?token=${encodeURIComponent(tokenOf(link))}&return_to=${encodeURIComponent(returnTo)}`);
      return JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(page.text)?.[1] ?? '{}');
    };

    expect((await pageData('https://app.example.com/done')).returnTo).toBe('https://app.example.com/done');
    expect((await pageData('/portal')).returnTo).toBe(`${new URL(stack.url).origin}/portal`);
    expect((await pageData('https://evil.example.net/')).returnTo).toBe('');
    expect((await pageData('//evil.example.net/')).returnTo).toBe('');
    expect((await pageData('javascript:alert(1)')).returnTo).toBe('');
  });

  it('passes an allow-listed return_to to the "Email confirmed" and "Password changed" pages too, and drops any other', async () => {
    const dataOf = async (path: string) => {
      const page = await call(stack.url, 'GET', path);
      return JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(page.text)?.[1] ?? '{}');
    };
    const allowed = encodeURIComponent('https://app.example.com/welcome');
    const other = encodeURIComponent('https://evil.example.net/');

    expect((await dataOf(`/verify-email?token=x.y&return_to=${allowed}`)).returnTo).toBe('https://app.example.com/welcome');
    expect((await dataOf(`/reset-password?token=x.y&return_to=${allowed}`)).returnTo).toBe('https://app.example.com/welcome');
    expect((await dataOf(`/verify-email?return_to=${other}`)).returnTo).toBe('');
    expect((await dataOf(`/reset-password?return_to=${other}`)).returnTo).toBe('');
  });
  it('writes both emails in the language the account registered in', async () => {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register?lang=de', body);
    const newEmail = uniqueEmail('umgezogen');
    const asked = await requestChange(String(registered.body.access_token), { newEmail, currentPassword: STRONG_PASSWORD });

    expect(asked.status).toBe(200);
    expect(mailsTo(newEmail).map((mail) => mail.subject)).toEqual(['Bestätigen Sie Ihre neue E-Mail-Adresse']);
    expect(mailsTo(String(body.email)).map((mail) => mail.subject)).toContain('Ihre E-Mail-Adresse wird geändert');
  });
});
