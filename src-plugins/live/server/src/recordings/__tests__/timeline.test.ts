import { mediaOffsetMs } from '../timeline';

const t0 = Date.parse('2026-12-02T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('mediaOffsetMs: a moment of the class on the video’s clock', () => {
  const oneSegment = [{ startedAt: iso(t0), durationMs: 60_000 }];

  it('maps a moment inside the recording to its distance from the start', () => {
    expect(mediaOffsetMs(oneSegment, t0 + 12_345, 60_000)).toBe(12_345);
  });

  it('puts moments before the recording at 0 and after it at the end', () => {
    expect(mediaOffsetMs(oneSegment, t0 - 5000, 60_000)).toBe(0);
    expect(mediaOffsetMs(oneSegment, t0 + 90_000, 60_000)).toBe(60_000);
  });

  it('skips the gap between two segments (an encoder that came back after the grace)', () => {
    const twoSegments = [
      { startedAt: iso(t0), durationMs: 30_000 },
      { startedAt: iso(t0 + 100_000), durationMs: 20_000 },
    ];
    // 10 s into the second segment = 30 s of the first + 10 s.
    expect(mediaOffsetMs(twoSegments, t0 + 110_000, 50_000)).toBe(40_000);
    // In the gap: where the second segment starts in the video.
    expect(mediaOffsetMs(twoSegments, t0 + 60_000, 50_000)).toBe(30_000);
  });

  it('has no answer without segments', () => {
    expect(mediaOffsetMs([], t0, 0)).toBeNull();
  });
});
