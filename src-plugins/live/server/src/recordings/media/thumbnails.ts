import fs from 'node:fs';
import path from 'node:path';
import { MediaError, runFfmpeg } from './ffmpeg';
import { monotonic } from './progress';

export type ThumbnailOptions = {
  binary: string;
  /** The MP4 (or any file ffmpeg reads). */
  input: string;
  /** Where poster.jpg and thumb-0001.jpg… go (created; earlier ones there are replaced). */
  dir: string;
  durationMs: number;
  intervalSeconds?: number;
  maxCount?: number;
  /** Width of the strip's images; the height keeps the aspect ratio. */
  width?: number;
  signal?: AbortSignal;
  /** 0–1, never going back. */
  onProgress?: (fraction: number) => void;
};

export type ThumbnailStrip = { file: string; atMs: number }[];
export type ThumbnailResult = { poster: string; strip: ThumbnailStrip };

export const POSTER_FILE = 'poster.jpg';
const POSTER_MAX_WIDTH = 1280;
/** The poster is the frame at 5 s (past a black first frame or a "starting soon" fade), or the middle of a shorter video. */
const POSTER_AT_MS = 5000;
const STRIP_PATTERN = /^thumb-\d{4,}\.jpg$/;
/** The poster's share of the progress: one frame against a pass over the file. */
const POSTER_SHARE = 0.1;

/** The strip's spacing: the asked interval, widened (whole seconds) so there are at most `maxCount` images. */
export function stripIntervalSeconds(durationMs: number, intervalSeconds: number, maxCount: number): number {
  return Math.max(intervalSeconds, Math.ceil(durationMs / 1000 / Math.max(1, maxCount)));
}

/**
 * A poster and a strip of thumbnails, fast: the poster is one frame found by input seeking; the
 * strip is one ffmpeg pass that reads and decodes only keyframes (a live encoder puts one every
 * 1–4 s) and keeps the first one in each interval. Measured on a 10-minute 720p30 recording with
 * a keyframe every 2 s (npm run bench:recording, BENCH_NAIVE=1): 1–2 s for poster and strip,
 * against 20 s (23 s of CPU) for `-vf fps=1/10` decoding all 18,000 frames. Each image's `atMs` is the time of the frame
 * it shows (from the showinfo filter), not the interval's nominal start. When the video has too
 * few keyframes for that (an encoder with a very long keyframe interval), the pass is run again
 * decoding every frame.
 */
export async function makeThumbnails(options: ThumbnailOptions): Promise<ThumbnailResult> {
  const { binary, input, dir, signal } = options;
  const durationMs = Math.max(0, options.durationMs);
  const intervalSeconds = options.intervalSeconds ?? 10;
  const maxCount = options.maxCount ?? 120;
  const width = options.width ?? 320;
  if (!(intervalSeconds > 0) || !Number.isInteger(maxCount) || maxCount < 1 || !Number.isInteger(width) || width < 16) {
    throw new RangeError(`makeThumbnails: bad options (intervalSeconds ${intervalSeconds}, maxCount ${maxCount}, width ${width})`);
  }
  if (!fs.existsSync(input)) throw new MediaError('input-missing', `The video ${path.basename(input)} is missing`);
  const progress = monotonic(options.onProgress);
  progress(0);

  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) if (name === POSTER_FILE || STRIP_PATTERN.test(name)) fs.rmSync(path.join(dir, name), { force: true });

  const poster = await makePoster(binary, input, path.join(dir, POSTER_FILE), durationMs, signal);
  progress(POSTER_SHARE);

  const everySeconds = stripIntervalSeconds(durationMs, intervalSeconds, maxCount);
  const expected = Math.max(1, Math.ceil(durationMs / 1000 / everySeconds));
  const stripProgress = (ms: number) => progress(POSTER_SHARE + (1 - POSTER_SHARE) * Math.min(0.99, durationMs > 0 ? ms / durationMs : 0));
  let strip = await makeStrip({ binary, input, dir, everySeconds, maxCount, width, keyframesOnly: true, signal, onTime: stripProgress });
  if (strip.length < Math.ceil(expected / 2)) {
    strip = await makeStrip({ binary, input, dir, everySeconds, maxCount, width, keyframesOnly: false, signal, onTime: stripProgress });
  }
  if (strip.length === 0) throw new MediaError('ffmpeg-failed', 'ffmpeg made no thumbnails from the video');
  progress(1);
  return { poster, strip };
}

async function makePoster(binary: string, input: string, file: string, durationMs: number, signal?: AbortSignal): Promise<string> {
  const atMs = Math.min(POSTER_AT_MS, durationMs / 2);
  const grab = (seconds: number) =>
    runFfmpeg(
      binary,
      // -ss before -i: seek in the container to the keyframe before, decode only from there.
      ['-ss', seconds.toFixed(3), '-i', input, '-map', '0:v:0', '-an', '-frames:v', '1', '-vf', `scale='min(${POSTER_MAX_WIDTH},iw)':-2`, '-q:v', '3', '-f', 'image2', '-y', file],
      { signal }
    );
  await grab(atMs / 1000);
  // A duration that overstated the video (seeking past its last frame writes nothing): the first frame will do.
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) await grab(0);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) throw new MediaError('ffmpeg-failed', 'ffmpeg made no poster from the video');
  return file;
}

async function makeStrip(options: {
  binary: string;
  input: string;
  dir: string;
  everySeconds: number;
  maxCount: number;
  width: number;
  keyframesOnly: boolean;
  signal?: AbortSignal;
  onTime: (ms: number) => void;
}): Promise<ThumbnailStrip> {
  const { binary, input, dir, everySeconds: n, maxCount, width, keyframesOnly, signal, onTime } = options;
  for (const name of fs.readdirSync(dir)) if (STRIP_PATTERN.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  // The first frame of each n-second interval: floor(t/n) moved past the last selected frame's.
  const select = `select='isnan(prev_selected_t)+gte(floor(t/${n}),floor(prev_selected_t/${n})+1)'`;
  const times: number[] = [];
  await runFfmpeg(
    binary,
    [
      // -discard: the demuxer drops non-key packets without reading them (MP4); -skip_frame: the decoder skips any left.
      ...(keyframesOnly ? ['-discard', 'nokey', '-skip_frame', 'nokey'] : []),
      '-i',
      input,
      '-map',
      '0:v:0',
      '-an',
      '-vf',
      `${select},scale=${width}:-2,showinfo`,
      // Without vfr the image muxer would repeat frames to fill a constant rate.
      '-vsync',
      'vfr',
      '-frames:v',
      String(maxCount),
      '-q:v',
      '4',
      '-f',
      'image2',
      '-y',
      path.join(dir, 'thumb-%04d.jpg'),
    ],
    {
      signal,
      onStderrLine: (line) => {
        const match = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.]+)/.exec(line);
        if (!match) return;
        const ms = Math.max(0, Math.round(Number(match[1]) * 1000));
        times.push(ms);
        onTime(ms);
      },
    }
  );
  const files = fs
    .readdirSync(dir)
    .filter((name) => STRIP_PATTERN.test(name))
    .sort();
  return files.map((name, i) => ({ file: path.join(dir, name), atMs: times[i] ?? i * n * 1000 }));
}
