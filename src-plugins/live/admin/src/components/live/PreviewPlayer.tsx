import { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { errorMessage, joinSession, type Playback } from '../../api/live';

type Stop = () => void;

/**
 * Plays HTTP-FLV (the local provider) with mpegts.js. Loaded on demand so the admin bundle
 * doesn't carry the player for pages that never show a stream.
 */
async function playFlv(video: HTMLVideoElement, playback: Playback, onError: (message: string) => void, attempt: number): Promise<Stop> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback) {
    throw new Error("This browser can't play the live preview (no Media Source Extensions).");
  }
  // WebSocket-FLV first when offered: an endless HTTP-FLV response holds one of the browser's six
  // HTTP/1.1 connections to the admin's origin, which the panel's polling also needs. Retries
  // alternate with HTTP-FLV, so either transport failing alone doesn't stop the preview.
  const url = playback.wsUrl && attempt % 2 === 0 ? playback.wsUrl : playback.url;
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: true, url },
    { enableStashBuffer: false, liveBufferLatencyChasing: true, isLive: true, lazyLoad: false }
  );
  player.on(mpegts.Events.ERROR, (type: string, detail: string) => onError(`${type}: ${detail}`));
  player.attachMediaElement(video);
  player.load();
  Promise.resolve(player.play()).catch(() => undefined);
  return () => {
    try {
      player.pause();
      player.unload();
      player.detachMediaElement();
    } finally {
      player.destroy();
    }
  };
}

/** Plays an IVS playback URL (with its token) with the IVS web player, loaded on demand. */
async function playIvs(video: HTMLVideoElement, playback: Playback, onError: (message: string) => void, _attempt: number): Promise<Stop> {
  const [ivs, worker, wasm] = await Promise.all([
    import('amazon-ivs-player'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.js?url'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.wasm?url'),
  ]);
  if (!ivs.isPlayerSupported) throw new Error("This browser can't play the live preview.");
  const player = ivs.create({
    wasmWorker: new URL(worker.default, window.location.href).href,
    wasmBinary: new URL(wasm.default, window.location.href).href,
  });
  player.attachHTMLVideoElement(video);
  player.addEventListener(ivs.PlayerEventType.ERROR, (error: any) => onError(error?.message ?? 'Playback error'));
  player.setMuted(true);
  player.setAutoplay(true);
  player.load(playback.url);
  player.play();
  return () => player.delete();
}

/**
 * The mentor's own view of the class, muted: what students see, a few seconds behind OBS.
 * Joins the session for a short-lived playback URL; on a playback error it joins again (the
 * URL may have expired) a few times before giving up and offering a retry button.
 */
export const PreviewPlayer = ({ sessionId, receiving }: { sessionId: string; /** Video is arriving from OBS (the status poll). */ receiving: boolean }) => {
  const client = useFetchClient();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<'idle' | 'loading' | 'playing' | 'waiting' | 'error'>('loading');
  const [message, setMessage] = useState<string | null>(null);
  const retries = useRef(0);

  const retry = useCallback(() => {
    retries.current = 0;
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    let stop: Stop | null = null;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setMessage(null);
    // Nothing to play until OBS's video arrives: wait for the status poll instead of failing.
    if (!receiving) {
      setState('idle');
      return;
    }
    setState('loading');

    let failed = false;
    const fail = (text: string) => {
      if (cancelled || failed) return;
      failed = true;
      stop?.();
      stop = null;
      if (retries.current < 3) {
        retries.current += 1;
        setState('waiting');
        setMessage(text);
        timer = setTimeout(() => !cancelled && setAttempt((n) => n + 1), 2000 * retries.current);
      } else {
        setState('error');
        setMessage(text);
      }
    };

    (async () => {
      try {
        const join = await joinSession(client, sessionId);
        if (cancelled) return;
        if (!join.playback) {
          fail('The stream is not available yet: start streaming from OBS.');
          return;
        }
        const video = videoRef.current;
        if (!video) return;
        const play = join.playback.kind === 'ivs' ? playIvs : playFlv;
        const stopper = await play(video, join.playback, fail, attempt);
        if (cancelled || failed) stopper();
        else {
          stop = stopper;
          retries.current = 0;
          setState('playing');
        }
      } catch (error) {
        fail(errorMessage(error));
      }
    })();

    return () => {
      cancelled = true;
      clearTimeout(timer);
      stop?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId, attempt, receiving]);

  return (
    <Box>
      <Box position="relative" background="neutral1000" hasRadius overflow="hidden" style={{ aspectRatio: '16 / 9' }}>
        <video
          ref={videoRef}
          muted
          autoPlay
          playsInline
          controls
          aria-label="Live preview (muted)"
          style={{ width: '100%', height: '100%', display: 'block', background: '#000' }}
        />
        {state !== 'playing' && (
          <Flex
            position="absolute"
            top={0}
            left={0}
            right={0}
            bottom={0}
            direction="column"
            justifyContent="center"
            alignItems="center"
            gap={3}
            padding={4}
            style={{ background: 'rgba(0,0,0,0.55)' }}
          >
            {state === 'error' ? (
              <>
                <Typography textColor="neutral0" textAlign="center">
                  {message ?? 'The preview could not be played.'}
                </Typography>
                <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={retry}>
                  Try again
                </Button>
              </>
            ) : (
              <>
                <Loader small>Loading the preview</Loader>
                <Typography textColor="neutral0" textAlign="center">
                  {state === 'idle'
                    ? 'Waiting for your video: click Start Streaming in OBS.'
                    : state === 'waiting' && message
                      ? message
                      : 'Connecting to your stream…'}
                </Typography>
              </>
            )}
          </Flex>
        )}
      </Box>
      <Flex paddingTop={2} justifyContent="space-between">
        <Typography variant="pi" textColor="neutral600">
          Muted preview of what students see (a few seconds behind OBS).
        </Typography>
        {state === 'playing' && (
          <Button variant="ghost" size="S" startIcon={<ArrowClockwise />} onClick={retry}>
            Reload
          </Button>
        )}
      </Flex>
    </Box>
  );
};
