import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { sha256 } from '../../../lambdas/core/random';
import type { AppleSimulator } from '../../../local/simulators/apple';
import { burst } from '../../support/bursts';
import { enrolTotp } from '../../support/factors';
import { call, post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';
import { answerCallback, consentAs, startWebSignIn } from '../../support/web-sign-in';

type Provider = 'apple' | 'google';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Linking Apple or Google from /account (POST /login-flow/identities/{provider}, then the web flow with `link`). */
describe('Linking a provider to the signed-in account', () => {
  const started = stackWithSignInProviders({ env: { LOGIN_IP_MAX_FAILURES: '1000' } });
  let stack: TestStack;
  let apple: AppleSimulator;
  beforeAll(() => ({ stack, apple } = started));

  const identities = async (token: string) => (await call(stack.url, 'GET', '/login-flow/identities', { headers: bearer(token) })).body.identities;
  const askTicket = (token: string, provider: Provider) => call(stack.url, 'POST', `/login-flow/identities/${provider}`, { headers: bearer(token) });

  async function passwordAccount() {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    return { email: body.email as string, token: registered.body.access_token as string, userId: decodeJwt(registered.body.access_token).sub as string };
  }

  async function ticketFor(token: string, provider: Provider): Promise<string> {
    const answer = await askTicket(token, provider);
    expect(answer.status).toBe(200);
    expect(answer.body.expires_in).toBe(120);
    return answer.body.ticket as string;
  }

  /** The account page's "Link": the ticket, the start (302 to the provider) and the consent as `providerEmail`. */
  async function startLink(token: string, provider: Provider, providerEmail: string) {
    const started = await startWebSignIn(stack.url, provider, { link: await ticketFor(token, provider), return_to: '/account' });
    expect(started.status).toBe(302);
    return { answer: await consentAs(started.location, providerEmail), cookie: started.cookie };
  }

  async function link(token: string, provider: Provider, providerEmail: string) {
    const { answer, cookie } = await startLink(token, provider, providerEmail);
    return answerCallback(stack.url, provider, answer, cookie);
  }

  /** A web sign-in as `providerEmail`: the account it signs in to, and its access token. */
  async function webSignIn(provider: Provider, providerEmail: string): Promise<{ userId: string; token: string }> {
    const started = await startWebSignIn(stack.url, provider, { return_to: '/login' });
    const back = await answerCallback(stack.url, provider, await consentAs(started.location, providerEmail), started.cookie);
    const tokens = await post(stack.url, '/login-flow/web-session', { handoff: back.fragment.federated, approveTermsOfUse: true });
    expect(tokens.status).toBe(200);
    return { userId: decodeJwt(tokens.body.access_token).sub as string, token: tokens.body.access_token as string };
  }
  const signInWith = async (provider: Provider, providerEmail: string) => (await webSignIn(provider, providerEmail)).userId;

  it('links Google under another address than the account, issues no tokens, and the identity then signs in to that account', async () => {
    const account = await passwordAccount();
    const providerEmail = uniqueEmail('link-google');

    const back = await link(account.token, 'google', providerEmail);

    expect(back.status).toBe(303);
    expect(back.page).toBe('/account');
    expect(back.fragment).toEqual({ linked: 'google' });
    expect(await identities(account.token)).toEqual([{ provider: 'google', email: providerEmail, linkedAt: expect.any(String) }]);
    expect(await signInWith('google', providerEmail)).toBe(account.userId);
  });

  it("links Apple through its form_post answer, keeping Apple's refresh token on the identity (revoked when the account is deleted)", async () => {
    const account = await passwordAccount();
    const issuedBefore = apple.issuedRefreshTokens().length;

    const back = await link(account.token, 'apple', uniqueEmail('link-apple'));

    expect(back.fragment).toEqual({ linked: 'apple' });
    expect((await identities(account.token)).map((each: { provider: string }) => each.provider)).toEqual(['apple']);
    const [refreshToken] = apple.issuedRefreshTokens().slice(issuedBefore);
    expect((await call(stack.url, 'POST', '/login-flow/delete-account', { headers: bearer(account.token) })).status).toBe(200);
    expect(apple.revokeRequests().filter((each) => each.token === refreshToken)).toHaveLength(1);
  });

  it('refuses a ticket (403 step_up_required) to a session of an account with a second factor that proved none recently', async () => {
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const passwordOnly = await post(stack.url, '/login-flow/login', { email: body.email, password: STRONG_PASSWORD });
    await enrolTotp(stack.url, String(registered.body.access_token));

    const refused = await askTicket(String(passwordOnly.body.access_token), 'google');

    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('step_up_required');
    // The session that enrolled the factor just proved it: it may link.
    expect((await askTicket(String(registered.body.access_token), 'google')).status).toBe(200);
  });

  it('answers 401 without a session, 400 for another provider, and 409 already_linked when the account has that provider', async () => {
    const account = await passwordAccount();
    expect((await call(stack.url, 'POST', '/login-flow/identities/google')).status).toBe(401);
    expect((await askTicket(account.token, 'facebook' as Provider)).status).toBe(400);
    expect((await link(account.token, 'google', uniqueEmail('link-twice'))).fragment).toEqual({ linked: 'google' });

    const again = await askTicket(account.token, 'google');

    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_linked');
  });

  it('takes a ticket once: a second start with it goes back to the page with link_error=link_invalid', async () => {
    const account = await passwordAccount();
    const ticket = await ticketFor(account.token, 'google');
    expect((await startWebSignIn(stack.url, 'google', { link: ticket, return_to: '/account' })).status).toBe(302);

    const again = await startWebSignIn(stack.url, 'google', { link: ticket, return_to: '/account' });

    expect(again.status).toBe(302);
    expect(`${again.location.pathname}${again.location.hash}`).toBe('/account#link_error=link_invalid');
  });

  it('refuses an expired ticket, and a ticket made for another provider', async () => {
    const account = await passwordAccount();
    const expired = await ticketFor(account.token, 'google');
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.webSignIn('link', sha256(expired)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const forGoogle = await ticketFor(account.token, 'google');

    const refusedExpired = await startWebSignIn(stack.url, 'google', { link: expired, return_to: '/account' });
    const refusedOther = await startWebSignIn(stack.url, 'apple', { link: forGoogle, return_to: '/account' });

    expect(refusedExpired.location.hash).toBe('#link_error=link_invalid');
    expect(refusedOther.location.hash).toBe('#link_error=link_invalid');
    expect(await identities(account.token)).toEqual([]);
  });

  it('refuses the link when the session that asked ended between the start and the answer (session_ended), linking nothing', async () => {
    const account = await passwordAccount();
    const { answer, cookie } = await startLink(account.token, 'google', uniqueEmail('link-revoked'));
    const sid = decodeJwt(account.token).sid as string;
    expect((await call(stack.url, 'DELETE', `/login-flow/sessions/${sid}`, { headers: bearer(account.token) })).status).toBe(200);

    const back = await answerCallback(stack.url, 'google', answer, cookie);

    expect(back.fragment).toEqual({ link_error: 'session_ended' });
    const again = await post(stack.url, '/login-flow/login', { email: account.email, password: STRONG_PASSWORD });
    expect(await identities(again.body.access_token)).toEqual([]);
  });

  it("refuses an identity that belongs to another account (identity_in_use) and leaves that account's identity as it was", async () => {
    const providerEmail = uniqueEmail('link-owned');
    const owner = await signInWith('google', providerEmail);
    const account = await passwordAccount();

    const back = await link(account.token, 'google', providerEmail);

    expect(back.fragment).toEqual({ link_error: 'identity_in_use' });
    expect(await identities(account.token)).toEqual([]);
    expect(await signInWith('google', providerEmail)).toBe(owner);
  });

  it('links an identity whose account was deleted: it is free again', async () => {
    const providerEmail = uniqueEmail('link-stale');
    const { token: ownerToken } = await webSignIn('google', providerEmail);
    expect((await call(stack.url, 'POST', '/login-flow/delete-account', { headers: bearer(ownerToken) })).status).toBe(200);
    const account = await passwordAccount();

    const back = await link(account.token, 'google', providerEmail);

    expect(back.fragment).toEqual({ linked: 'google' });
    expect(await signInWith('google', providerEmail)).toBe(account.userId);
  });

  it("never links into another browser's flow: user B's browser cannot finish user A's link (state_invalid), and B gains nothing", async () => {
    const userA = await passwordAccount();
    const userB = await passwordAccount();
    const { answer } = await startLink(userA.token, 'google', uniqueEmail('link-a'));
    const startedByB = await startLink(userB.token, 'google', uniqueEmail('link-b'));

    const back = await answerCallback(stack.url, 'google', answer, startedByB.cookie);

    // The other browser is not told whose flow it was: the sign-in page's answer.
    expect(back.fragment).toEqual({ federated_error: 'state_invalid' });
    expect(await identities(userA.token)).toEqual([]);
    expect(await identities(userB.token)).toEqual([]);
  });

  it('links once under a burst of 5 parallel callbacks of one link, and starts once under a burst of 5 starts with one ticket', async () => {
    const account = await passwordAccount();
    const { answer, cookie } = await startLink(account.token, 'google', uniqueEmail('link-burst'));

    const callbacks = await burst(5, () => answerCallback(stack.url, 'google', answer, cookie));
    const ticket = await ticketFor((await passwordAccount()).token, 'apple');
    const starts = await burst(5, () => startWebSignIn(stack.url, 'apple', { link: ticket, return_to: '/account' }));

    expect(callbacks.filter((each) => each.fragment.linked === 'google')).toHaveLength(1);
    expect(callbacks.filter((each) => each.fragment.federated_error === 'state_invalid')).toHaveLength(4);
    expect(await identities(account.token)).toHaveLength(1);
    expect(starts.filter((each) => each.location.origin === new URL(apple.issuer).origin)).toHaveLength(1);
    expect(starts.filter((each) => each.location.hash === '#link_error=link_invalid')).toHaveLength(4);
  });

  it('links one of two Google accounts when both links of one account answer at once: one identity per provider, already_linked for the other', async () => {
    // Prepare: two links started before either finished (both tickets issued: no Google identity yet)
    const account = await passwordAccount();
    const first = await startLink(account.token, 'google', uniqueEmail('race-one'));
    const second = await startLink(account.token, 'google', uniqueEmail('race-two'));

    // Act
    const answers = await Promise.all([
      answerCallback(stack.url, 'google', first.answer, first.cookie),
      answerCallback(stack.url, 'google', second.answer, second.cookie),
    ]);

    // Assess
    expect(answers.filter((each) => each.fragment.linked === 'google')).toHaveLength(1);
    expect(answers.filter((each) => each.fragment.link_error === 'already_linked' || each.fragment.link_error === 'identity_in_use')).toHaveLength(1);
    expect(await identities(account.token)).toHaveLength(1);
  });

  it('leaves an account without a password at least one of its two providers under a burst of parallel unlinks of both', async () => {
    const { token } = await webSignIn('google', uniqueEmail('link-two'));
    expect((await link(token, 'apple', uniqueEmail('link-two-apple'))).fragment).toEqual({ linked: 'apple' });
    const providerOf = (index: number): Provider => (index % 2 ? 'apple' : 'google');

    const answers = await burst(10, (index) => call(stack.url, 'DELETE', `/login-flow/identities/${providerOf(index)}`, { headers: bearer(token) }));

    const left: { provider: Provider }[] = await identities(token);
    expect(left.length).toBeGreaterThanOrEqual(1);
    // Every unlink of a provider still linked was refused (409 conflict or last_sign_in_method), none answered 500.
    for (const kept of left) expect(answers.filter((_, index) => providerOf(index) === kept.provider).every((answer) => answer.status === 409)).toBe(true);
    expect(answers.every((answer) => [200, 404, 409].includes(answer.status))).toBe(true);
  });
});
