/**
 * The site's in-process cache for public catalog data and the anonymous HTML built from it.
 *
 * Entries carry the generation they were made in; `invalidate()` (called by POST /api/revalidate
 * when an editor publishes in Strapi) bumps the generation, so every older entry is a miss from
 * that instant on, without walking the maps. Loads are single-flight: a burst of requests for a
 * cold key makes one call to Strapi. A TTL bounds staleness if a webhook is ever lost.
 *
 * The cache is per process: with several site processes, Strapi must notify each of them (or the
 * TTL is the bound).
 */

type Entry<T> = { value: T; expires: number; generation: number };

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, { generation: number; promise: Promise<T> }>();

  constructor(
    private readonly clock: Generation,
    private readonly options: { ttlMs: number; maxEntries: number }
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.clock.current || entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry as recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, generation = this.clock.current): void {
    if (generation !== this.clock.current) return; // loaded before an invalidation: already stale
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + this.options.ttlMs, generation });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** The cached value, or one load shared by every concurrent caller. Failures are not cached. */
  async getOrLoad(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const generation = this.clock.current;
    const pending = this.inflight.get(key);
    if (pending && pending.generation === generation) return pending.promise;
    const promise = load().then(
      (value) => {
        this.set(key, value, generation);
        return value;
      },
      (error: unknown) => {
        throw error;
      }
    );
    const settle = () => {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
    };
    promise.then(settle, settle);
    this.inflight.set(key, { generation, promise });
    return promise;
  }

  get size() {
    return this.entries.size;
  }
}

/** A counter every cache entry is stamped with; bumping it invalidates them all at once. */
export class Generation {
  current = 0;
  lastInvalidatedAt: number | null = null;
  bump() {
    this.current += 1;
    this.lastInvalidatedAt = Date.now();
  }
}
