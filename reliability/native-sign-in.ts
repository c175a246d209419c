import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startAppleSimulator } from '../local/simulators/apple';
import { startGoogleSimulator } from '../local/simulators/google';
import { type Harness, Part, request, startHarness } from './harness';

const rawNonce = () => randomBytes(16).toString('base64url');

/**
 * Native sign-in under a burst (docs/native-sign-in.md): many first sign-ins
 * of ONE new identity at once (each with its own token) must make exactly one
 * account; many uses of ONE ID token at once must be accepted exactly once;
 * many unlinks at once of both providers of an account without a password
 * must leave it one of them (docs/native-sign-in.md, "Linked sign-in methods").
 */
export async function nativeSignInPart(burstSize: number): Promise<Part> {
  const google = await startGoogleSimulator();
  const apple = await startAppleSimulator();
  let harness: Harness | undefined;
  try {
    harness = await startHarness({
      env: {
        LOGIN_IP_MAX_FAILURES: '1000000',
        GOOGLE_ISSUER: google.issuer,
        GOOGLE_JWKS_URL: google.jwksUrl,
        GOOGLE_CLIENT_IDS: google.clientId,
        APPLE_ISSUER: apple.issuer,
        APPLE_JWKS_URL: apple.jwksUrl,
        APPLE_CLIENT_IDS: apple.clientId,
      },
    });
    const url = harness.stack.url;
    const part = new Part(
      `Bursts: ${burstSize} native first sign-ins of one identity, ${burstSize} uses of one ID token, ${burstSize} unlinks of an account's two providers`,
    );
    const signIn = (idToken: string, nonce: string) => request(url, 'POST', '/login-flow/login/google', { idToken, nonce });

    // One identity, many tokens, all at once.
    const identity = { sub: `burst-${randomBytes(6).toString('hex')}`, email: `native.burst.${Date.now()}@example.com`, emailVerified: true };
    const tokens = await Promise.all(
      Array.from({ length: burstSize }, async () => {
        const nonce = rawNonce();
        return { nonce, idToken: await google.mintGoogleIdToken({ ...identity, nonce }) };
      }),
    );
    const answers = await Promise.all(tokens.map(({ idToken, nonce }) => signIn(idToken, nonce)));
    const signedIn = answers.filter((answer) => answer.status === 200);
    const users = new Set(signedIn.map((answer) => String(decodeJwt(answer.json.access_token).sub)));
    const items = await harness.scanTable();
    const profiles = items.filter((item) => item.sk === 'PROFILE' && item.email === identity.email);
    const identityItems = items.filter((item) => item.pk === `FEDID#google#${identity.sub}` && item.sk === 'IDENTITY');
    const statuses = [...new Set(answers.map((answer) => answer.status))].sort().join(', ');
    part.note(`${burstSize} first sign-ins of one identity: ${signedIn.length} signed in (answers ${statuses}), ${users.size} distinct account(s)`);
    part.check(
      profiles.length === 1 && identityItems.length === 1 && users.size === 1,
      'one identity bursting its first sign-in makes exactly one account and one identity item',
    );
    part.check(
      answers.every((answer) => answer.status === 200 || answer.status === 409 || answer.status === 403),
      'no first sign-in of the burst answers 5xx',
    );

    // One token, many uses, all at once.
    const nonce = rawNonce();
    const once = await google.mintGoogleIdToken({
      sub: `replay-${randomBytes(6).toString('hex')}`,
      email: `native.replay.${Date.now()}@example.com`,
      emailVerified: true,
      nonce,
    });
    const replays = await Promise.all(Array.from({ length: burstSize }, () => signIn(once, nonce)));
    const accepted = replays.filter((answer) => answer.status === 200).length;
    const refused = replays.filter((answer) => answer.status === 403 && (answer.json?.code ?? answer.json?.error) === 'invalid_id_token').length;
    part.note(`${burstSize} uses of one ID token: ${accepted} accepted, ${refused} refused as invalid_id_token`);
    part.check(accepted === 1 && refused === burstSize - 1, 'one ID token used by a burst is accepted exactly once');

    // An account without a password, with Google and Apple (linked automatically: both proved the address), unlinks both at once.
    const both = { email: `native.unlink.${Date.now()}@example.com`, emailVerified: true };
    const googleSub = `unlink-${randomBytes(6).toString('hex')}`;
    const appleSub = `unlink-${randomBytes(6).toString('hex')}`;
    const googleNonce = rawNonce();
    const created = await signIn(await google.mintGoogleIdToken({ ...both, sub: googleSub, nonce: googleNonce }), googleNonce);
    const appleNonce = rawNonce();
    const linked = await request(url, 'POST', '/login-flow/login/apple', {
      idToken: await apple.mintAppleIdToken({ ...both, sub: appleSub, rawNonce: appleNonce }),
      nonce: appleNonce,
    });
    const providerOf = (index: number) => (index % 2 ? 'apple' : 'google');
    const unlinks = await Promise.all(
      Array.from({ length: burstSize }, (_, index) =>
        request(url, 'DELETE', `/login-flow/identities/${providerOf(index)}`, undefined, { authorization: `Bearer ${created.json.access_token}` }),
      ),
    );
    const left = (await harness.scanTable()).filter(
      (item) => item.sk === 'IDENTITY' && (item.pk === `FEDID#google#${googleSub}` || item.pk === `FEDID#apple#${appleSub}`),
    );
    const unlinkedProviders = new Set(unlinks.flatMap((answer, index) => (answer.status === 200 ? [providerOf(index)] : [])));
    const unlinkStatuses = [...new Set(unlinks.map((answer) => answer.status))].sort().join(', ');
    part.note(`${burstSize} unlinks of Google and Apple at once: ${left.length} identity left, answers ${unlinkStatuses}`);
    part.check(created.status === 200 && linked.status === 200, 'the account without a password signs in with Google and with Apple');
    part.check(
      left.length >= 1 && unlinkedProviders.size <= 1 && unlinks.every((answer) => [200, 404, 409].includes(answer.status)),
      'a burst of unlinks of both providers of an account without a password leaves it one (the other provider refused with 409), never 5xx',
    );
    return part;
  } finally {
    await harness?.stop();
    await google.stop();
    await apple.stop();
  }
}
