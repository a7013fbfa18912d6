import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import type { RecordingPlayback } from '../../api/live';

export type RecordingPreviewHandle = {
  /** Moves the preview to `ms` into the recording (and brings the player into view). */
  seek: (ms: number) => void;
};

type RecordingPreviewProps = {
  playback: RecordingPlayback;
  /** The video's position, as it plays or is moved. */
  onTimeUpdate?: (ms: number) => void;
  /** The signed URL stopped working (it lapses after a while): the card asks the API for a fresh one. */
  onNeedsFreshUrl: () => void;
};

type Stop = () => void;

const HLS_MIME = 'application/vnd.apple.mpegurl';

/**
 * HLS (recordings from Amazon IVS): hls.js on Media Source Extensions — the copy Strapi's media
 * library already bundles (@strapi/upload → @mux/playback-core), so this costs the admin nothing;
 * a browser that plays HLS itself (Safari) gets the playlist directly. Null when neither can.
 */
async function attachHls(video: HTMLVideoElement, url: string, onFatal: (message: string) => void): Promise<Stop | null> {
  const { default: Hls } = await import('hls.js');
  if (Hls.isSupported()) {
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) onFatal(data.details ? `The video stopped loading (${data.details}).` : 'The video stopped loading.');
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    return () => hls.destroy();
  }
  if (video.canPlayType(HLS_MIME)) {
    video.src = url;
    return () => {
      video.removeAttribute('src');
      video.load();
    };
  }
  return null;
}

/**
 * The recording, as students will see it: an MP4 the browser plays with seeking (the built-in
 * server's recordings) or an HLS playlist (IVS). The playback URL is signed for a short time;
 * when it has lapsed and the video errors, the card fetches a new one and playback resumes where
 * it was.
 */
export const RecordingPreview = forwardRef<RecordingPreviewHandle, RecordingPreviewProps>(({ playback, onTimeUpdate, onNeedsFreshUrl }, ref) => {
  const videoRef = useRef<HTMLVideoElement>(null);
  /** Where the previous URL was playing (seconds): the next one starts there. */
  const positionRef = useRef(0);
  /** The current URL's metadata arrived: until then the element's clock is the old URL's, reset to 0. */
  const loadedRef = useRef(false);
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'unsupported'>('loading');
  const [message, setMessage] = useState<string | null>(null);
  const freshUrlRef = useRef(onNeedsFreshUrl);
  freshUrlRef.current = onNeedsFreshUrl;

  useImperativeHandle(
    ref,
    () => ({
      seek(ms: number) {
        const video = videoRef.current;
        if (!video) return;
        video.currentTime = ms / 1000;
        positionRef.current = ms / 1000;
        video.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      },
    }),
    []
  );

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let cancelled = false;
    let failed = false;
    let stop: Stop | null = null;
    loadedRef.current = false;
    setState('loading');
    setMessage(null);

    const fail = (text: string) => {
      if (cancelled || failed) return;
      failed = true;
      // A lapsed signature: get a new URL rather than show an error the mentor can't act on.
      if (Date.now() >= Date.parse(playback.expiresAt) - 5_000) {
        freshUrlRef.current();
        return;
      }
      setState('error');
      setMessage(text);
    };
    const onMetadata = () => {
      if (cancelled) return;
      if (positionRef.current > 0 && positionRef.current < video.duration) video.currentTime = positionRef.current;
      loadedRef.current = true;
      setState('ready');
    };
    const onVideoError = () => {
      const code = video.error?.code;
      fail(code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ? "The video couldn't be loaded (the link may have expired)." : 'The video stopped loading.');
    };
    video.addEventListener('loadedmetadata', onMetadata);
    video.addEventListener('error', onVideoError);

    if (playback.kind === 'mp4') {
      video.src = playback.url;
      stop = () => {
        video.removeAttribute('src');
        video.load();
      };
    } else {
      attachHls(video, playback.url, fail)
        .then((stopper) => {
          if (cancelled) stopper?.();
          else if (stopper) stop = stopper;
          else setState('unsupported');
        })
        .catch(() => !cancelled && setState('unsupported'));
    }

    return () => {
      cancelled = true;
      video.removeEventListener('loadedmetadata', onMetadata);
      video.removeEventListener('error', onVideoError);
      stop?.();
    };
  }, [playback.kind, playback.url, playback.expiresAt]);

  return (
    <Box>
      <Box position="relative" background="neutral1000" hasRadius overflow="hidden" style={{ aspectRatio: '16 / 9' }}>
        {state === 'unsupported' ? (
          playback.posterUrl && <img src={playback.posterUrl} alt="" style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }} />
        ) : (
          <video
            ref={videoRef}
            controls
            playsInline
            preload="metadata"
            poster={playback.posterUrl ?? undefined}
            aria-label="Recording preview"
            onTimeUpdate={(event) => {
              if (!loadedRef.current) return;
              positionRef.current = event.currentTarget.currentTime;
              onTimeUpdate?.(event.currentTarget.currentTime * 1000);
            }}
            style={{ width: '100%', height: '100%', display: 'block', background: '#000' }}
          />
        )}
        {state !== 'ready' && (
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
            style={{ background: 'rgba(0,0,0,0.55)', pointerEvents: state === 'loading' ? 'none' : undefined }}
          >
            {state === 'loading' && <Loader small>Loading the recording</Loader>}
            {state === 'error' && (
              <>
                <Typography textColor="neutral0" textAlign="center">
                  {message}
                </Typography>
                <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => onNeedsFreshUrl()}>
                  Reload the video
                </Button>
              </>
            )}
            {state === 'unsupported' && (
              <Typography textColor="neutral0" textAlign="center">
                This browser can't play the recording's HLS video here. Students watch it on the site, where it plays with the class's chat.
              </Typography>
            )}
          </Flex>
        )}
      </Box>
    </Box>
  );
});
RecordingPreview.displayName = 'RecordingPreview';
