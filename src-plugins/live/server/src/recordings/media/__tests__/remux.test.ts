import fs from 'node:fs';
import path from 'node:path';
import { MediaError } from '../ffmpeg';
import { concatQuote, remuxToMp4 } from '../remux';
import {
  DEBIAN_FFMPEG,
  NPM_FFMPEG,
  asLiveIngestFlv,
  decodedFrames,
  durationSeconds,
  expectMonotonicZeroToOne,
  makeFlv,
  makeTempDir,
  streamsOf,
  topLevelBoxes,
  videoPackets,
} from './fixtures';

let dir: string;
/** 6 s, the way node-media-server records: a data stream first, duration 0 in the metadata. */
let ingest: string;
/** 4 s more, from an encoder whose first tag is audio (so its streams are in the other order). */
let audioFirst: string;
/** 3 s of video without audio. */
let silent: string;
let audioOnly: string;

beforeAll(() => {
  dir = makeTempDir('remux');
  ingest = asLiveIngestFlv(makeFlv(path.join(dir, 'plain.flv'), { seconds: 6 }), path.join(dir, 'ingest.flv'));
  audioFirst = makeFlv(path.join(dir, 'audio-first.flv'), { seconds: 4, audioFirst: true, frequency: 880 });
  silent = makeFlv(path.join(dir, 'silent.flv'), { seconds: 3, audio: false });
  audioOnly = makeFlv(path.join(dir, 'audio-only.flv'), { seconds: 3, video: false });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Files in the output folder other than the finished MP4s: must be none after any run. */
const leftovers = (outDir: string) => fs.readdirSync(outDir).filter((name) => !/^[\w-]+\.mp4$/.test(name));

describe.each([
  ['Debian ffmpeg', DEBIAN_FFMPEG],
  ['@ffmpeg-installer ffmpeg', NPM_FFMPEG],
])('remuxToMp4 with %s', (name, binary) => {
  let outDir: string;
  beforeAll(() => {
    outDir = path.join(dir, name.replace(/\W+/g, '-'));
    fs.mkdirSync(outDir);
  });

  it("copies a live ingest's FLV into a fast-start MP4 of the same duration, without the data stream", async () => {
    const output = path.join(outDir, 'single.mp4');
    const fractions: number[] = [];
    const result = await remuxToMp4({ binary, inputs: [ingest], output, onProgress: (f) => fractions.push(f) });

    expect(Math.abs(durationSeconds(output) - durationSeconds(ingest))).toBeLessThan(0.2);
    expect(Math.abs(result.durationMs / 1000 - durationSeconds(output))).toBeLessThan(0.05);
    expect(result.sizeBytes).toBe(fs.statSync(output).size);
    expect(result.segmentDurationsMs).toHaveLength(1);
    expect(Math.abs(result.segmentDurationsMs[0] / 1000 - durationSeconds(ingest))).toBeLessThan(0.2);
    expect(result.skippedInputs).toEqual([]);
    expect(streamsOf(output).map((s) => [s.codec_type, s.codec_name])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    // Copied, not re-encoded: the very same video packets, byte for byte.
    expect(videoPackets(output)).toEqual(videoPackets(ingest));
    // +faststart: the index (moov) is before the media (mdat), so a browser can start and seek at once.
    const boxes = topLevelBoxes(output);
    expect(boxes[0]).toBe('ftyp');
    expect(boxes.indexOf('moov')).toBeGreaterThan(0);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expectMonotonicZeroToOne(fractions);
    expect(leftovers(outDir)).toEqual([]);
  });

  it('joins segments whose streams are in different orders into one MP4 as long as their sum', async () => {
    const output = path.join(outDir, 'joined.mp4');
    const fractions: number[] = [];
    const result = await remuxToMp4({ binary, inputs: [ingest, audioFirst], output, onProgress: (f) => fractions.push(f) });

    const expected = durationSeconds(ingest) + durationSeconds(audioFirst);
    expect(Math.abs(durationSeconds(output) - expected)).toBeLessThan(0.2);
    expect(result.segmentDurationsMs).toHaveLength(2);
    expect(Math.abs(result.segmentDurationsMs[0] / 1000 - durationSeconds(ingest))).toBeLessThan(0.2);
    expect(Math.abs(result.segmentDurationsMs[1] / 1000 - durationSeconds(audioFirst))).toBeLessThan(0.2);
    expect(streamsOf(output).map((s) => [s.codec_type, s.codec_name])).toEqual([
      ['video', 'h264'],
      ['audio', 'aac'],
    ]);
    expect(videoPackets(output)).toHaveLength(videoPackets(ingest).length + videoPackets(audioFirst).length);
    expect(decodedFrames(output)).toEqual([...decodedFrames(ingest), ...decodedFrames(audioFirst)]);
    const boxes = topLevelBoxes(output);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expectMonotonicZeroToOne(fractions);
    expect(leftovers(outDir)).toEqual([]);
  });

  it('gives a segment without audio a silent track (video still copied), and leaves out one without video', async () => {
    const output = path.join(outDir, 'mixed.mp4');
    const result = await remuxToMp4({ binary, inputs: [ingest, audioOnly, silent], output });

    expect(result.skippedInputs).toEqual([{ index: 1, reason: 'The raw recording has no video (only audio was received)' }]);
    expect(result.segmentDurationsMs[1]).toBe(0);
    const expected = durationSeconds(ingest) + durationSeconds(silent);
    expect(Math.abs(durationSeconds(output) - expected)).toBeLessThan(0.25);
    expect(streamsOf(output).map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect(decodedFrames(output)).toEqual([...decodedFrames(ingest), ...decodedFrames(silent)]);
  });

  it('fails with a reason a mentor can read when the recording has no video, leaving nothing behind', async () => {
    const output = path.join(outDir, 'nothing.mp4');
    const failure = await remuxToMp4({ binary, inputs: [audioOnly], output }).catch((error: unknown) => error);
    expect(failure).toEqual(new MediaError('no-video', 'The raw recording has no video (only audio was received)'));
    expect(fs.existsSync(output)).toBe(false);
    expect(leftovers(outDir)).toEqual([]);
  });

  it('stops when aborted during the copy, with no MP4 under the final name and no temp files', async () => {
    const output = path.join(outDir, 'aborted.mp4');
    const abort = new AbortController();
    // Once ffmpeg reports copied media (a fraction above 0), cancel.
    const run = remuxToMp4({ binary, inputs: [ingest, audioFirst], output, signal: abort.signal, onProgress: (f) => f > 0 && abort.abort() });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(abort.signal.aborted).toBe(true);
    expect(fs.existsSync(output)).toBe(false);
    expect(leftovers(outDir)).toEqual([]);
  });
});

describe('remuxToMp4 input checks', () => {
  it('names a missing raw recording', async () => {
    await expect(remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [path.join(dir, 'gone.flv')], output: path.join(dir, 'x.mp4') })).rejects.toEqual(
      new MediaError('input-missing', 'The raw recording gone.flv is missing')
    );
    await expect(remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [], output: path.join(dir, 'x.mp4') })).rejects.toMatchObject({ code: 'input-missing' });
  });

  it('refuses to join segments with different video settings', async () => {
    const bigger = makeFlv(path.join(dir, 'bigger.flv'), { seconds: 2, size: '640x360' });
    await expect(remuxToMp4({ binary: DEBIAN_FFMPEG, inputs: [ingest, bigger], output: path.join(dir, 'x.mp4') })).rejects.toMatchObject({
      code: 'incompatible-segments',
      message: expect.stringContaining('different video settings (320x180 h264'),
    });
  });
});

describe('concatQuote', () => {
  it("quotes a path for an ffconcat list, escaping single quotes as '\\''", () => {
    expect(concatQuote("/tmp/it's here/a.mp4")).toBe("'/tmp/it'\\''s here/a.mp4'");
  });
});
