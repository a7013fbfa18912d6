import type { GetStreamResponse, StreamSession, VideoConfiguration } from '@aws-sdk/client-ivs';

type IvsStream = NonNullable<GetStreamResponse['stream']>;
import type { ChannelType, StreamHealth } from '../types';

/** IVS wants an IDR frame at least every 2 seconds. */
export const MAX_KEYFRAME_INTERVAL_SECONDS = 2;
/** IVS low-latency ingest: up to 1080p and 60 fps on every channel type. */
const MAX_INPUT_HEIGHT = 1080;
const MAX_INPUT_FPS = 60;

/**
 * The most video bitrate a channel type accepts, in kbps (IVS "Channel Types"): STANDARD and both
 * ADVANCED types take up to 8.5 Mbps; BASIC takes 1.5 Mbps at 480p and below, 3.5 Mbps above 480p.
 * Over the limit, IVS "probably will disconnect" the stream.
 */
export function maxIngestKbps(type: ChannelType, videoHeight: number | null): number {
  if (type !== 'BASIC') return 8500;
  return videoHeight !== null && videoHeight <= 480 ? 1500 : 3500;
}

export const STARVING_WARNING = 'IVS is receiving too little data: check your upload bandwidth';

/** A channel nobody is streaming to (GetStream: ChannelNotBroadcasting). A fresh object each time. */
export function offlineHealth(): StreamHealth {
  return { live: false, health: 'UNKNOWN', startedAt: null, viewerCount: null, bitrateKbps: null, fps: null, keyframeIntervalSeconds: null, warnings: [] };
}

/** What GetStream alone tells: live or not, IVS's health verdict, viewers, start time. */
export function healthFromStream(stream: IvsStream): StreamHealth {
  const live = stream.state === 'LIVE';
  const health = stream.health === 'HEALTHY' || stream.health === 'STARVING' ? stream.health : 'UNKNOWN';
  return {
    live,
    health,
    startedAt: stream.startTime ? new Date(stream.startTime).toISOString() : null,
    viewerCount: typeof stream.viewerCount === 'number' ? stream.viewerCount : null,
    bitrateKbps: null,
    fps: null,
    keyframeIntervalSeconds: null,
    warnings: health === 'STARVING' ? [STARVING_WARNING] : [],
  };
}

/**
 * Adds what GetStreamSession knows: the encoder's configured video (bitrate, frame rate,
 * resolution) and IVS's recent events (starvation). IVS reports the encoder's *target* bitrate and
 * frame rate, not a measurement, and nothing about the keyframe interval, so that stays null.
 */
export function withSessionDetails(base: StreamHealth, session: StreamSession, fallbackType: ChannelType): StreamHealth {
  const video = videoOf(session);
  const bitrateKbps = positive(video?.targetBitrate) !== null ? Math.round(video!.targetBitrate! / 1000) : null;
  const fps = positive(video?.targetFramerate);
  const videoHeight = positive(video?.videoHeight);
  const type = (session.channel?.type as ChannelType | undefined) ?? fallbackType;
  const keyframeIntervalSeconds = null;
  return {
    ...base,
    bitrateKbps,
    fps,
    keyframeIntervalSeconds,
    warnings: streamWarnings({
      health: base.health,
      starving: latestStarvationIsOngoing(session),
      bitrateKbps,
      fps,
      keyframeIntervalSeconds,
      videoHeight,
      type,
    }),
  };
}

/** The problems a mentor can fix in OBS (or their network), in OBS's own words. */
export function streamWarnings(m: {
  health: StreamHealth['health'];
  /** IVS's latest starvation event is a Start with no End after it. */
  starving: boolean;
  bitrateKbps: number | null;
  fps: number | null;
  keyframeIntervalSeconds: number | null;
  videoHeight: number | null;
  type: ChannelType;
}): string[] {
  const warnings: string[] = [];
  if (m.health === 'STARVING' || m.starving) {
    warnings.push(STARVING_WARNING);
  }
  if (m.keyframeIntervalSeconds !== null && m.keyframeIntervalSeconds > MAX_KEYFRAME_INTERVAL_SECONDS) {
    warnings.push('IVS needs a keyframe every 2 seconds: set Keyframe Interval to 2 in OBS');
  }
  const limitKbps = maxIngestKbps(m.type, m.videoHeight);
  if (m.bitrateKbps !== null && m.bitrateKbps > limitKbps) {
    warnings.push(
      `OBS sends ${mbps(m.bitrateKbps)} Mbps but this IVS channel (${m.type}) accepts at most ${mbps(limitKbps)} Mbps: ` +
        `lower the Bitrate in OBS (Settings → Output) or IVS may disconnect the stream`
    );
  }
  if (m.videoHeight !== null && m.videoHeight > MAX_INPUT_HEIGHT) {
    warnings.push(`IVS accepts at most 1080p (OBS sends ${m.videoHeight}p): set Output (Scaled) Resolution to 1920x1080 or lower in OBS`);
  }
  if (m.fps !== null && m.fps > MAX_INPUT_FPS) {
    warnings.push(`IVS accepts at most ${MAX_INPUT_FPS} fps (OBS sends ${m.fps}): lower Common FPS Values in OBS (Settings → Video)`);
  }
  return warnings;
}

/** Prefer the current `ingestConfigurations` (track 0), fall back to the deprecated single one. */
function videoOf(session: StreamSession): VideoConfiguration | undefined {
  return session.ingestConfigurations?.videoConfigurations?.[0] ?? session.ingestConfiguration?.video;
}

/**
 * IVS lists a session's events newest first, but we sort anyway rather than trust the order.
 * Starvation shows up as "Starvation Start" / "Starvation End" (IVS Stream Health Change).
 */
function latestStarvationIsOngoing(session: StreamSession): boolean {
  const starvation = (session.truncatedEvents ?? [])
    .filter((e) => e.name === 'Starvation Start' || e.name === 'Starvation End')
    .sort((a, b) => time(b.eventTime) - time(a.eventTime));
  return starvation[0]?.name === 'Starvation Start';
}

const time = (d: Date | string | undefined) => (d ? new Date(d).getTime() : 0);
const positive = (n: number | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null);
const mbps = (kbps: number) => (kbps / 1000).toFixed(1);
