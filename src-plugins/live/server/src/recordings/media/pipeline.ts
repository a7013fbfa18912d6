import path from 'node:path';
import { remuxToMp4 } from './remux';
import { type ThumbnailStrip, makeThumbnails } from './thumbnails';

export type MediaStage = 'remux' | 'thumbnails';

export type ProcessRecordingMediaOptions = {
  binary: string;
  /** The raw FLV segments, in recording order. */
  inputs: readonly string[];
  /** A folder of the job's own: video.mp4 and thumbs/ are written there. */
  workDir: string;
  expectedDurationMs?: number;
  intervalSeconds?: number;
  maxThumbnails?: number;
  signal?: AbortSignal;
  /** Each stage's own 0–1; a stage reports 0 when it starts and 1 when it is done. */
  onProgress?: (stage: MediaStage, fraction: number) => void;
};

export type ProcessedRecordingMedia = {
  video: { file: string; durationMs: number; sizeBytes: number; segmentDurationsMs: number[]; skippedInputs: { index: number; reason: string }[] };
  poster: string;
  strip: ThumbnailStrip;
};

export const VIDEO_FILE = 'video.mp4';
export const THUMBNAILS_DIR = 'thumbs';

/** Raw recording → MP4 (remux, no re-encode) → poster and thumbnail strip taken from that MP4. */
export async function processRecordingMedia(options: ProcessRecordingMediaOptions): Promise<ProcessedRecordingMedia> {
  const { binary, inputs, workDir, signal, onProgress } = options;
  const file = path.join(workDir, VIDEO_FILE);
  const video = await remuxToMp4({
    binary,
    inputs,
    output: file,
    expectedDurationMs: options.expectedDurationMs,
    signal,
    onProgress: (fraction) => onProgress?.('remux', fraction),
  });
  const { poster, strip } = await makeThumbnails({
    binary,
    input: file,
    dir: path.join(workDir, THUMBNAILS_DIR),
    durationMs: video.durationMs,
    intervalSeconds: options.intervalSeconds,
    maxCount: options.maxThumbnails,
    signal,
    onProgress: (fraction) => onProgress?.('thumbnails', fraction),
  });
  return { video: { file, ...video }, poster, strip };
}
