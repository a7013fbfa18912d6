/**
 * When a poll appears to this student, and how long they have to answer: pure decisions for the
 * classroom island (tested in __tests__/poll-timing.test.ts).
 *
 * The student's video runs behind the mentor (0.2–0.6 s locally, up to ~5 s on IVS), while the
 * socket's 'poll:updated' arrives at once. A poll belongs to the moment in the video when the
 * mentor launched it:
 *  - local provider (`flv`): the picture that was live when the launch arrived is shown after the
 *    player's current delay behind live, so the poll appears at arrival + that delay;
 *  - IVS: the server also puts `{"t":"poll","id":N}` into the stream as timed metadata; the IVS
 *    player's TEXT_METADATA_CUE fires when playback reaches it, and the poll appears then. If no
 *    cue comes (metadata lost or late), it appears after the delay plus IVS_CUE_FALLBACK_MS;
 *  - no player (the waiting room) or a poll the student only learns about from the classroom's
 *    state (joining late, reconnecting): at once.
 */

/** How a client learnt of a poll: launched while connected (`launch`) or from `ready` (`state`). */
export type PollArrival = {
  /** Epoch ms the socket message arrived. */
  at: number;
  source: 'launch' | 'state';
  /** The player's engine and its delay behind live at that moment (null: nothing playing / unknown). */
  kind: 'flv' | 'ivs' | null;
  latencySeconds: number | null;
};

/** On IVS, with no cue, the poll appears this long after the expected moment. */
export const IVS_CUE_FALLBACK_MS = 3_000;
/** A delay reading above this is not believed (a stalled player): the poll waits no longer. */
export const MAX_SYNC_DELAY_MS = 15_000;

const delayMs = (latencySeconds: number | null) =>
  latencySeconds === null || !Number.isFinite(latencySeconds) || latencySeconds <= 0 ? 0 : Math.min(MAX_SYNC_DELAY_MS, Math.round(latencySeconds * 1000));

/** Epoch ms the poll should appear; `cueAt` is when the IVS player reached its cue (if it has). */
export function pollVisibleAt(arrival: PollArrival, cueAt: number | null = null): number {
  if (arrival.source === 'state') return arrival.at;
  if (cueAt !== null) return Math.max(arrival.at, cueAt);
  const expected = arrival.at + delayMs(arrival.latencySeconds);
  return arrival.kind === 'ivs' ? expected + IVS_CUE_FALLBACK_MS : expected;
}

/**
 * When this student's answering time runs out (epoch ms; null: untimed). Everyone gets the full
 * `durationSeconds` from the moment they saw the poll (the server keeps it open with a grace). A
 * late joiner who sees it from the classroom's state can't outlast the server's `closesAt`.
 */
export function pollDeadline(
  poll: { durationSeconds: number | null; closesAt: string | null },
  visibleAt: number,
  source: PollArrival['source']
): number | null {
  if (!poll.durationSeconds) return null;
  const own = visibleAt + poll.durationSeconds * 1000;
  const closes = poll.closesAt ? Date.parse(poll.closesAt) : NaN;
  return source === 'state' && Number.isFinite(closes) ? Math.min(own, closes) : own;
}

/** The poll id a timed-metadata cue's text names (`{"t":"poll","id":N}`), or null for anything else. */
export function pollCueOf(text: unknown): number | null {
  if (typeof text !== 'string' || text.length > 1024) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object') return null;
    const { t, id } = parsed as { t?: unknown; id?: unknown };
    return t === 'poll' && typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}
