/**
 * The two ways a live class plays, behind one small interface for the LivePlayer island:
 *  - `flv`: the local ingest's HTTP-/WebSocket-FLV through mpegts.js (Media Source Extensions);
 *  - `ivs`: Amazon IVS through its web player (a WebAssembly worker).
 * Each library is imported only when a class actually plays, so no other page loads them.
 */
import type { Playback } from '../lib/live-state';
import { bufferLatency } from '../lib/live-state';
import { pollCueOf } from '../lib/poll-timing';

export type EngineHandlers = {
  /** Frames are on screen. */
  onPlaying(): void;
  /** The stream stopped, failed or stalled: tear down, join again, reconnect. */
  onDrop(reason: string): void;
  /** The browser refused to start playback (autoplay policy): the student has to press Play. */
  onBlocked(): void;
  /** Playback reached a poll's timed-metadata cue (IVS: `{"t":"poll","id":N}` put in by the server at launch). */
  onPollCue?(pollId: number): void;
};

export type Engine = {
  destroy(): void;
  setMuted(muted: boolean): void;
  play(): void;
  /** Seconds behind the live edge, or null while unknown. */
  latency(): number | null;
  /** Jumps to the newest media (flv only: IVS keeps itself at the live edge). */
  goLive: (() => void) | null;
};

/** A playing stream whose clock hasn't moved for this long is treated as dropped. */
const STALL_MS = 10_000;

/** The engine for `playback`, or null when this browser can't play it. */
export function createEngine(video: HTMLVideoElement, playback: Playback, handlers: EngineHandlers): Promise<Engine | null> {
  return playback.kind === 'ivs' ? createIvsEngine(video, playback, handlers) : createFlvEngine(video, playback, handlers);
}

/** Fires onDrop when playback should be advancing but isn't (a publisher gone quiet, a dead socket). */
function stallWatch(video: HTMLVideoElement, onStall: () => void) {
  let last = video.currentTime;
  let since = Date.now();
  let started = false;
  const timer = setInterval(() => {
    if (video.currentTime !== last || video.paused) {
      if (video.currentTime !== last) started = true;
      last = video.currentTime;
      since = Date.now();
      return;
    }
    if (started && Date.now() - since > STALL_MS) {
      clearInterval(timer);
      onStall();
    }
  }, 1_000);
  return () => clearInterval(timer);
}

async function createFlvEngine(video: HTMLVideoElement, playback: Playback, handlers: EngineHandlers): Promise<Engine | null> {
  const module = await import('mpegts.js');
  const mpegts = ((module as { default?: unknown }).default ?? module) as typeof import('mpegts.js').default;
  if (!mpegts.getFeatureList().mseLivePlayback) return null;

  const player = mpegts.createPlayer(
    { type: 'flv', isLive: true, url: playback.wsUrl ?? playback.url },
    { enableStashBuffer: false, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 1.5, liveBufferLatencyMinRemain: 0.3 }
  );
  let destroyed = false;
  const drop = (reason: string) => {
    if (!destroyed) handlers.onDrop(reason);
  };
  const onError = (type: string, detail: string) => drop(`${type}: ${detail}`);
  const onComplete = () => drop('the stream ended');
  const onPlaying = () => handlers.onPlaying();
  player.on(mpegts.Events.ERROR, onError);
  player.on(mpegts.Events.LOADING_COMPLETE, onComplete);
  video.addEventListener('playing', onPlaying);
  const stopWatching = stallWatch(video, () => drop('no new video for 10 s'));
  player.attachMediaElement(video);
  player.load();

  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopWatching();
      video.removeEventListener('playing', onPlaying);
      try {
        player.off(mpegts.Events.ERROR, onError);
        player.off(mpegts.Events.LOADING_COMPLETE, onComplete);
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      } catch {
        /* already torn down */
      }
    },
    setMuted(muted) {
      video.muted = muted;
    },
    play() {
      Promise.resolve(player.play()).catch((error: unknown) => {
        if (!destroyed && error instanceof DOMException && error.name === 'NotAllowedError') handlers.onBlocked();
      });
    },
    latency: () => bufferLatency(video.buffered, video.currentTime),
    goLive() {
      const { buffered } = video;
      if (buffered.length === 0) return;
      video.currentTime = Math.max(0, buffered.end(buffered.length - 1) - 0.3);
      if (video.paused) void video.play().catch(() => undefined);
    },
  };
}

async function createIvsEngine(video: HTMLVideoElement, playback: Playback, handlers: EngineHandlers): Promise<Engine | null> {
  const [ivs, worker, binary] = await Promise.all([
    import('amazon-ivs-player'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.js?url'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.wasm?url'),
  ]);
  if (!ivs.isPlayerSupported) return null;

  // The worker and the binary must be absolute URLs (see provider-facts.md "IVS web player").
  const player = ivs.create({
    wasmWorker: new URL(worker.default, window.location.href).href,
    wasmBinary: new URL(binary.default, window.location.href).href,
  });
  let destroyed = false;
  const drop = (reason: string) => {
    if (!destroyed) handlers.onDrop(reason);
  };
  const onPlaying = () => handlers.onPlaying();
  const onEnded = () => drop('the stream ended');
  const onError = (error: { message: string; code: number }) => drop(`IVS ${error.code}: ${error.message}`);
  const onBlocked = () => handlers.onBlocked();
  const onCue = (cue: { text: string }) => {
    const pollId = pollCueOf(cue.text);
    if (pollId !== null && !destroyed) handlers.onPollCue?.(pollId);
  };
  player.attachHTMLVideoElement(video);
  player.setAutoplay(false);
  player.setMuted(video.muted);
  player.addEventListener(ivs.PlayerState.PLAYING, onPlaying);
  player.addEventListener(ivs.PlayerState.ENDED, onEnded);
  player.addEventListener(ivs.PlayerEventType.ERROR, onError);
  player.addEventListener(ivs.PlayerEventType.PLAYBACK_BLOCKED, onBlocked);
  player.addEventListener(ivs.PlayerEventType.TEXT_METADATA_CUE, onCue);
  player.load(playback.url);

  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        player.removeEventListener(ivs.PlayerState.PLAYING, onPlaying);
        player.removeEventListener(ivs.PlayerState.ENDED, onEnded);
        player.removeEventListener(ivs.PlayerEventType.ERROR, onError);
        player.removeEventListener(ivs.PlayerEventType.PLAYBACK_BLOCKED, onBlocked);
        player.removeEventListener(ivs.PlayerEventType.TEXT_METADATA_CUE, onCue);
        player.delete();
      } catch {
        /* already torn down */
      }
    },
    setMuted(muted) {
      player.setMuted(muted);
    },
    play() {
      player.play();
    },
    latency() {
      const seconds = player.getLiveLatency();
      return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
    },
    goLive: null,
  };
}
