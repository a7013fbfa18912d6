import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MediaError, runFfmpeg } from './ffmpeg';
import { type MediaProbe, probeMedia } from './probe';
import { monotonic } from './progress';

/**
 * Raw recordings (FLV segments from the ingest, in order) → one MP4 that browsers play with
 * seeking. The video is never re-encoded (`-c copy`); the FLV's data stream (`@setDataFrame`
 * metadata) is dropped by mapping only the first video and audio streams.
 */

export type RemuxOptions = {
  binary: string;
  inputs: readonly string[];
  output: string;
  /** Used for progress when the inputs' own durations can't be read. */
  expectedDurationMs?: number;
  signal?: AbortSignal;
  /** 0–1, never going back. */
  onProgress?: (fraction: number) => void;
};

export type RemuxResult = {
  durationMs: number;
  sizeBytes: number;
  /** One per input, in order: its media duration (0 for a segment that held no video and was left out). */
  segmentDurationsMs: number[];
  /** Inputs left out (no video, unreadable), with why: a reconnect that dropped before sending a frame leaves one. */
  skippedInputs: { index: number; reason: string }[];
};

/** Video codecs an MP4 carries and browsers play: anything else would make an MP4 nobody can watch. */
const PLAYABLE_VIDEO_CODECS = new Set(['h264', 'hevc', 'av1']);
/** Audio codecs copied as they are; others (Speex, Nellymoser from old Flash encoders) are converted to AAC. */
const COPYABLE_AUDIO_CODECS = new Set(['aac', 'mp3']);

type UsableInput = { index: number; file: string; probe: MediaProbe };

export async function remuxToMp4(options: RemuxOptions): Promise<RemuxResult> {
  const { binary, inputs, output, signal } = options;
  if (inputs.length === 0) throw new MediaError('input-missing', 'There is no raw recording to process');
  const progress = monotonic(options.onProgress);
  progress(0);

  const { usable, skippedInputs } = await probeInputs(binary, inputs, signal);
  const video = usable[0].probe;
  const mismatch = usable.find(({ probe }) => videoSignature(probe) !== videoSignature(video));
  if (mismatch) {
    throw new MediaError(
      'incompatible-segments',
      `The recording's parts have different video settings (${describeVideo(video)}, then ${describeVideo(mismatch.probe)}) and cannot be joined without re-encoding`
    );
  }
  const probedTotalMs = usable.reduce((sum, input) => sum + input.probe.durationMs, 0);
  const totalMs = probedTotalMs > 0 ? probedTotalMs : (options.expectedDurationMs ?? 0);

  fs.mkdirSync(path.dirname(output), { recursive: true });
  // A crash or a failure leaves at most this hidden temp file, never a half MP4 under the final name.
  const partial = path.join(path.dirname(output), `.${path.basename(output)}.${crypto.randomBytes(4).toString('hex')}.partial.mp4`);
  const scratch: string[] = [partial];
  try {
    const segmentDurationsMs = inputs.map(() => 0);
    if (usable.length === 1) {
      const [only] = usable;
      await runFfmpeg(binary, ['-i', only.file, ...mapArgs(audioPlanFor(usable)), '-movflags', '+faststart', '-f', 'mp4', '-y', partial], {
        signal,
        onProgress: (ms) => progress(fractionOf(ms, totalMs, 0.99)),
      });
      segmentDurationsMs[only.index] = only.probe.durationMs;
    } else {
      // Several segments: each is first remuxed on its own to an MP4 with the same stream layout
      // (video then audio). The concat demuxer matches streams by index, and in an FLV the order
      // is whichever tag came first (data, audio or video), so joining the FLVs directly could put
      // one segment's audio into another's video track.
      const audio = audioPlanFor(usable);
      const parts: string[] = [];
      let doneMs = 0;
      for (const [n, input] of usable.entries()) {
        const part = `${partial}.part${n}.mp4`;
        scratch.push(part);
        const streams =
          audio.kind === 'encode' && !input.probe.hasAudio
            ? [...silenceInput(audio, input.probe.durationMs), '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy', ...aacArgs(audio), '-shortest']
            : mapArgs(audio);
        await runFfmpeg(binary, ['-i', input.file, ...streams, '-f', 'mp4', '-y', part], {
          signal,
          onProgress: (ms) => progress(0.5 * fractionOf(doneMs + ms, totalMs, 1)),
        });
        // The part's own duration (read from its moov, exact) is what the joined MP4 adds for it.
        const partProbe = await probeMedia(binary, part, { signal });
        segmentDurationsMs[input.index] = partProbe.durationMs;
        doneMs += partProbe.durationMs;
        parts.push(part);
      }
      const list = `${partial}.concat.txt`;
      scratch.push(list);
      fs.writeFileSync(list, `ffconcat version 1.0\n${parts.map((part) => `file ${concatQuote(part)}\n`).join('')}`);
      const joinedMs = doneMs;
      await runFfmpeg(
        binary,
        ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', '-y', partial],
        { signal, onProgress: (ms) => progress(0.5 + 0.5 * fractionOf(ms, joinedMs, 0.99)) }
      );
    }

    const result = await probeMedia(binary, partial, { signal });
    if (!result.hasVideo) throw new MediaError('ffmpeg-failed', 'ffmpeg wrote an MP4 without video');
    const sizeBytes = fs.statSync(partial).size;
    fs.renameSync(partial, output);
    scratch.shift();
    progress(1);
    return { durationMs: result.durationMs, sizeBytes, segmentDurationsMs, skippedInputs };
  } finally {
    for (const file of scratch) fs.rmSync(file, { force: true });
  }
}

async function probeInputs(binary: string, inputs: readonly string[], signal?: AbortSignal) {
  const usable: UsableInput[] = [];
  const skippedInputs: { index: number; reason: string }[] = [];
  let firstFailure: MediaError | null = null;
  for (const [index, file] of inputs.entries()) {
    if (!fs.existsSync(file)) throw new MediaError('input-missing', `The raw recording ${path.basename(file)} is missing`);
    let failure: MediaError;
    try {
      const probe = await probeMedia(binary, file, { signal });
      if (probe.hasVideo) {
        if (!PLAYABLE_VIDEO_CODECS.has(probe.videoCodec ?? '')) {
          throw new MediaError('unsupported-video', `The raw recording's video is ${probe.videoCodec ?? 'in an unknown format'}, which browsers cannot play: set the encoder to H.264`);
        }
        usable.push({ index, file, probe });
        continue;
      }
      failure = new MediaError('no-video', probe.hasAudio ? 'The raw recording has no video (only audio was received)' : 'The raw recording has no video');
    } catch (error) {
      if (!(error instanceof MediaError) || error.code === 'aborted' || error.code === 'unsupported-video' || error.code === 'ffmpeg-missing') throw error;
      failure = error;
    }
    firstFailure ??= failure;
    skippedInputs.push({ index, reason: failure.message });
  }
  // One bad segment among good ones is left out; when none has video there is nothing to keep.
  if (usable.length === 0) throw firstFailure ?? new MediaError('no-video', 'The raw recording has no video');
  return { usable, skippedInputs };
}

/** What makes two segments joinable without re-encoding: same codec, profile and frame size. */
const videoSignature = (probe: MediaProbe) => `${probe.videoCodec}|${probe.videoProfile ?? ''}|${probe.width}x${probe.height}`;
const describeVideo = (probe: MediaProbe) => `${probe.width}x${probe.height} ${probe.videoCodec}${probe.videoProfile ? ` ${probe.videoProfile}` : ''}`;

type AudioPlan =
  | { kind: 'none' }
  | { kind: 'copy' }
  /** Re-encode to AAC (video is still copied): audio that MP4 can't hold, or segments whose audio differs or is missing in some. */
  | { kind: 'encode'; sampleRate: number; channels: string };

function audioPlanFor(usable: readonly UsableInput[]): AudioPlan {
  const withAudio = usable.filter((input) => input.probe.hasAudio);
  if (withAudio.length === 0) return { kind: 'none' };
  const reference = withAudio[0].probe;
  const signature = (probe: MediaProbe) => `${probe.audioCodec}|${probe.audioSampleRate}|${probe.audioChannels}`;
  const uniform = withAudio.length === usable.length && withAudio.every((input) => signature(input.probe) === signature(reference));
  if (uniform && COPYABLE_AUDIO_CODECS.has(reference.audioCodec ?? '')) return { kind: 'copy' };
  const sampleRate = reference.audioSampleRate && reference.audioSampleRate >= 8000 ? reference.audioSampleRate : 48000;
  const channels = reference.audioChannels === 'mono' ? 'mono' : 'stereo';
  return { kind: 'encode', sampleRate, channels };
}

const aacArgs = (plan: Extract<AudioPlan, { kind: 'encode' }>) => [
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  '-ar',
  String(plan.sampleRate),
  '-ac',
  plan.channels === 'mono' ? '1' : '2',
];

function mapArgs(plan: AudioPlan): string[] {
  const video = ['-map', '0:v:0', '-c:v', 'copy'];
  if (plan.kind === 'none') return [...video, '-an'];
  if (plan.kind === 'copy') return [...video, '-map', '0:a:0', '-c:a', 'copy'];
  return [...video, '-map', '0:a:0', ...aacArgs(plan)];
}

/** A silent track as long as the segment, for a segment without audio among segments with it. */
function silenceInput(plan: Extract<AudioPlan, { kind: 'encode' }>, durationMs: number): string[] {
  return ['-f', 'lavfi', '-t', (Math.max(durationMs, 1) / 1000).toFixed(3), '-i', `anullsrc=r=${plan.sampleRate}:cl=${plan.channels}`];
}

/** A path quoted for an ffconcat `file` line: inside single quotes, a quote is written '\''. */
export function concatQuote(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`;
}

function fractionOf(ms: number, totalMs: number, cap: number): number {
  if (!(totalMs > 0)) return 0;
  return Math.min(cap, Math.max(0, ms / totalMs));
}
