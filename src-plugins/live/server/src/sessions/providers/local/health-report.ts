/** Turns what the ingest measured into the StreamHealth a mentor sees, with advice in OBS's terms. */
import type { StreamHealth } from '../types';
import type { IngestSnapshot } from './ingest-stats';

/** No video for this long while OBS is still connected: the picture has frozen for viewers. */
export const STARVING_AFTER_MS = 2000;
export const MAX_KEYFRAME_INTERVAL_SECONDS = 4;
export const MIN_BITRATE_KBPS = 300;
export const MAX_BITRATE_KBPS = 8000;
export const MIN_FPS = 15;

export type IngestState = {
  /** 'reconnecting': OBS dropped and the reconnect grace is running. */
  publishStatus: 'publishing' | 'reconnecting' | 'idle';
  startedAt: Date | null;
  /** When the current publisher connected (ms since epoch); STARVING counts from it until video arrives. */
  connectedAt: number | null;
  stats: IngestSnapshot | null;
  viewerCount: number;
  /** How long a dropped OBS has to reconnect before the class ends (the provider's reconnect grace). */
  reconnectGraceMs: number;
};

/**
 * What students see while OBS is gone: the site's player keeps the last frame, then overlays this
 * (site/src/lib/live-state.ts PLAYER_MESSAGES.interrupted). Quoted so the mentor knows what their
 * class is looking at.
 */
export const STUDENT_INTERRUPTED_MESSAGE = 'The stream was interrupted. Reconnecting…';

/** The mentor's explanation of a dropped encoder: what happened, what students see, what to do. */
export function disconnectedWarning(reconnectGraceMs: number): string {
  const grace = Math.max(1, Math.round(reconnectGraceMs / 1000));
  return (
    `OBS has disconnected: no video is reaching the server. Students see the last frame frozen, then "${STUDENT_INTERRUPTED_MESSAGE}". ` +
    `If OBS reconnects within ${grace} s the class carries on; otherwise it ends. Check that OBS still shows "Live" (Start Streaming) and that your network is up.`
  );
}

export function describeHealth(state: IngestState, now: number = Date.now()): StreamHealth {
  const startedAt = state.startedAt ? state.startedAt.toISOString() : null;
  const unmeasured = { bitrateKbps: null, fps: null, keyframeIntervalSeconds: null };

  if (state.publishStatus === 'idle' || !state.startedAt) {
    return { live: false, health: 'UNKNOWN', startedAt, viewerCount: state.viewerCount, ...unmeasured, warnings: [] };
  }
  if (state.publishStatus === 'reconnecting') {
    // No encoder, so no input to judge: not STARVING (that means video arriving too slowly, and
    // its advice — lower the bitrate — is wrong for a dropped connection).
    return {
      live: false,
      health: 'UNKNOWN',
      startedAt,
      viewerCount: state.viewerCount,
      ...unmeasured,
      warnings: [disconnectedWarning(state.reconnectGraceMs)],
    };
  }

  const stats = state.stats;
  const lastVideoAt = stats?.lastVideoAt ?? state.connectedAt ?? now;
  const silentMs = now - lastVideoAt;
  const starving = silentMs > STARVING_AFTER_MS;
  const warnings: string[] = [];
  if (starving) {
    warnings.push(`No video has arrived for ${Math.round(silentMs / 1000)} s: check that OBS is still streaming and that your upload is working.`);
  }
  const keyframe = stats?.keyframeIntervalSeconds ?? null;
  if (keyframe !== null && keyframe > MAX_KEYFRAME_INTERVAL_SECONDS) {
    warnings.push(`Keyframe interval is ${keyframe} s: set Keyframe Interval to 2 s in OBS (Output → Streaming).`);
  }
  const bitrate = stats?.bitrateKbps ?? null;
  if (bitrate !== null && !starving && bitrate < MIN_BITRATE_KBPS) {
    warnings.push(`Bitrate is ${bitrate} kbps, too low for a clear picture: set Video Bitrate to 2500–4500 kbps in OBS (Output → Streaming), or check your upload speed.`);
  }
  if (bitrate !== null && bitrate > MAX_BITRATE_KBPS) {
    warnings.push(`Bitrate is ${bitrate} kbps, more than most viewers can download: set Video Bitrate to 4500 kbps or less in OBS (Output → Streaming).`);
  }
  const fps = stats?.fps ?? null;
  if (fps !== null && !starving && fps < MIN_FPS) {
    warnings.push(`Frame rate is ${fps} fps: set 30 fps in OBS (Video → Common FPS Values); if it is already 30, the computer or the upload can't keep up.`);
  }

  return {
    live: true,
    health: starving ? 'STARVING' : 'HEALTHY',
    startedAt,
    viewerCount: state.viewerCount,
    bitrateKbps: bitrate,
    fps,
    keyframeIntervalSeconds: keyframe,
    warnings,
  };
}
