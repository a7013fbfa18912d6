import { Generation, TtlCache } from '../cache';

describe('TtlCache', () => {
  it('loads once for concurrent callers and serves hits after', async () => {
    const cache = new TtlCache<number>(new Generation(), { ttlMs: 1000, maxEntries: 10 });
    let calls = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const values = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    expect(values).toEqual([1, 1, 1]);
    expect(await cache.getOrLoad('k', load)).toBe(1);
    expect(calls).toBe(1);
  });

  it('does not cache failures', async () => {
    const cache = new TtlCache<number>(new Generation(), { ttlMs: 1000, maxEntries: 10 });
    await expect(cache.getOrLoad('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.getOrLoad('k', async () => 7)).toBe(7);
  });

  it('drops everything when the generation moves, including loads in flight', async () => {
    const generation = new Generation();
    const cache = new TtlCache<string>(generation, { ttlMs: 60_000, maxEntries: 10 });
    cache.set('a', 'old');
    let release!: (value: string) => void;
    const slow = cache.getOrLoad('b', () => new Promise((resolve) => (release = resolve)));
    generation.bump();
    expect(cache.get('a')).toBeUndefined();
    release('stale');
    expect(await slow).toBe('stale'); // its caller gets it…
    expect(cache.get('b')).toBeUndefined(); // …but it isn't kept
    expect(await cache.getOrLoad('b', async () => 'fresh')).toBe('fresh');
  });

  it('expires entries and evicts the least recently used', async () => {
    const cache = new TtlCache<number>(new Generation(), { ttlMs: 20, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    // 30 ms later, by the clock the cache reads (no real waiting).
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 30);
    try {
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });
});
