import fs from 'node:fs';
import path from 'node:path';
import { processRecordingMedia } from '../pipeline';
import { remuxToMp4 } from '../remux';
import { makeThumbnails, stripIntervalSeconds } from '../thumbnails';
import { DEBIAN_FFMPEG, NPM_FFMPEG, asLiveIngestFlv, durationSeconds, expectMonotonicZeroToOne, makeFlv, makeTempDir, streamsOf, topLevelBoxes } from './fixtures';

let dir: string;
let ingest: string;
/** 12 s at 320x180, a keyframe every second. */
let mp4: string;
let mp4DurationMs: number;

beforeAll(async () => {
  dir = makeTempDir('thumbs');
  ingest = asLiveIngestFlv(makeFlv(path.join(dir, 'plain.flv'), { seconds: 12 }), path.join(dir, 'ingest.flv'));
  mp4 = path.join(dir, 'video.mp4');
  mp4DurationMs = (await remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [ingest], output: mp4 })).durationMs;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sizeOf = (image: string) => {
  const [stream] = streamsOf(image);
  return `${stream.width}x${stream.height}`;
};

describe('stripIntervalSeconds', () => {
  it('keeps the interval unless that would make more than maxCount images', () => {
    expect(stripIntervalSeconds(600_000, 10, 120)).toBe(10);
    expect(stripIntervalSeconds(3 * 3600_000, 10, 120)).toBe(90);
    expect(Math.ceil(3 * 3600 / stripIntervalSeconds(3 * 3600_000, 10, 120))).toBeLessThanOrEqual(120);
    expect(stripIntervalSeconds(0, 10, 120)).toBe(10);
  });
});

describe.each([
  ['Debian ffmpeg', DEBIAN_FFMPEG],
  ['@ffmpeg-installer ffmpeg', NPM_FFMPEG],
])('makeThumbnails with %s', (name, binary) => {
  let outDir: string;
  beforeAll(() => {
    outDir = path.join(dir, name.replace(/\W+/g, '-'));
  });

  it('makes a poster and one strip image per interval, each with the time of the frame it shows', async () => {
    const fractions: number[] = [];
    const result = await makeThumbnails({ binary, input: mp4, dir: outDir, durationMs: mp4DurationMs, intervalSeconds: 3, width: 160, onProgress: (f) => fractions.push(f) });

    expect(result.poster).toBe(path.join(outDir, 'poster.jpg'));
    // The source is 320 wide: the poster keeps that (it is only shrunk past 1280).
    expect(sizeOf(result.poster)).toBe('320x180');
    expect(result.strip.map((t) => path.basename(t.file))).toEqual(['thumb-0001.jpg', 'thumb-0002.jpg', 'thumb-0003.jpg', 'thumb-0004.jpg']);
    for (const thumb of result.strip) expect(sizeOf(thumb.file)).toBe('160x90');
    // A keyframe every second, so each interval's first keyframe is at its start (within the MP4's start offset).
    result.strip.forEach((thumb, i) => expect(Math.abs(thumb.atMs - i * 3000)).toBeLessThan(150));
    expectMonotonicZeroToOne(fractions);
  });

  it('widens the interval to stay within maxCount, and replaces the images of an earlier run', async () => {
    fs.writeFileSync(path.join(outDir, 'thumb-0009.jpg'), 'left from an earlier run');
    const result = await makeThumbnails({ binary, input: mp4, dir: outDir, durationMs: mp4DurationMs, intervalSeconds: 1, maxCount: 3 });
    // 12 s (and a few ms) in at most 3 images: every 5 s, whole seconds.
    const every = stripIntervalSeconds(mp4DurationMs, 1, 3);
    expect(every).toBe(5);
    expect(result.strip).toHaveLength(3);
    result.strip.forEach((thumb, i) => expect(Math.abs(thumb.atMs - i * every * 1000)).toBeLessThan(150));
    expect(fs.readdirSync(outDir).sort()).toEqual(['poster.jpg', 'thumb-0001.jpg', 'thumb-0002.jpg', 'thumb-0003.jpg']);
    expect(sizeOf(result.strip[0].file)).toBe('320x180');
  });
});

describe('makeThumbnails on unusual videos', () => {
  it('still makes a poster and a strip when the duration it is given overstates the video', async () => {
    const short = makeFlv(path.join(dir, 'short.flv'), { seconds: 3 });
    const shortMp4 = path.join(dir, 'short.mp4');
    await remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [short], output: shortMp4 });
    // The poster would be at 5 s, past the last frame: it falls back to the first.
    const result = await makeThumbnails({ binary: DEBIAN_FFMPEG, input: shortMp4, dir: path.join(dir, 'overstated'), durationMs: 60_000, intervalSeconds: 5 });
    expect(sizeOf(result.poster)).toBe('320x180');
    expect(result.strip).toHaveLength(1);
    expect(result.strip[0].atMs).toBeLessThan(150);
  });

  it('decodes every frame when there are too few keyframes for the strip', async () => {
    const sparse = makeFlv(path.join(dir, 'sparse.flv'), { seconds: 12, keyframeSeconds: 20 });
    const sparseMp4 = path.join(dir, 'sparse.mp4');
    const { durationMs } = await remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [sparse], output: sparseMp4 });
    const result = await makeThumbnails({ binary: DEBIAN_FFMPEG, input: sparseMp4, dir: path.join(dir, 'sparse'), durationMs, intervalSeconds: 3 });
    expect(result.strip).toHaveLength(4);
    result.strip.forEach((thumb, i) => expect(Math.abs(thumb.atMs - i * 3000)).toBeLessThan(150));
  });

  it('stops when aborted', async () => {
    await expect(makeThumbnails({ binary: DEBIAN_FFMPEG, input: mp4, dir: path.join(dir, 'aborted'), durationMs: mp4DurationMs, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});

describe('processRecordingMedia', () => {
  it('turns FLV segments into video.mp4 and thumbs/, reporting each stage from 0 to 1', async () => {
    const second = makeFlv(path.join(dir, 'second.flv'), { seconds: 5 });
    const workDir = path.join(dir, 'job');
    const progress: Record<string, number[]> = { remux: [], thumbnails: [] };
    const stages: string[] = [];
    const result = await processRecordingMedia({
      binary: DEBIAN_FFMPEG,
      inputs: [ingest, second],
      workDir,
      onProgress: (stage, fraction) => {
        if (stages.at(-1) !== stage) stages.push(stage);
        progress[stage].push(fraction);
      },
    });

    expect(result.video.file).toBe(path.join(workDir, 'video.mp4'));
    expect(Math.abs(durationSeconds(result.video.file) - (durationSeconds(ingest) + durationSeconds(second)))).toBeLessThan(0.2);
    expect(result.video.segmentDurationsMs).toHaveLength(2);
    const boxes = topLevelBoxes(result.video.file);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expect(result.poster).toBe(path.join(workDir, 'thumbs', 'poster.jpg'));
    // 17 s every 10 s: at 0 and 10.
    expect(result.strip.map((t) => path.relative(workDir, t.file))).toEqual(['thumbs/thumb-0001.jpg', 'thumbs/thumb-0002.jpg']);
    expect(stages).toEqual(['remux', 'thumbnails']);
    expectMonotonicZeroToOne(progress.remux);
    expectMonotonicZeroToOne(progress.thumbnails);
  });
});
