import fs from 'node:fs';
import path from 'node:path';
import { MediaError } from '../ffmpeg';
import { parseInputInfo, probeDurationMs, probeMedia } from '../probe';
import { DEBIAN_FFMPEG, NPM_FFMPEG, asLiveIngestFlv, durationSeconds, makeFlv, makeTempDir } from './fixtures';

let dir: string;
let flv: string;
let ingest: string;
let truncated: string;
let audioOnly: string;

beforeAll(() => {
  dir = makeTempDir('probe');
  flv = makeFlv(path.join(dir, 'plain.flv'), { seconds: 6 });
  ingest = asLiveIngestFlv(flv, path.join(dir, 'ingest.flv'));
  // What an ingest that stopped mid-write leaves: the last tag cut off, so no duration can be read from the end.
  truncated = path.join(dir, 'truncated.flv');
  const whole = fs.readFileSync(ingest);
  fs.writeFileSync(truncated, whole.subarray(0, whole.length - 3000));
  audioOnly = makeFlv(path.join(dir, 'audio-only.flv'), { seconds: 3, video: false });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseInputInfo', () => {
  it("reads ffmpeg 5's layout, skipping the FLV's data stream", () => {
    const info = parseInputInfo([
      "Input #0, flv, from 'x.flv':",
      '  Metadata:',
      '    encoder         : Lavf59.27.100',
      '  Duration: 00:01:02.50, start: 0.000000, bitrate: 212 kb/s',
      '  Stream #0:0: Data: none',
      '  Stream #0:1: Video: h264 (Constrained Baseline), yuv420p(progressive), 320x180 [SAR 1:1 DAR 16:9], 15.17 fps, 15 tbr, 1k tbn',
      '  Stream #0:2: Audio: aac (LC), 44100 Hz, mono, fltp',
      'At least one output file must be specified',
    ]);
    expect(info).toEqual({
      durationMs: 62500,
      hasVideo: true,
      hasAudio: true,
      width: 320,
      height: 180,
      videoCodec: 'h264',
      videoProfile: 'Constrained Baseline',
      audioCodec: 'aac',
      audioSampleRate: 44100,
      audioChannels: 'mono',
    });
  });

  it("reads the 2018 npm build's layout and an MP4's stream ids, and a missing duration", () => {
    const info = parseInputInfo([
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':",
      '  Duration: N/A, start: 0.000000, bitrate: N/A',
      '    Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720 [SAR 1:1 DAR 16:9], 2500 kb/s, 30 fps, 30 tbr, 16k tbn (default)',
      '    Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 127 kb/s (default)',
      "Output #0, null, to 'pipe:':",
      '    Stream #0:0: Video: wrapped_avframe, 999x999',
    ]);
    expect(info).toMatchObject({ durationMs: null, width: 1280, height: 720, videoProfile: 'High', audioSampleRate: 48000, audioChannels: 'stereo' });
  });

  it('returns null when ffmpeg read no input', () => {
    expect(parseInputInfo(['x.flv: Invalid data found when processing input'])).toBeNull();
  });
});

describe.each([
  ['Debian ffmpeg', DEBIAN_FFMPEG],
  ['@ffmpeg-installer ffmpeg', NPM_FFMPEG],
])('probeMedia with %s', (_name, binary) => {
  it("reads a live ingest's FLV: video, audio, size and the duration", async () => {
    const probe = await probeMedia(binary, ingest);
    expect(probe).toMatchObject({ hasVideo: true, hasAudio: true, width: 320, height: 180, videoCodec: 'h264', audioCodec: 'aac' });
    expect(Math.abs(probe.durationMs / 1000 - durationSeconds(ingest))).toBeLessThan(0.2);
  });

  it('measures the duration by reading the packets when the header has none', async () => {
    expect(parseInputInfo([])).toBeNull();
    const probe = await probeMedia(binary, truncated);
    expect(probe.hasVideo).toBe(true);
    // The cut removed the last ~0.2 s; the packets before it still give a duration.
    expect(probe.durationMs).toBeGreaterThan(5500);
    expect(probe.durationMs).toBeLessThanOrEqual(6100);
    expect(await probeDurationMs(binary, truncated)).toBe(probe.durationMs);
  });

  it('says when there is no video', async () => {
    expect(await probeMedia(binary, audioOnly)).toMatchObject({ hasVideo: false, hasAudio: true });
  });

  it('fails clearly on a file that is not media, and on a missing one', async () => {
    const junk = path.join(dir, 'junk.flv');
    fs.writeFileSync(junk, 'this is not a video');
    await expect(probeMedia(binary, junk)).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^junk\.flv is not a readable media file: .*Invalid data/) });
    await expect(probeMedia(binary, path.join(dir, 'gone.flv'))).rejects.toEqual(new MediaError('input-missing', 'The file gone.flv is missing'));
  });
});
