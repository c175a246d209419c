import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeySource, publicKeyFileFor } from '../../../../lambdas/adapters/keys/file-key-source';
import { FilePublicKeySource } from '../../../../lambdas/adapters/keys/public-key-sources';
import { publicJwks } from '../../../../lambdas/core/key-set';

describe('The local public keys document', () => {
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'lb-public-keys-')), 'signing-keys.json');

  it('is written next to the key file with the public halves only, and follows a rotation', async () => {
    const path = fresh();
    const source = new FileKeySource(path);
    const published = new FilePublicKeySource(publicKeyFileFor(path));

    const set = await source.get();
    expect(publicKeyFileFor(path)).toBe(path.replace(/\.json$/, '.public.json'));
    expect((await published.get()).keys).toEqual(publicJwks(set).keys);
    expect(readFileSync(publicKeyFileFor(path), 'utf8')).not.toContain('"d"');

    const rotated = await source.rotate();
    expect((await published.reload()).keys).toEqual(publicJwks(rotated).keys);
  });

  it('is made for a key file written before the document existed', async () => {
    const path = fresh();
    await new FileKeySource(path).get();
    rmSync(publicKeyFileFor(path));

    const set = await new FileKeySource(path).get();

    expect((await new FilePublicKeySource(publicKeyFileFor(path)).get()).keys).toEqual(publicJwks(set).keys);
  });

  it('refuses a document that carries a private key', async () => {
    const path = fresh();
    const set = await new FileKeySource(path).get();
    writeFileSync(publicKeyFileFor(path), JSON.stringify({ version: 1, keys: set.keys.map((key) => ({ ...key.privateJwk, kid: key.kid })) }));

    await expect(new FilePublicKeySource(publicKeyFileFor(path)).get()).rejects.toThrow('not a valid public key set');
  });
});
