import { post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { clearOfWindowEdge } from '../../support/windows';

describe('POST /login-flow/reset-password', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { RESET_EMAILS_PER_HOUR: '2', PUBLIC_BASE_URL: 'https://login.example.test' } });
  });
  beforeEach(() => clearOfWindowEdge(3600));
  afterAll(() => stack.stop());

  // Registration also sends a verification link: only reset emails count here.
  const mailTo = (email: string) => stack.outbox().filter((mail) => mail.to === email && mail.subject === 'Reset your password');

  it('emails a single link to the web reset page for a real account', async () => {
    // Prepare
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    // Act
    const response = await post(stack.url, '/login-flow/reset-password', { email: String(user.email).toUpperCase() });
    // Assess
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(200);
    const [mail] = mailTo(String(user.email));
    expect(mail.subject).toBe('Reset your password');
    expect(mail.links).toHaveLength(1);
    expect(mail.links[0]).toMatch(/^https:\/\/login\.example\.test\/reset-password\?token=[A-Za-z0-9_.%-]{60,}$/);
    expect(mail.text).toContain(mail.links[0]);
    expect(mail.html).toContain(mail.links[0].replace(/&/g, '&amp;'));
    expect(mail.text).toMatch(/expires in 30 minutes/);
  });

  it('answers an unknown email exactly like a known one and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');

    const response = await post(stack.url, '/login-flow/reset-password', { email: ghost });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 200, message: 'If an account exists for this email, we have sent a link to reset its password.' });
    expect(mailTo(ghost)).toHaveLength(0);
  });

  it('stops emailing one address after the hourly limit but still answers 200', async () => {
    const user = registration();
    await post(stack.url, '/login-flow/register', user);

    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await post(stack.url, '/login-flow/reset-password', { email: user.email })).status);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(mailTo(String(user.email))).toHaveLength(2);
  });

  it('rejects a malformed email with 403 and a field error', async () => {
    const response = await post(stack.url, '/login-flow/reset-password', { email: 'nope' });

    expect(response.status).toBe(403);
    expect(response.body.fieldErrors).toEqual({ email: 'Enter a valid email address, like name@example.com.' });
  });
});
