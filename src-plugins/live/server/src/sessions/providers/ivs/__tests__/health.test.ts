import { maxIngestKbps, streamWarnings } from '../health';

const calm = { health: 'HEALTHY' as const, starving: false, bitrateKbps: 3000, fps: 30, keyframeIntervalSeconds: 2, videoHeight: 720, type: 'STANDARD' as const };

describe('streamWarnings', () => {
  it('says nothing when OBS is set up the way IVS wants', () => {
    expect(streamWarnings(calm)).toEqual([]);
  });

  it('asks for a 2-second keyframe interval when the data shows a longer one', () => {
    expect(streamWarnings({ ...calm, keyframeIntervalSeconds: 8 })).toEqual(['IVS needs a keyframe every 2 seconds: set Keyframe Interval to 2 in OBS']);
  });

  it('flags resolutions above 1080p and frame rates above 60', () => {
    expect(streamWarnings({ ...calm, videoHeight: 1440, fps: 120 })).toEqual([
      expect.stringMatching(/^IVS accepts at most 1080p \(OBS sends 1440p\)/),
      expect.stringMatching(/^IVS accepts at most 60 fps \(OBS sends 120\)/),
    ]);
  });
});

describe('maxIngestKbps', () => {
  it('follows the IVS channel types', () => {
    expect(maxIngestKbps('STANDARD', 1080)).toBe(8500);
    expect(maxIngestKbps('ADVANCED_SD', 1080)).toBe(8500);
    expect(maxIngestKbps('ADVANCED_HD', 1080)).toBe(8500);
    expect(maxIngestKbps('BASIC', 480)).toBe(1500);
    expect(maxIngestKbps('BASIC', 720)).toBe(3500);
  });
});
