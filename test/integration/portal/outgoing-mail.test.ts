import { call, post, registration, uniqueEmail } from '../../support/http';
import { verificationMails } from '../../support/verification';
import { clearOfWindowEdge } from '../../support/windows';
import { as, type PortalStack, signUp, startPortalStack } from './helpers';

const BASE_URL = 'https://login.example.test';
const PER_RECIPIENT = 2;
const PER_SENDER = 3;
/** A name an attacker would like to see in someone else's inbox. */
const HOSTILE_NAME = '<a href="https://evil.example/x">Claim</a> evil.com';

describe('outgoing mail is not a relay', () => {
  let portal: PortalStack;
  beforeAll(async () => {
    portal = await startPortalStack({
      PUBLIC_BASE_URL: BASE_URL,
      MAIL_PER_RECIPIENT_PER_WINDOW: String(PER_RECIPIENT),
      MAIL_PER_SENDER_PER_WINDOW: String(PER_SENDER),
      // The older per-kind limits out of the way: the mail limits alone decide here.
      VERIFICATION_EMAILS_PER_HOUR: '100',
      RESET_EMAILS_PER_HOUR: '100',
    });
  });
  // The mail limits count in fixed windows of an hour.
  beforeEach(() => clearOfWindowEdge(3600));
  afterAll(() => portal.stop());

  const outboxTo = (email: string) => portal.stack.outbox().filter((mail) => mail.to === email);
  const invitationsTo = (email: string) => outboxTo(email).filter((mail) => mail.subject.includes('invited you'));
  const urlsIn = (mail: { text: string; html: string; links: string[] }) => [
    ...mail.links,
    ...(mail.text.match(/https?:\/\/[^\s"'<>]+/g) ?? []),
    ...(mail.html.match(/https?:\/\/[^\s"'<>]+/g) ?? []),
  ];

  it('refuses invitations from an account whose email is not verified', async () => {
    // Prepare
    const unverified = await signUp(portal.stack, {}, { verified: false });
    const target = uniqueEmail('target');
    // Act
    const team = await as(portal.stack, unverified).post('/portal/team/invitations', { email: target });
    // Assess
    expect(team.status).toBe(403);
    expect(team.body).toMatchObject({ error: 'email_not_verified', formError: expect.stringContaining('confirm your email') });
    expect(outboxTo(target)).toEqual([]);
  });

  it('attributes an invitation to its sender and carries no link or markup the sender chose', async () => {
    // Prepare
    const sender = await signUp(portal.stack, { firstName: HOSTILE_NAME, lastName: 'www.bad.example' });
    const target = uniqueEmail('target');
    // Act
    const invited = await as(portal.stack, sender).post('/portal/team/invitations', { email: target });
    // Assess
    expect(invited.status).toBe(201);
    const [mail] = invitationsTo(target);
    expect(mail.subject).toBe(`${sender.email} invited you to join a team on the developer portal`);
    expect(mail.text).toContain(`${sender.email} invited you to join the team "Claim`);
    for (const text of [mail.text, mail.html]) {
      expect(text).not.toMatch(/evil|bad\.example|href="https:\/\/evil/);
      expect(text).not.toContain('<a href="https://evil');
    }
    expect(urlsIn(mail).every((url) => url.startsWith(`${BASE_URL}/`))).toBe(true);
    expect(mail.links).toEqual([invited.body.invitation_url]);
  });

  it('keeps the verification greeting free of links and markup', async () => {
    // Act
    const body = registration({ firstName: HOSTILE_NAME });
    await post(portal.stack.url, '/login-flow/register', body);
    // Assess
    const [mail] = verificationMails(portal.stack.outboxDir, String(body.email));
    expect(mail.text.split('\n')[0]).toBe('Hello Claim,');
    expect(`${mail.text}${(mail as { html?: string }).html}`).not.toMatch(/evil/);
  });

  it('sends at most the per-recipient limit of invitations to one address, and stores no refused invitation', async () => {
    // Prepare
    const senders = await Promise.all([signUp(portal.stack), signUp(portal.stack), signUp(portal.stack)]);
    const target = uniqueEmail('target');
    // Act
    const answers = [];
    for (const sender of senders) answers.push(await as(portal.stack, sender).post('/portal/team/invitations', { email: target }));
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 429]);
    expect(answers[2].body).toMatchObject({ error: 'too_many_attempts' });
    expect(Number(answers[2].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(invitationsTo(target)).toHaveLength(PER_RECIPIENT);
    expect((await as(portal.stack, senders[2]).get('/portal/team')).body.invitations).toEqual([]);
  });

  it('sends at most the per-sender limit of invitations from one user', async () => {
    // Prepare
    const sender = await signUp(portal.stack);
    const targets = [1, 2, 3, 4].map(() => uniqueEmail('target'));
    // Act
    const answers = await Promise.all(targets.map((email) => as(portal.stack, sender).post('/portal/team/invitations', { email })));
    // Assess
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(PER_SENDER);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(targets.length - PER_SENDER);
    expect(targets.flatMap(invitationsTo)).toHaveLength(PER_SENDER);
  });

  it('limits verification emails to one address across register, delete and register again', async () => {
    // Prepare
    const email = uniqueEmail('looped');
    // Act
    for (let round = 0; round < 4; round += 1) {
      const registered = await post(portal.stack.url, '/login-flow/register', registration({ email }));
      expect(registered.status).toBe(200);
      const deleted = await call(portal.stack.url, 'POST', '/login-flow/delete-account', {
        headers: { authorization: `Bearer ${registered.body.access_token}` },
      });
      expect(deleted.status).toBe(200);
    }
    // Assess
    expect(verificationMails(portal.stack.outboxDir, email)).toHaveLength(PER_RECIPIENT);
  });

  it('limits password-reset emails to one address, with the same answer whether sent or not', async () => {
    // Prepare
    const user = await signUp(portal.stack, {}, { verified: false });
    // Act
    const answers = [];
    for (let attempt = 0; attempt < 4; attempt += 1) answers.push(await post(portal.stack.url, '/login-flow/reset-password', { email: user.email }));
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(outboxTo(user.email).filter((mail) => mail.subject === 'Reset your password')).toHaveLength(PER_RECIPIENT);
  });
});
