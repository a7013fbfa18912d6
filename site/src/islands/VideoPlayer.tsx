/**
 * A lesson's video. Resumes from the saved position and, for an enrolled student, saves where
 * they are and marks the lesson complete when it ends (useLessonProgress, shared with the
 * recording player). Without JavaScript the server-rendered <video> still plays.
 *
 * The video's URL is a signed link that lapses (SIGNED_URL_TTL_SECONDS, 15 min by default). A
 * playing video keeps its open connection, but a seek, or resuming after a long pause, makes a new
 * request that the expired link gets refused (Chromium reports MEDIA_ERR_NETWORK): the player then
 * reads a fresh link from this page (rendered again for this visitor) and carries on where it was.
 */
import { useEffect, useRef, useState } from 'react';
import { useLessonProgress } from './lesson-progress';

type Props = {
  src: string;
  type?: string | null;
  lessonId: string;
  title: string;
  /** Seconds to resume from (0: the start). */
  startAt: number;
  /** Save progress (enrolled students only). */
  track: boolean;
  width?: number | null;
  height?: number | null;
};

/** A second failure this soon after fetching a fresh link is not an expired link: stop and say so. */
const REFRESH_AGAIN_AFTER_MS = 15_000;

/** The lesson's video link as this page renders it now (a fresh signature), or null. */
async function freshVideoLink(): Promise<string | null> {
  const response = await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } });
  if (!response.ok) return null;
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  return page.querySelector('[data-testid="lesson-video"] source')?.getAttribute('src') ?? null;
}

const clock = (seconds: number) => {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
};

export default function VideoPlayer({ src, type, lessonId, title, startAt, track, width, height }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<string>('');
  const [resumedAt, setResumedAt] = useState<number | null>(null);
  // `load` counts reloads: a fresh link can be the same string as the last one (links are shared per minute).
  const [source, setSource] = useState({ src, load: 0 });
  const lastRefreshAt = useRef(0);
  const refreshing = useRef(false);
  /** Where to carry on once the fresh link's metadata is in (no progress is saved until then). */
  const restoring = useRef<{ at: number; play: boolean } | null>(null);

  useLessonProgress(video, {
    lessonId,
    startAt,
    track,
    holdSaving: () => restoring.current !== null,
    onResumed: setResumedAt,
    onSaved: (change) => {
      if (change.completed) setStatus('Lesson complete. Nice work!');
    },
    onSaveFailed: () => setStatus('We couldn’t save your place just now; we’ll try again.'),
  });

  // The link lapsed (or the network failed): fetch a fresh link once, and carry on from the same moment.
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const onFailure = () => {
      // A decoding error is the file's, not the link's; a refresh in flight answers this failure too.
      if (element.error?.code === MediaError.MEDIA_ERR_DECODE || refreshing.current) return;
      if (Date.now() - lastRefreshAt.current < REFRESH_AGAIN_AFTER_MS) {
        restoring.current = null;
        setStatus('The video stopped loading. Check your connection, then reload the page.');
        return;
      }
      refreshing.current = true;
      lastRefreshAt.current = Date.now();
      restoring.current = { at: element.currentTime, play: !element.paused };
      freshVideoLink()
        .then((fresh) => {
          if (!fresh) throw new Error('no video link on the page');
          setSource((current) => ({ src: fresh, load: current.load + 1 }));
        })
        .catch(() => {
          restoring.current = null;
          setStatus('The video stopped loading. Check your connection, then reload the page.');
        })
        .finally(() => {
          refreshing.current = false;
        });
    };
    // <source> errors don't bubble: listen in the capture phase to hear them with the <video>'s own.
    element.addEventListener('error', onFailure, true);
    return () => element.removeEventListener('error', onFailure, true);
  }, []);

  useEffect(() => {
    const element = video.current;
    if (!element || source.load === 0) return;
    const carryOn = () => {
      const target = restoring.current;
      restoring.current = null;
      if (!target) return;
      // At 0 the start-at resume (still waiting for this first metadata) decides.
      if (target.at > 0) element.currentTime = target.at;
      if (target.play) element.play().catch(() => setStatus('Press play to carry on.'));
    };
    element.addEventListener('loadedmetadata', carryOn, { once: true });
    element.load();
    return () => element.removeEventListener('loadedmetadata', carryOn);
  }, [source]);

  function startOver() {
    const element = video.current;
    if (!element) return;
    element.currentTime = 0;
    setResumedAt(null);
    element.focus();
  }

  return (
    <div>
      <video
        ref={video}
        controls
        preload="metadata"
        playsInline
        width={width ?? 1280}
        height={height ?? 720}
        aria-label={`Video: ${title}`}
        className="aspect-video h-auto w-full rounded-xl bg-black"
        data-testid="lesson-video"
        data-start-at={startAt}
      >
        <source src={source.src} type={type ?? undefined} />
        <p>
          Your browser can’t play this video. <a href={source.src}>Download it</a> instead.
        </p>
      </video>
      <div className="mt-2 flex min-h-6 flex-wrap items-center gap-3 text-sm text-slate-700" aria-live="polite">
        {resumedAt !== null && (
          <span data-testid="resumed">
            Resumed at {clock(resumedAt)}.{' '}
            <button type="button" onClick={startOver} className="link cursor-pointer">
              Start over
            </button>
          </span>
        )}
        {status && <span>{status}</span>}
      </div>
    </div>
  );
}
