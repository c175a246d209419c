import { remoteProviderKeys } from '../../../../lambdas/adapters/federation/provider-keys';
import { ServiceUnavailableError } from '../../../../lambdas/core/errors';
import { IdTokenVerifier } from '../../../../lambdas/core/federation/id-token';
import { type GoogleSimulator, startGoogleSimulator } from '../../../../local/simulators/google';

let google: GoogleSimulator;
beforeAll(async () => {
  google = await startGoogleSimulator();
});
afterAll(() => google.stop());

const verifier = (cooldownMs = 0) =>
  new IdTokenVerifier(
    { provider: 'google', issuers: [google.issuer], clientIds: [google.clientId] },
    remoteProviderKeys(google.jwksUrl, { timeoutMs: 500, cooldownMs }),
    { now: () => Date.now() },
  );

describe('remoteProviderKeys', () => {
  it('fetches the provider key set once, and again when a token names a kid it lacks (a rotation)', async () => {
    const keys = verifier();
    const before = google.calls('/oauth2/v3/certs');
    await keys.verify(await google.mintGoogleIdToken({ sub: 's', nonce: 'n' }), 'n');
    await keys.verify(await google.mintGoogleIdToken({ sub: 's', nonce: 'n' }), 'n');
    expect(google.calls('/oauth2/v3/certs') - before).toBe(1);
    await google.rotateKeys();
    await expect(keys.verify(await google.mintGoogleIdToken({ sub: 's', nonce: 'n' }), 'n')).resolves.toMatchObject({ sub: 's' });
    expect(google.calls('/oauth2/v3/certs') - before).toBe(2);
  });

  it('answers a key set that cannot be fetched in time as the provider being unavailable, not as a bad token', async () => {
    google.fail({ kind: 'slow', path: '/oauth2/v3/certs', delayMs: 2000 });
    await expect(verifier().verify(await google.mintGoogleIdToken({ sub: 's', nonce: 'n' }), 'n')).rejects.toBeInstanceOf(ServiceUnavailableError);
    google.clearFaults();
  });
});
