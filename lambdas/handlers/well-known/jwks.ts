import { publicJwks } from '../../core/key-set';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { keySource } from '../../runtime';

/** GET /.well-known/jwks.json: the public keys (next, current, previous) that verify access tokens. */
export const handler = httpHandler(async () => {
  const set = await keySource().get();
  // Short public caching: verifiers refetch on an unknown kid anyway, and the next key is published a period ahead.
  return ok(publicJwks(set), { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/jwk-set+json' });
});
