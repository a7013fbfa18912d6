import { performance } from 'node:perf_hooks';

/**
 * Coalesces identical reads during a burst (a thousand students connecting at once all ask for
 * the same recent chat window): a caller may share a read that is in flight — but only one that
 * started after `notBefore`, the moment the caller's own view had to be current from (e.g. when
 * its socket joined the room), so sharing never hands anyone an older answer than they need.
 */
export function createSharedReads<T>() {
  const inflight = new Map<string, { startedAt: number; promise: Promise<T> }>();
  return {
    /** A timestamp to pass as `notBefore` (monotonic, sub-millisecond). */
    now: () => performance.now(),
    read(key: string, notBefore: number, read: () => Promise<T>): Promise<T> {
      const current = inflight.get(key);
      if (current && current.startedAt >= notBefore) return current.promise;
      const startedAt = performance.now();
      const promise = read().finally(() => {
        if (inflight.get(key)?.promise === promise) inflight.delete(key);
      });
      inflight.set(key, { startedAt, promise });
      return promise;
    },
  };
}
