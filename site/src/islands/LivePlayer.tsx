/**
 * The live class's player (loaded `client:only="react"` by /live/[session] while the class is
 * LIVE). Starts muted (browsers allow muted autoplay), plays `flv` with mpegts.js or `ivs` with
 * the IVS web player (each imported only here), and keeps the student in the class: when the
 * stream drops, stalls or its URL has expired, it joins again through the site's
 * /api/live/:id/join (a fresh, short-lived URL) and reconnects with backoff; when the join
 * answers 409 the class is over. Leaving (page hidden for good, class ended) is reported with a
 * beacon to /api/live/:id/leave. The Strapi token never reaches this code.
 * While it plays it shares the viewer's delay behind live, and (IVS) the polls' timed-metadata
 * cues, through lib/player-sync.ts: the classroom shows a poll when this video reaches it.
 *
 * `data-player-state` on the root: connecting | live | blocked | interrupted | ended | unsupported.
 */
import { useEffect, useRef, useState } from 'react';
import { PLAYER_MESSAGES, nextStep, playbackFresh, reconnectDelayMs, type Playback, type PlayerState } from '../lib/live-state';
import { playerPlaying, playerStopped, pollCueReached } from '../lib/player-sync';
import { createEngine, type Engine } from './live-engines';
import { rejoin, sendLeave } from './live-client';

type Props = {
  sessionId: string;
  title: string;
  /** From the page's server-side join: this viewer's own short-lived grant. */
  playback: Playback;
  /** Where to go once the class has ended. */
  course?: { slug: string; title: string } | null;
};

/** Connecting for longer than this without a frame counts as a failed attempt. */
const CONNECT_TIMEOUT_MS = 20_000;

type Controls = { toggleMute(): void; goLive(): void; retryNow(): void; play(): void };

export default function LivePlayer({ sessionId, title, playback, course }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const controls = useRef<Controls | null>(null);
  const [state, setState] = useState<PlayerState>('connecting');
  const [kind, setKind] = useState<Playback['kind']>(playback.kind);
  const [muted, setMuted] = useState(true);
  const [latency, setLatency] = useState<number | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [endedMessage, setEndedMessage] = useState('');
  const [fullscreen, setFullscreen] = useState(false);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let engine: Engine | null = null;
    /** Bumped on every teardown: callbacks from an older engine or join are ignored. */
    let generation = 0;
    let disposed = false;
    let finished = false;
    let attempt = 0;
    /** The server-side join that rendered the page counts: leave once per join. */
    let joined = true;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let connectTimer: ReturnType<typeof setTimeout> | undefined;

    const markRoot = (value: string) => rootRef.current?.closest('[data-live-state]')?.setAttribute('data-live-state', value);
    const leave = () => {
      if (!joined) return;
      joined = false;
      sendLeave(sessionId);
    };
    const teardown = () => {
      generation += 1;
      clearTimeout(connectTimer);
      engine?.destroy();
      engine = null;
      playerStopped();
      setLatency(null);
    };

    const schedule = () => {
      clearTimeout(retryTimer);
      const delay = reconnectDelayMs(attempt++);
      setRetryAt(Date.now() + delay);
      retryTimer = setTimeout(() => void rejoinNow(), delay);
    };

    const drop = (gen: number, reason: string) => {
      if (gen !== generation || disposed || finished) return;
      console.warn('[live] stream interrupted:', reason);
      teardown();
      setState('interrupted');
      schedule();
    };

    const finish = (message: string) => {
      finished = true;
      teardown();
      clearTimeout(retryTimer);
      setRetryAt(null);
      setEndedMessage(message);
      setState('ended');
      markRoot('ended');
      leave();
    };

    const connect = async (fresh: Playback) => {
      teardown();
      const gen = generation;
      setKind(fresh.kind);
      let created: Engine | null;
      try {
        created = await createEngine(video, fresh, {
          onPlaying: () => {
            if (gen !== generation) return;
            clearTimeout(connectTimer);
            attempt = 0;
            setRetryAt(null);
            setState('live');
            markRoot('live');
            // Read at the moment a poll arrives, not sampled: the classroom needs the delay then.
            playerPlaying(fresh.kind, () => (gen === generation && engine ? engine.latency() : null));
          },
          onDrop: (reason) => drop(gen, reason),
          onBlocked: () => {
            if (gen !== generation) return;
            clearTimeout(connectTimer);
            setState('blocked');
          },
          onPollCue: (pollId) => pollCueReached(pollId),
        });
      } catch (error) {
        drop(gen, error instanceof Error ? error.message : String(error));
        return;
      }
      if (gen !== generation || disposed || finished) {
        created?.destroy();
        return;
      }
      if (!created) {
        setState('unsupported');
        return;
      }
      engine = created;
      engine.setMuted(video.muted);
      connectTimer = setTimeout(() => drop(gen, 'no video within 20 s'), CONNECT_TIMEOUT_MS);
      engine.play();
    };

    const rejoinNow = async () => {
      clearTimeout(retryTimer);
      setRetryAt(null);
      const gen = generation;
      const outcome = await rejoin(sessionId);
      if (disposed || finished || gen !== generation) return;
      if (outcome.ok) joined = true;
      const step = nextStep(outcome, 'player');
      switch (step.action) {
        case 'connect':
          return connect(step.playback);
        case 'wait':
          setState('interrupted');
          return schedule();
        case 'ended':
          return finish(step.message);
        case 'reload':
          window.location.reload();
      }
    };

    controls.current = {
      toggleMute() {
        const next = !video.muted;
        video.muted = next;
        engine?.setMuted(next);
        if (!next && video.volume === 0) video.volume = 1;
        setMuted(next);
      },
      goLive() {
        engine?.goLive?.();
      },
      retryNow() {
        if (finished) return;
        attempt = 0;
        teardown();
        void rejoinNow();
      },
      play() {
        engine?.play();
      },
    };

    const onVolume = () => setMuted(video.muted);
    const onPageHide = () => leave();
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted && !finished) controls.current?.retryNow();
    };
    const onOnline = () => {
      if (!finished && !engine) controls.current?.retryNow();
    };
    const ticker = setInterval(() => {
      setNow(Date.now());
      setLatency(engine ? engine.latency() : null);
    }, 1_000);
    video.addEventListener('volumechange', onVolume);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    window.addEventListener('online', onOnline);

    // The page's playback URL is used at once; one that has (nearly) expired is refreshed first.
    if (playbackFresh(playback)) void connect(playback);
    else void rejoinNow();

    return () => {
      disposed = true;
      teardown();
      clearTimeout(retryTimer);
      clearInterval(ticker);
      video.removeEventListener('volumechange', onVolume);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      window.removeEventListener('online', onOnline);
      leave();
    };
    // The initial playback only matters at mount; later URLs come from re-joins.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  function toggleFullscreen() {
    const root = rootRef.current;
    if (!root) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void root.requestFullscreen?.().catch(() => undefined);
  }

  const retryIn = retryAt === null ? null : Math.max(1, Math.ceil((retryAt - now) / 1000));
  const showControls = state !== 'ended' && state !== 'unsupported';
  /** The overlay counts down; the status region (announced) only changes with the state. */
  const overlayText =
    state === 'ended'
      ? endedMessage || PLAYER_MESSAGES.ended
      : state === 'interrupted' && retryIn !== null
        ? `The stream was interrupted. Reconnecting in ${retryIn} s…`
        : PLAYER_MESSAGES[state];

  return (
    <div ref={rootRef} className="[&:fullscreen]:bg-white [&:fullscreen]:p-4" data-player-state={state} data-player-kind={kind} data-testid="live-player">
      <div className="relative overflow-hidden rounded-xl bg-black">
        <video
          ref={videoRef}
          muted
          autoPlay
          playsInline
          width={1280}
          height={720}
          aria-label={`Live video: ${title}`}
          className="aspect-video h-auto w-full bg-black"
          data-testid="live-video"
        />
        {state === 'live' && (
          <span className="absolute top-3 left-3 rounded bg-red-700 px-2 py-0.5 text-xs font-bold tracking-wide text-white uppercase" aria-hidden="true">
            Live
          </span>
        )}
        {state !== 'live' && (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-black/70 p-6 text-center text-white" aria-hidden={state !== 'blocked' && state !== 'ended'}>
            {(state === 'connecting' || state === 'interrupted') && (
              <span className="size-8 rounded-full border-4 border-white/30 border-t-white motion-safe:animate-spin" aria-hidden="true" />
            )}
            <p className="max-w-md text-lg font-medium">{overlayText}</p>
            {state === 'ended' && (
              <a href={course ? `/courses/${course.slug}` : '/dashboard'} className="btn bg-white text-slate-900 hover:bg-slate-100" data-testid="live-ended-link">
                {course ? `Back to ${course.title}` : 'My learning'}
              </a>
            )}
            {state === 'blocked' && (
              <button type="button" className="btn bg-white text-slate-900 hover:bg-slate-100" onClick={() => controls.current?.play()} data-testid="live-play">
                Play
              </button>
            )}
          </div>
        )}
      </div>

      {showControls && (
        <div className="mt-3 flex flex-wrap items-center gap-3" role="group" aria-label="Player controls">
          <button type="button" className="btn-secondary min-h-10" onClick={() => controls.current?.toggleMute()} data-testid="live-mute" data-muted={muted}>
            {muted ? 'Unmute' : 'Mute'}
          </button>
          {kind === 'flv' && (
            <button
              type="button"
              className="btn-secondary min-h-10"
              onClick={() => controls.current?.goLive()}
              disabled={state !== 'live'}
              data-testid="live-edge"
            >
              Go to live
            </button>
          )}
          <button type="button" className="btn-secondary min-h-10" onClick={toggleFullscreen}>
            {fullscreen ? 'Exit full screen' : 'Full screen'}
          </button>
          {state === 'interrupted' && (
            <button type="button" className="btn-secondary min-h-10" onClick={() => controls.current?.retryNow()} data-testid="live-retry">
              Reconnect now
            </button>
          )}
          {latency !== null && state === 'live' && (
            <span className="text-sm text-slate-700" data-testid="live-latency" data-latency={latency.toFixed(2)}>
              Delay: {latency.toFixed(1)} s
            </span>
          )}
        </div>
      )}

      <p className="mt-2 min-h-6 text-sm text-slate-800" role="status" data-testid="live-status">
        {state === 'ended' ? endedMessage || PLAYER_MESSAGES.ended : PLAYER_MESSAGES[state]}
        {state === 'live' && muted && ' Sound is off: press Unmute to listen.'}
      </p>
    </div>
  );
}
