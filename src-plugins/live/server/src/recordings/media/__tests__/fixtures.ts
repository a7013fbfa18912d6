import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Real media for the media tests, made with Debian's ffmpeg, and checks made with Debian's
 * ffprobe (an independent reader: the code under test only uses ffmpeg).
 */

export const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';
export const DEBIAN_FFPROBE = '/usr/bin/ffprobe';
export const NPM_FFMPEG: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `skillyug-media-${label}-`));
}

export type FlvSpec = {
  seconds: number;
  video?: boolean;
  audio?: boolean;
  size?: string;
  rate?: number;
  /** Seconds between keyframes. */
  keyframeSeconds?: number;
  /** Put the audio stream first (an encoder whose first tag is audio). */
  audioFirst?: boolean;
  frequency?: number;
};

/** An FLV the way a live encoder sends it: H.264 (yuv420p) + AAC, a keyframe every `keyframeSeconds`. */
export function makeFlv(file: string, spec: FlvSpec): string {
  const { seconds, video = true, audio = true, size = '320x180', rate = 15, keyframeSeconds = 1, audioFirst = false, frequency = 440 } = spec;
  const sources = [
    ...(video ? ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}`] : []),
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=44100`] : []),
  ];
  const videoMap = video ? ['-map', '0:v'] : [];
  const audioMap = audio ? ['-map', `${video ? 1 : 0}:a`] : [];
  const maps = audioFirst ? [...audioMap, ...videoMap] : [...videoMap, ...audioMap];
  execFileSync(
    DEBIAN_FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      ...sources,
      '-t',
      String(seconds),
      ...maps,
      ...(video ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(rate * keyframeSeconds)] : []),
      ...(audio ? ['-c:a', 'aac', '-b:a', '64k'] : []),
      '-f',
      'flv',
      '-y',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  return file;
}

/**
 * Rewrites an FLV the way node-media-server records one: the metadata tag is the publisher's
 * `@setDataFrame` message (`"@setDataFrame", "onMetaData", {…}`: ffmpeg shows it as an extra
 * data stream) and says duration 0 (a live stream has no duration).
 */
export function asLiveIngestFlv(source: string, target: string): string {
  const data = fs.readFileSync(source);
  const chunks: Buffer[] = [data.subarray(0, 13)]; // FLV header (9) + PreviousTagSize0 (4)
  let offset = 13;
  let rewritten = false;
  while (offset + 11 <= data.length) {
    const type = data[offset];
    const size = data.readUIntBE(offset + 1, 3);
    const header = Buffer.from(data.subarray(offset, offset + 11));
    let body = Buffer.from(data.subarray(offset + 11, offset + 11 + size));
    if (type === 18 && !rewritten) {
      rewritten = true;
      const duration = body.indexOf('duration');
      // AMF0: the key, then a number marker (0) and an 8-byte double.
      if (duration >= 0) body.writeDoubleBE(0, duration + 'duration'.length + 1);
      const name = Buffer.from('@setDataFrame');
      const prefix = Buffer.alloc(3);
      prefix[0] = 2; // AMF0 string
      prefix.writeUInt16BE(name.length, 1);
      body = Buffer.concat([prefix, name, body]);
      header.writeUIntBE(body.length, 1, 3);
    }
    const previousTagSize = Buffer.alloc(4);
    previousTagSize.writeUInt32BE(11 + body.length);
    chunks.push(header, body, previousTagSize);
    offset += 11 + size + 4;
  }
  if (!rewritten) throw new Error(`${source} has no metadata tag`);
  fs.writeFileSync(target, Buffer.concat(chunks));
  return target;
}

function ffprobe(args: string[]): string {
  return execFileSync(DEBIAN_FFPROBE, ['-v', 'error', ...args], { encoding: 'utf8' }).trim();
}

export const durationSeconds = (file: string) => Number(ffprobe(['-show_entries', 'format=duration', '-of', 'csv=p=0', file]));

export function streamsOf(file: string): { codec_type: string; codec_name: string; width?: number; height?: number }[] {
  return JSON.parse(ffprobe(['-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', file])).streams;
}

/** Every video packet's size and MD5, in order: equal lists mean the video was copied, not re-encoded. */
export function videoPackets(file: string): string[] {
  const out = execFileSync(DEBIAN_FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').slice(4).map((field) => field.trim()).join(' '));
}

/**
 * Every decoded video frame's MD5, in order. For joined segments, where ffmpeg repeats each
 * segment's parameter sets (SPS/PPS) in its keyframes so a decoder switches to them, equal lists
 * still prove nothing was re-encoded: an encoder never gives back the same pixels.
 */
export function decodedFrames(file: string): string[] {
  const out = execFileSync(DEBIAN_FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)!.trim());
}

/** The MP4's top-level box types in file order (ftyp, moov, mdat…). */
export function topLevelBoxes(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const boxes: string[] = [];
    const header = Buffer.alloc(16);
    for (let offset = 0; offset + 8 <= size; ) {
      fs.readSync(fd, header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      boxes.push(header.toString('latin1', 4, 8));
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize === 0) break; // runs to the end of the file
      if (boxSize < 8) throw new Error(`bad box size ${boxSize} at ${offset}`);
      offset += boxSize;
    }
    return boxes;
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a pid is still a running process. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Asserts a progress sequence starts at 0, ends at 1 and never goes back. */
export function expectMonotonicZeroToOne(fractions: readonly number[]): void {
  expect(fractions.length).toBeGreaterThanOrEqual(2);
  expect(fractions[0]).toBe(0);
  expect(fractions.at(-1)).toBe(1);
  fractions.forEach((fraction, i) => {
    expect(fraction).toBeGreaterThanOrEqual(0);
    expect(fraction).toBeLessThanOrEqual(1);
    if (i > 0) expect(fraction).toBeGreaterThanOrEqual(fractions[i - 1]);
  });
}
