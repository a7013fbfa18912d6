/**
 * What the player island knows about the viewer's video, shared with the classroom island: which
 * engine plays (`flv` locally, `ivs`), how far behind live the picture is right now, and the
 * moments the video reached a poll's timed-metadata cue (IVS). One small store (get / set /
 * subscribe, as nanostores' `atom`), read by the classroom to show a poll when the student's
 * video reaches the moment the mentor launched it, not when the socket message arrives.
 *
 * Astro bundles both islands' shared modules once per page, so this module-level store is the
 * same object for both.
 */

export type PlayerSync = {
  /** The engine playing now; null while nothing plays (the waiting room, a dropped stream). */
  kind: 'flv' | 'ivs' | null;
  /** Reads the viewer's current delay behind live, in seconds (null while unknown). */
  readLatency: (() => number | null) | null;
  /** Poll id → epoch ms the video reached that poll's timed-metadata cue. */
  cues: Readonly<Record<number, number>>;
};

type Listener = () => void;

/** A tiny observable value: `get`, `set` (shallow patch) and `subscribe` (for useSyncExternalStore). */
export function createStore<T extends object>(initial: T) {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => value,
    set(patch: Partial<T>) {
      value = { ...value, ...patch };
      for (const listener of listeners) listener();
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const playerSync = createStore<PlayerSync>({ kind: null, readLatency: null, cues: {} });

/** The player started playing with `kind`; `readLatency` answers the delay behind live at any moment. */
export function playerPlaying(kind: 'flv' | 'ivs', readLatency: () => number | null) {
  playerSync.set({ kind, readLatency });
}

/** Nothing plays any more (torn down, interrupted, ended). Cues already reached are kept. */
export function playerStopped() {
  if (playerSync.get().kind !== null) playerSync.set({ kind: null, readLatency: null });
}

/** The video reached a poll's cue (IVS TEXT_METADATA_CUE); the first time counts. */
export function pollCueReached(pollId: number, at: number = Date.now()) {
  const { cues } = playerSync.get();
  if (cues[pollId] !== undefined) return;
  playerSync.set({ cues: { ...cues, [pollId]: at } });
}

/** The viewer's delay behind live now, in seconds, and which engine measured it. */
export function currentDelay(): { kind: PlayerSync['kind']; latencySeconds: number | null } {
  const { kind, readLatency } = playerSync.get();
  let latencySeconds: number | null = null;
  try {
    latencySeconds = readLatency?.() ?? null;
  } catch {
    latencySeconds = null;
  }
  return { kind, latencySeconds };
}
