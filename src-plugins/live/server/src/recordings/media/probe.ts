import fs from 'node:fs';
import path from 'node:path';
import { MediaError, failureLine, runFfmpeg } from './ffmpeg';

/** What a media file holds, read with ffmpeg alone (`ffmpeg -i file`), since the npm build has no ffprobe. */
export type MediaProbe = {
  durationMs: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width?: number;
  height?: number;
  /** e.g. 'h264'. */
  videoCodec?: string;
  /** e.g. 'High', 'Constrained Baseline'. */
  videoProfile?: string;
  audioCodec?: string;
  audioSampleRate?: number;
  /** ffmpeg's channel layout word: 'mono', 'stereo', '5.1', '2 channels'… */
  audioChannels?: string;
};

/** The first video / audio stream and the header's duration, as `ffmpeg -i` prints them for input #0. */
export type ParsedInputInfo = Omit<MediaProbe, 'durationMs'> & {
  /** Null when the header says `Duration: N/A` (a live ingest's FLV that was cut off, for one). */
  durationMs: number | null;
};

const STREAM_LINE = /^\s*Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio|Data|Subtitle|Attachment): (.*)$/;
const DURATION_LINE = /^\s*Duration: (?:(\d+):(\d{2}):(\d{2}(?:\.\d+)?)|N\/A)/;

/** Reads `ffmpeg -i` stderr (either the 2018 npm build's layout or Debian's 5.x). Returns null when there is no input #0. */
export function parseInputInfo(stderrLines: readonly string[]): ParsedInputInfo | null {
  const start = stderrLines.findIndex((line) => /^Input #0, /.test(line));
  if (start < 0) return null;
  const info: ParsedInputInfo = { durationMs: null, hasVideo: false, hasAudio: false };
  for (const line of stderrLines.slice(start + 1)) {
    // Another input's or the output's section: input #0 is over.
    if (/^(Input #[1-9]|Output #|Stream mapping:)/.test(line)) break;
    const duration = DURATION_LINE.exec(line);
    if (duration) {
      if (duration[1] !== undefined) {
        const ms = Math.round((Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])) * 1000);
        info.durationMs = ms;
      }
      continue;
    }
    const stream = STREAM_LINE.exec(line);
    if (!stream) continue;
    const [, kind, details] = stream;
    const codec = /^([\w-]+)(?: \(([^)]*)\))?/.exec(details);
    if (kind === 'Video' && !info.hasVideo) {
      info.hasVideo = true;
      if (codec) {
        info.videoCodec = codec[1];
        // The first parenthesis after the codec is its profile unless it is a fourcc ("avc1 / 0x…").
        if (codec[2] && !codec[2].includes(' / 0x')) info.videoProfile = codec[2];
      }
      const size = /, (\d{1,5})x(\d{1,5})(?=[ ,]|$)/.exec(details);
      if (size) {
        info.width = Number(size[1]);
        info.height = Number(size[2]);
      }
    } else if (kind === 'Audio' && !info.hasAudio) {
      info.hasAudio = true;
      if (codec) info.audioCodec = codec[1];
      const rate = /, (\d+) Hz, ([^,]+)/.exec(details);
      if (rate) {
        info.audioSampleRate = Number(rate[1]);
        info.audioChannels = rate[2].trim();
      }
    }
  }
  return info;
}

/**
 * What `file` holds. The duration comes from the header; when that is missing or 0 (an FLV
 * written by a live ingest that stopped abruptly has no usable duration), it is measured by
 * reading the whole file without decoding anything (`-c copy -f null`): the last output time.
 */
export async function probeMedia(binary: string, file: string, options: { signal?: AbortSignal } = {}): Promise<MediaProbe> {
  if (!fs.existsSync(file)) throw new MediaError('input-missing', `The file ${path.basename(file)} is missing`);
  const lines: string[] = [];
  const { stderrTail } = await runFfmpeg(binary, ['-i', file], {
    signal: options.signal,
    onStderrLine: (line) => lines.push(line),
    // With an input and no output, ffmpeg prints what it read and exits 1: that is the success case here.
    okExitCodes: [0, 1],
  });
  const info = parseInputInfo(lines);
  if (!info) throw new MediaError('invalid-input', `${path.basename(file)} is not a readable media file: ${failureLine(stderrTail)}`, stderrTail);
  let durationMs = info.durationMs ?? 0;
  if (durationMs <= 0 && (info.hasVideo || info.hasAudio)) durationMs = await measureDurationMs(binary, file, info.hasVideo ? 'v' : 'a', options.signal);
  return { ...info, durationMs };
}

/** The duration found by reading every packet of the first video (or audio) stream, decoding nothing. */
async function measureDurationMs(binary: string, file: string, kind: 'v' | 'a', signal?: AbortSignal): Promise<number> {
  let lastMs = 0;
  const result = await runFfmpeg(binary, ['-i', file, '-map', `0:${kind}:0`, '-c', 'copy', '-f', 'null', '-'], {
    signal,
    onProgress: (ms) => (lastMs = Math.max(lastMs, ms)),
  });
  return Math.round(Math.max(lastMs, result.lastOutTimeMs ?? 0));
}

export async function probeDurationMs(binary: string, file: string, options: { signal?: AbortSignal } = {}): Promise<number> {
  return (await probeMedia(binary, file, options)).durationMs;
}
