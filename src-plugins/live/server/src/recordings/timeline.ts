import type { RecordingSegment } from './store';

/**
 * Where a moment of the class (wall clock, ms since epoch) sits in the recording's video. The
 * video is its segments played back to back: a moment inside a segment maps to that segment's
 * place; one in a gap (the encoder was away past the grace) to the start of the next segment;
 * one before the first to 0 and one after the last to the end. No segments (an IVS recording
 * whose start is unknown) → null.
 */
export function mediaOffsetMs(segments: readonly RecordingSegment[], wallMs: number, durationMs: number): number | null {
  if (segments.length === 0) return null;
  let elapsed = 0;
  for (const segment of segments) {
    const start = new Date(segment.startedAt).getTime();
    if (wallMs < start) return clamp(elapsed, durationMs);
    if (wallMs < start + segment.durationMs) return clamp(elapsed + (wallMs - start), durationMs);
    elapsed += segment.durationMs;
  }
  return clamp(elapsed, durationMs);
}

const clamp = (value: number, durationMs: number) => Math.max(0, Math.min(Math.round(value), durationMs > 0 ? durationMs : value));
