import { type KeySet, newKeySet, rotateKeySet } from '../../../lambdas/core/key-set';
import { SigningKeyRing } from '../../../lambdas/core/signing-key-ring';

describe('SigningKeyRing', () => {
  it('finds a kid another instance rotated in by reloading the set, at most every 30 s', async () => {
    // Prepare: this instance has a cached, older set; the store already holds the rotated one.
    const cached = await newKeySet(new Date());
    const stored: KeySet = await rotateKeySet(await rotateKeySet(cached, new Date()), new Date());
    let reloads = 0;
    let now = 1_000_000;
    const ring = new SigningKeyRing({ get: async () => cached, reload: async () => ((reloads += 1), stored) }, { now: () => now });

    // Act
    const found = await ring.verificationKey(stored.keys[0].kid);
    const stranger = await ring.verificationKey('no-such-kid');
    now += 31_000;
    const laterStranger = await ring.verificationKey('still-no-such-kid');

    // Assess
    expect(found).toBeDefined();
    expect(stranger).toBeUndefined();
    expect(laterStranger).toBeUndefined();
    expect(reloads).toBe(2);
  });

  it('signs with the current key of the set', async () => {
    const set = await newKeySet(new Date());
    const ring = new SigningKeyRing({ get: async () => set, reload: async () => set }, { now: () => 0 });

    const { kid } = await ring.signingKey();

    expect(kid).toBe(set.keys[1].kid);
  });
});
