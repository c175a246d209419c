import { currentKey, newKeySet, parseKeySet, publicJwks, rotateKeySet } from '../../../lambdas/core/key-set';

describe('key sets', () => {
  it('publish the next key a whole period before it signs, and keep the previous one', async () => {
    const first = await newKeySet(new Date());

    const second = await rotateKeySet(first, new Date());
    const third = await rotateKeySet(second, new Date());

    expect(currentKey(second).kid).toBe(first.keys[0].kid);
    expect(second.keys[2].kid).toBe(currentKey(first).kid);
    expect(third.keys.map((key) => key.kid)).toEqual([third.keys[0].kid, second.keys[0].kid, currentKey(second).kid]);
    expect(third.keys).toHaveLength(3);
  });

  it('expose only public key material in the JWKS', async () => {
    const set = await newKeySet(new Date());

    const jwks = publicJwks(set);

    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('treat a placeholder or malformed secret as no key set', () => {
    for (const text of [undefined, '', 'placeholder', '{}', '{"version":1,"keys":[]}', '{"version":1,"keys":[{"kid":"a"},{"kid":"b"}]}']) {
      expect(parseKeySet(text)).toBeUndefined();
    }
  });

  it('rotate a placeholder into a fresh set', async () => {
    const set = await rotateKeySet(undefined, new Date());

    expect(set.keys).toHaveLength(2);
    expect(parseKeySet(JSON.stringify(set))).toEqual(set);
  });
});
