import { TokenCache, usableLifeMs } from '../../../../lambdas/core/sso/token-cache';

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenCache', () => {
  it('reuses a token until shortly before its life ends, then fetches a new one', async () => {
    // Prepare
    const clock = manualClock();
    const cache = new TokenCache(clock, { refreshMarginSeconds: 60 });
    let fetched = 0;
    const fetch = async () => ({ value: `token-${++fetched}`, expiresInSeconds: 600 });
    // Act
    const first = await cache.get('key', fetch);
    clock.advance(539_000);
    const stillCached = await cache.get('key', fetch);
    clock.advance(1_000);
    const refreshed = await cache.get('key', fetch);
    // Assess
    expect([first, stillCached, refreshed]).toEqual(['token-1', 'token-1', 'token-2']);
  });

  it('shares one fetch between concurrent callers', async () => {
    const cache = new TokenCache(manualClock(), { refreshMarginSeconds: 60 });
    let fetched = 0;
    const fetch = () =>
      new Promise<{ value: string; expiresInSeconds: number }>((resolve) => setTimeout(() => resolve({ value: `t${++fetched}`, expiresInSeconds: 600 }), 10));

    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get('key', fetch)));

    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(fetched).toBe(1);
  });

  it('fetches again after invalidate, and ignores an invalidate for a token it no longer holds', async () => {
    const cache = new TokenCache(manualClock(), { refreshMarginSeconds: 60 });
    let fetched = 0;
    const fetch = async () => ({ value: `t${++fetched}`, expiresInSeconds: 600 });
    await cache.get('key', fetch);

    cache.invalidate('t1');
    const second = await cache.get('key', fetch);
    cache.invalidate('t1');
    const third = await cache.get('key', fetch);

    expect([second, third]).toEqual(['t2', 't2']);
  });

  it('starts afresh when the key (the credentials) changes', async () => {
    const cache = new TokenCache(manualClock(), { refreshMarginSeconds: 60 });
    let fetched = 0;
    const fetch = async () => ({ value: `t${++fetched}`, expiresInSeconds: 600 });

    await cache.get('old credentials', fetch);
    const rotated = await cache.get('new credentials', fetch);

    expect(rotated).toBe('t2');
  });

  it('does not cache a failed fetch', async () => {
    const cache = new TokenCache(manualClock(), { refreshMarginSeconds: 60 });
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      if (calls === 1) throw new Error('partner down');
      return { value: 'ok', expiresInSeconds: 600 };
    };

    await expect(cache.get('key', fetch)).rejects.toThrow('partner down');
    await expect(cache.get('key', fetch)).resolves.toBe('ok');
  });
});

describe('usableLifeMs', () => {
  it('keeps a proportional margin for short-lived tokens and never goes negative', () => {
    expect(usableLifeMs(600, { refreshMarginSeconds: 60 })).toBe(540_000);
    expect(usableLifeMs(7200, { refreshMarginSeconds: 300 })).toBe(6_480_000);
    expect(usableLifeMs(30, { refreshMarginSeconds: 60 })).toBe(0);
    expect(usableLifeMs(100, { refreshMarginSeconds: 5, maxLifeShare: 0.5 })).toBe(50_000);
  });
});
