import { publicJwks } from '../../core/key-set';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { keySource, verificationKeys } from '../../runtime';

/** GET /.well-known/jwks.json: the public keys (next, current, previous) that verify access tokens. */
export const handler = httpHandler(async () => {
  // The public-keys-only document; a function granted only the private set (none in the stack) derives the same keys.
  const published = verificationKeys();
  const jwks = published ? { keys: (await published.get()).keys } : publicJwks(await keySource().get());
  // Short public caching: verifiers refetch on an unknown kid anyway, and the next key is published a period ahead.
  return ok(jwks, { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/jwk-set+json' });
});
