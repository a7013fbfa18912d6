import { describeHealth } from '../health-report';
import { IngestStats } from '../ingest-stats';

const AUDIO = 8;
const VIDEO = 9;

/** Feeds `seconds` of a stream: `fps` video frames a second, a keyframe every `gopSeconds`, `kbps` in total. */
function feed(stats: IngestStats, { seconds, fps, gopSeconds, kbps, start = 0 }: { seconds: number; fps: number; gopSeconds: number; kbps: number; start?: number }) {
  const frameBytes = Math.round((kbps * 1000) / 8 / fps);
  const frames = Math.round(seconds * fps);
  for (let i = 0; i < frames; i++) {
    const t = Math.round((i * 1000) / fps);
    const keyframe = i % Math.round(gopSeconds * fps) === 0;
    stats.record({ codec_type: VIDEO, flags: keyframe ? 3 : 4, size: frameBytes, dts: t }, start + t);
  }
  return start + Math.round((frames * 1000) / fps);
}

describe('ingest stats', () => {
  it('measures bitrate, frame rate and keyframe interval over the last seconds', () => {
    const stats = new IngestStats();
    const end = feed(stats, { seconds: 8, fps: 30, gopSeconds: 2, kbps: 3000 });
    const snapshot = stats.snapshot(end);
    expect(snapshot.fps).toBeCloseTo(30, 0);
    expect(snapshot.keyframeIntervalSeconds).toBe(2);
    expect(snapshot.bitrateKbps).toBeGreaterThan(2800);
    expect(snapshot.bitrateKbps).toBeLessThan(3200);
  });

  it('knows nothing before a second of media', () => {
    const stats = new IngestStats();
    stats.record({ codec_type: VIDEO, flags: 3, size: 1000, dts: 0 }, 0);
    stats.record({ codec_type: AUDIO, flags: 1, size: 100, dts: 0 }, 10);
    expect(stats.snapshot(500)).toMatchObject({ bitrateKbps: null, fps: null, keyframeIntervalSeconds: null, firstMediaAt: 0, lastVideoAt: 0 });
  });

  it('reports a long keyframe interval before the next keyframe arrives', () => {
    const stats = new IngestStats();
    const end = feed(stats, { seconds: 6, fps: 30, gopSeconds: 10, kbps: 2500 });
    expect(stats.snapshot(end).keyframeIntervalSeconds).toBeGreaterThan(5);
  });

  it('starts over when the encoder clock goes back', () => {
    const stats = new IngestStats();
    const end = feed(stats, { seconds: 3, fps: 30, gopSeconds: 1, kbps: 1000 });
    feed(stats, { seconds: 0.5, fps: 30, gopSeconds: 1, kbps: 1000, start: end });
    expect(stats.snapshot(end + 500).fps).toBeNull();
  });
});

describe('stream health', () => {
  const startedAt = new Date(0);
  const measured = { firstMediaAt: 0, lastVideoAt: 10_000, bitrateKbps: 2500, fps: 30, keyframeIntervalSeconds: 2 };

  it('is HEALTHY with no warnings for a good stream', () => {
    const health = describeHealth({ publishStatus: 'publishing', startedAt, connectedAt: 0, stats: measured, viewerCount: 3, reconnectGraceMs: 10_000 }, 10_500);
    expect(health).toEqual({ live: true, health: 'HEALTHY', startedAt: startedAt.toISOString(), viewerCount: 3, bitrateKbps: 2500, fps: 30, keyframeIntervalSeconds: 2, warnings: [] });
  });

  it('is STARVING after 2 s without video while OBS is connected', () => {
    const health = describeHealth({ publishStatus: 'publishing', startedAt, connectedAt: 0, stats: measured, viewerCount: 0, reconnectGraceMs: 10_000 }, 12_500);
    expect(health).toMatchObject({ live: true, health: 'STARVING' });
    expect(health.warnings.join(' ')).toMatch(/No video has arrived for 3 s/);
  });

  it('tells the mentor what to change in OBS', () => {
    const warnings = (stats: Partial<typeof measured>) =>
      describeHealth({ publishStatus: 'publishing', startedAt, connectedAt: 0, stats: { ...measured, ...stats }, viewerCount: 0, reconnectGraceMs: 10_000 }, 10_000).warnings.join(' ');
    expect(warnings({ keyframeIntervalSeconds: 8 })).toMatch(/Keyframe interval is 8 s: set Keyframe Interval to 2 s in OBS \(Output → Streaming\)/);
    expect(warnings({ bitrateKbps: 200 })).toMatch(/Bitrate is 200 kbps/);
    expect(warnings({ bitrateKbps: 9000 })).toMatch(/Bitrate is 9000 kbps/);
    expect(warnings({ fps: 10 })).toMatch(/Frame rate is 10 fps/);
  });

  it('is not live when nothing publishes, nor while a dropped OBS may reconnect', () => {
    expect(describeHealth({ publishStatus: 'idle', startedAt: null, connectedAt: null, stats: null, viewerCount: 0, reconnectGraceMs: 10_000 })).toMatchObject({ live: false, health: 'UNKNOWN', startedAt: null });
    expect(describeHealth({ publishStatus: 'reconnecting', startedAt, connectedAt: 0, stats: measured, viewerCount: 2, reconnectGraceMs: 10_000 })).toMatchObject({ live: false, health: 'UNKNOWN', viewerCount: 2 });
  });
});
