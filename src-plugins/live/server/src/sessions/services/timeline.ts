/** Concurrent viewers over a window, from each attendee's watch intervals: the analytics chart. */
export type WatchInterval = [string, string | null];

export function viewersTimeline(
  intervalsByViewer: WatchInterval[][],
  from: Date,
  to: Date,
  points: number
): { at: string; viewers: number }[] {
  const start = from.getTime();
  const end = Math.max(to.getTime(), start);
  const step = points > 1 ? (end - start) / (points - 1) : 0;
  const spans = intervalsByViewer.map((intervals) =>
    intervals.map(([a, b]) => [new Date(a).getTime(), b ? new Date(b).getTime() : end] as const)
  );
  const timeline: { at: string; viewers: number }[] = [];
  for (let i = 0; i < points; i++) {
    const t = start + step * i;
    const viewers = spans.filter((viewer) => viewer.some(([a, b]) => a <= t && t <= b)).length;
    timeline.push({ at: new Date(t).toISOString(), viewers });
    if (step === 0) break;
  }
  return timeline;
}

/** Seconds watched, counting a still-open interval up to `now`. */
export function watchedSeconds(watchDuration: number, activeSince: string | Date | null, now: Date): number {
  return watchDuration + (activeSince ? Math.max(0, Math.round((now.getTime() - new Date(activeSince).getTime()) / 1000)) : 0);
}

/** The most viewers watching at the same moment, from their watch intervals (a sweep over starts and ends). */
export function peakConcurrent(intervalsByViewer: WatchInterval[][], now: Date): number {
  const edges: [number, number][] = [];
  for (const intervals of intervalsByViewer) {
    for (const [a, b] of intervals) {
      edges.push([new Date(a).getTime(), 1]);
      edges.push([b ? new Date(b).getTime() : now.getTime(), -1]);
    }
  }
  // At equal times an arrival counts before a departure: a viewer who rejoins in the same millisecond overlaps.
  edges.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}
