import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { FileKeySource } from '../lambdas/adapters/keys/file-key-source';
import { FileHmacKeyRing } from '../lambdas/adapters/keys/hmac-key-ring';
import { type Harness, Part, request } from './harness';

/** Rotate the signing key and the refresh-token key while clients hold tokens: old tokens keep verifying and refreshing, new ones carry the new kid. */
export async function keyRotationPart(harness: Harness, clients: number): Promise<Part> {
  const part = new Part(`Key rotation with ${clients} clients holding tokens`);
  const url = harness.stack.url;
  const password = 'reliability rotation passphrase';
  const held: { email: string; access: string; refresh: string }[] = [];
  for (let index = 0; index < clients; index += 1) {
    const email = `rotation.${index}.${Date.now()}@example.com`;
    const response = await request(url, 'POST', '/login-flow/register', { firstName: 'Ro', lastName: 'Tation', email, password, approveTermsOfUse: 'on' });
    held.push({ email, access: response.json.access_token, refresh: response.json.refresh_token });
  }
  const oldKid = decodeProtectedHeader(held[0].access).kid;
  // Each client refreshes once before the rotation and "loses" the answer: its retry comes after the refresh key rotated.
  const lost = new Map<string, string>();
  for (const client of held) {
    const response = await request(url, 'POST', '/login-flow/refresh', { refresh_token: client.refresh });
    if (response.status === 200) lost.set(client.email, response.json.refresh_token);
  }

  const rotated = await new FileKeySource(harness.stack.signingKeyFile).rotate();
  new FileHmacKeyRing(harness.stack.refreshKeyFile).rotate();
  part.note(`rotated: current kid ${oldKid} -> ${rotated.keys[1].kid}, and the refresh-token key (the old one kept as previous)`);
  // Instances re-read the key set after their cache interval (locally 1 s; Secrets Manager in AWS: 5 min).
  // Until then they keep signing with the previous current key, which stays published, so nothing breaks.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  // A third party with a stock JOSE library and nothing but the JWKS URL.
  const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
  let oldVerified = 0;
  for (const client of held) {
    try {
      await jwtVerify(client.access, jwks, { issuer: url, audience: 'loginbridge' });
      oldVerified += 1;
    } catch {
      // counted below
    }
  }
  part.check(oldVerified === held.length, `tokens issued before the rotation still verify with the JWKS (${oldVerified}/${held.length})`);

  let newKid = 0;
  let refreshed = 0;
  let deleted = 0;
  let retried = 0;
  for (const client of held) {
    const retry = await request(url, 'POST', '/login-flow/refresh', { refresh_token: client.refresh });
    if (retry.status === 200 && retry.json.refresh_token === lost.get(client.email)) retried += 1;
    const response = await request(url, 'POST', '/login-flow/refresh', { refresh_token: lost.get(client.email) });
    if (response.status !== 200) continue;
    refreshed += 1;
    if (decodeProtectedHeader(response.json.access_token).kid === rotated.keys[1].kid) newKid += 1;
    await jwtVerify(response.json.access_token, jwks, { issuer: url, audience: 'loginbridge' });
    // The server itself still accepts the pre-rotation token.
    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': client.access })).toString('base64url');
    if ((await request(url, 'POST', `/login-flow/delete-account?ctx=${ctx}`)).status === 200) deleted += 1;
  }
  part.check(retried === held.length, `a refresh retried across the refresh-key rotation gets its successor (${retried}/${held.length})`);
  part.check(refreshed === held.length, `refresh tokens survive the rotation (${refreshed}/${held.length})`);
  part.check(newKid === held.length, `new access tokens carry the new kid (${newKid}/${held.length})`);
  part.check(deleted === held.length, `the server accepts pre-rotation access tokens until they expire (${deleted}/${held.length})`);
  return part;
}
