import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeySource } from '../../../../lambdas/adapters/keys/file-key-source';

describe('FileKeySource', () => {
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'lb-keys-')), 'keys.json');

  it('makes a key set on first use and keeps it across instances', async () => {
    const path = fresh();

    const first = await new FileKeySource(path).get();
    const again = await new FileKeySource(path).get();

    expect(again).toEqual(first);
    expect(JSON.parse(readFileSync(path, 'utf8')).keys).toHaveLength(2);
  });

  it('never replaces an existing key file it cannot parse', async () => {
    const path = fresh();
    writeFileSync(path, '{"version":1,"keys":[');

    await expect(new FileKeySource(path).get()).rejects.toThrow('not a valid key set');
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"keys":[');
  });

  it('keeps its cached keys when the file cannot be read for a reason other than absence', async () => {
    const path = fresh();
    const source = new FileKeySource(path);
    const keys = await source.get();
    // A directory in its place reads as EISDIR, like EMFILE or EACCES would: not "first start".
    rmSync(path);
    mkdirSync(path);

    await expect(source.reload()).resolves.toEqual(keys);
    await expect(new FileKeySource(path).get()).rejects.toThrow('cannot be read');
  });

  it('picks up a rotation made by another process', async () => {
    const path = fresh();
    const server = new FileKeySource(path);
    const before = await server.get();

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const rotated = await new FileKeySource(path).rotate();

    expect((await server.get()).keys[1].kid).toBe(rotated.keys[1].kid);
    expect(rotated.keys[2].kid).toBe(before.keys[1].kid);
  });
});
