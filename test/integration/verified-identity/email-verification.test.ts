import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { call, post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { latestVerifyToken, verificationMails } from '../../support/verification';
import { clearOfWindowEdge } from '../../support/windows';

describe('email verification', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { VERIFICATION_EMAILS_PER_HOUR: '2', PUBLIC_BASE_URL: 'https://login.example.test' } });
  });
  beforeEach(() => clearOfWindowEdge(3600));
  afterAll(() => stack.stop());

  const db = () => createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  const profile = async (userId: string) =>
    (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(userId), ConsistentRead: true }))).Item;
  const mails = (email: string) => verificationMails(stack.outboxDir, email);

  async function register(overrides: Record<string, unknown> = {}) {
    const body = registration(overrides);
    const response = await post(stack.url, '/login-flow/register', body);
    expect(response.status).toBe(200);
    return { email: String(body.email), password: String(body.password), response, userId: String(decodeJwt(response.body.access_token).sub) };
  }

  it('registers exactly as the Login Flow says (200 with tokens, email_verified false) and emails a single-use link', async () => {
    // Act
    const user = await register();

    // Assess
    expect(Object.keys(user.response.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'status', 'token_type']);
    expect(decodeJwt(user.response.body.access_token).email_verified).toBe(false);
    const [mail] = mails(user.email);
    expect(mail.links).toHaveLength(1);
    expect(mail.links[0]).toMatch(/^https:\/\/login\.example\.test\/verify-email\?token=[A-Za-z0-9_.%-]{60,}$/);
    expect(mail.text).toMatch(/expires in 24 hours/);
    expect((await profile(user.userId))?.emailVerifiedAt).toBeUndefined();
  });

  it('keeps only a hash of the token, which expires with the link', async () => {
    // Prepare
    const user = await register();
    const token = latestVerifyToken(stack.outboxDir, user.email);

    // Act
    const { Items = [] } = await db().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :verify)',
        ExpressionAttributeValues: { ':pk': `USER#${user.userId}`, ':verify': 'VERIFY#' },
      }),
    );

    // Assess
    expect(Items).toHaveLength(1);
    expect(JSON.stringify(Items)).not.toContain(token.split('.')[1]);
    expect(Items[0].expiresAt - Items[0].createdAt).toBe(86400);
  });

  it('verifies only on the POST from the page: opening the link (as a mail scanner does) changes nothing', async () => {
    // Prepare
    const user = await register();
    const token = latestVerifyToken(stack.outboxDir, user.email);

    // Act: a scanner fetches the link twice.
    const page = await call(stack.url, 'GET', `/verify-email?token=${encodeURIComponent(token)}`);
    await call(stack.url, 'GET', `/verify-email?token=${encodeURIComponent(token)}`);
    const before = await profile(user.userId);
    const confirmed = await post(stack.url, '/verify-email/confirm', { token });

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'sha256-/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('Confirm my email');
    expect(before?.emailVerifiedAt).toBeUndefined();
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual(expect.objectContaining({ verified: true, email: user.email }));
    expect(Date.parse((await profile(user.userId))?.emailVerifiedAt)).not.toBeNaN();
    const login = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password });
    expect(decodeJwt(login.body.access_token).email_verified).toBe(true);
    const oauthRefresh = await call(stack.url, 'POST', '/oauth/token', {
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(user.response.body.refresh_token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(decodeJwt(oauthRefresh.body.access_token).email_verified).toBe(true);
  });

  it('explains used, expired and garbage links, on the page and from the confirm call, and offers a new link', async () => {
    // Prepare: one used link, one expired link.
    const used = await register();
    const usedToken = latestVerifyToken(stack.outboxDir, used.email);
    expect((await post(stack.url, '/verify-email/confirm', { token: usedToken })).status).toBe(200);
    const expired = await register();
    const expiredToken = latestVerifyToken(stack.outboxDir, expired.email);
    const { Items = [] } = await db().send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :verify)',
        ExpressionAttributeValues: { ':pk': `USER#${expired.userId}`, ':verify': 'VERIFY#' },
      }),
    );
    await db().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: Items[0].pk, sk: Items[0].sk },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': 1 },
      }),
    );

    // Act
    const answers = await Promise.all(
      [usedToken, expiredToken, 'garbage', `${used.userId}.${'A'.repeat(43)}`].map((token) => post(stack.url, '/verify-email/confirm', { token })),
    );
    const pages = await Promise.all(
      [usedToken, expiredToken, 'garbage'].map((token) => call(stack.url, 'GET', `/verify-email?token=${encodeURIComponent(token)}`)),
    );

    // Assess
    expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual([
      [400, 'verify_link_used'],
      [400, 'verify_link_expired'],
      [400, 'verify_link_invalid'],
      [400, 'verify_link_invalid'],
    ]);
    for (const answer of answers) expect(answer.body.formError).toMatch(/new link/);
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
    expect(pages[0].text).toContain('already used');
    expect(pages[1].text).toContain('expired');
    expect(pages[2].text).toContain('not valid');
    for (const page of pages) expect(page.text).toContain('Send a new link');
    expect((await profile(expired.userId))?.emailVerifiedAt).toBeUndefined();
  });

  it('resends without telling whether an account exists, and never to a verified address', async () => {
    // Prepare
    const unverified = await register();
    const verified = await register();
    await post(stack.url, '/verify-email/confirm', { token: latestVerifyToken(stack.outboxDir, verified.email) });
    const ghost = uniqueEmail('ghost');

    // Act
    const answers = await Promise.all([unverified.email, verified.email, ghost].map((email) => post(stack.url, '/verify-email/resend', { email })));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(mails(unverified.email)).toHaveLength(2);
    expect(mails(verified.email)).toHaveLength(1);
    expect(mails(ghost)).toHaveLength(0);
    // The newest link works, and the older one too until it expires or the address is verified.
    expect((await post(stack.url, '/verify-email/confirm', { token: latestVerifyToken(stack.outboxDir, unverified.email) })).status).toBe(200);
  });

  it('sends at most VERIFICATION_EMAILS_PER_HOUR links per address under a burst of parallel requests', async () => {
    // Prepare
    const user = await register();

    // Act
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(stack.url, '/verify-email/resend', { email: user.email.toUpperCase() })));

    // Assess: 2 resends allowed; plus the registration email.
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(mails(user.email)).toHaveLength(1 + 2);
  });

  it('answers bad input with the documented error shape', async () => {
    // Act
    const answers = await Promise.all([
      post(stack.url, '/verify-email/resend', { email: 'not an email' }),
      post(stack.url, '/verify-email/resend', {}),
      post(stack.url, '/verify-email/confirm', { token: 42 }),
      call(stack.url, 'POST', '/verify-email/confirm', { body: '{"token":', headers: { 'content-type': 'application/json' } }),
    ]);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(expect.objectContaining({ error: 'invalid_request', formError: expect.any(String) }));
    }
  });

  it('marks the address verified when the password is reset through the emailed link', async () => {
    // Prepare
    const user = await register();
    await post(stack.url, '/login-flow/reset-password', { email: user.email });
    const reset = stack.outbox().filter((mail) => mail.to === user.email && mail.subject === 'Reset your password');
    const token = new URL(reset[reset.length - 1].links[0]).searchParams.get('token') as string;

    // Act
    const changed = await post(stack.url, '/login-flow/reset-password/confirm', { token, password: 'another horse battery staple' });

    // Assess
    expect(changed.status).toBe(200);
    expect(Date.parse((await profile(user.userId))?.emailVerifiedAt)).not.toBeNaN();
  });
});
