/**
 * A lesson's video. Resumes from the saved position and, for an enrolled student, saves where
 * they are (every 10 s of playback, on pause, when the tab is hidden) and marks the lesson
 * complete when the video ends — through the site's own /api/progress endpoint (the session
 * cookie; no token in the page). Without JavaScript the server-rendered <video> still plays.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

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

const SAVE_EVERY_S = 10;

const clock = (seconds: number) => {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
};

export default function VideoPlayer({ src, type, lessonId, title, startAt, track, width, height }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const lastSaved = useRef(startAt);
  const [status, setStatus] = useState<string>('');
  const [resumedAt, setResumedAt] = useState<number | null>(null);

  const save = useCallback(
    (change: { positionSeconds?: number; completed?: boolean }) => {
      if (!track) return;
      fetch(`/api/progress/${encodeURIComponent(lessonId)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(change),
        keepalive: true,
        credentials: 'same-origin',
      })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          if (change.completed) setStatus('Lesson complete. Nice work!');
        })
        .catch(() => setStatus('We couldn’t save your place just now; we’ll try again.'));
    },
    [lessonId, track]
  );

  const savePosition = useCallback(() => {
    const element = video.current;
    if (!element || element.ended) return;
    const position = Math.floor(element.currentTime);
    if (Math.abs(position - lastSaved.current) < 1) return;
    lastSaved.current = position;
    save({ positionSeconds: position });
  }, [save]);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const resume = () => {
      const end = Number.isFinite(element.duration) ? element.duration : Infinity;
      // Near the end, start over instead.
      if (startAt > 0 && startAt < end - 3 && element.currentTime < 1) {
        element.currentTime = startAt;
        setResumedAt(startAt);
      }
    };
    if (element.readyState >= 1) resume();
    else element.addEventListener('loadedmetadata', resume, { once: true });

    const onTime = () => {
      if (Math.abs(element.currentTime - lastSaved.current) >= SAVE_EVERY_S) savePosition();
    };
    const onEnded = () => {
      lastSaved.current = 0;
      save({ positionSeconds: 0, completed: true });
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') savePosition();
    };
    element.addEventListener('timeupdate', onTime);
    element.addEventListener('pause', savePosition);
    element.addEventListener('seeked', savePosition);
    element.addEventListener('ended', onEnded);
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', savePosition);
    return () => {
      element.removeEventListener('loadedmetadata', resume);
      element.removeEventListener('timeupdate', onTime);
      element.removeEventListener('pause', savePosition);
      element.removeEventListener('seeked', savePosition);
      element.removeEventListener('ended', onEnded);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', savePosition);
    };
  }, [save, savePosition, startAt]);

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
        <source src={src} type={type ?? undefined} />
        <p>
          Your browser can’t play this video. <a href={src}>Download it</a> instead.
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
