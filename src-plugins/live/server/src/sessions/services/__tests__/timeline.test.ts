import { peakConcurrent, viewersTimeline, watchedSeconds, type WatchInterval } from '../timeline';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();

describe('audience figures from watch intervals', () => {
  const viewers: WatchInterval[][] = [
    [[at(0), at(30)]],
    [[at(10), at(20)], [at(25), null]],
    [[at(15), at(16)]],
  ];
  const now = new Date(at(40));

  it('finds the most viewers at one moment, counting open intervals up to now', () => {
    expect(peakConcurrent(viewers, now)).toBe(3);
    expect(peakConcurrent([[[at(0), at(10)]], [[at(10), at(20)]]], now)).toBe(2);
    expect(peakConcurrent([[[at(0), at(5)]], [[at(6), at(9)]]], now)).toBe(1);
    expect(peakConcurrent([], now)).toBe(0);
  });

  it('draws viewers over time for the chart', () => {
    const timeline = viewersTimeline(viewers, new Date(at(0)), new Date(at(40)), 5);
    expect(timeline.map((p) => p.viewers)).toEqual([1, 2, 2, 2, 1]);
    expect(timeline[0].at).toBe(at(0));
    expect(timeline[4].at).toBe(at(40));
  });

  it('adds a still-open watch to the time already watched', () => {
    expect(watchedSeconds(120, null, now)).toBe(120);
    expect(watchedSeconds(120, at(39), now)).toBe(180);
  });
});
