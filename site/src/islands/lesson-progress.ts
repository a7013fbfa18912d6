import { useEffect, useRef, type RefObject } from 'react';
import { listen } from './listen';

/** A lesson's place is saved every this many seconds of playback (and on pause, seek, leaving). */
const SAVE_EVERY_S = 10;

export type LessonProgressOptions = {
  /** No lesson: nothing to resume or save (a recording watched on its own page). */
  lessonId: string | undefined;
  /** Seconds to resume from (0: the start). */
  startAt: number;
  /** Save progress (enrolled students only); resuming happens either way. */
  track: boolean;
  /** While true nothing is saved (the player is reloading a fresh link and will seek back). */
  holdSaving?: () => boolean;
  onResumed?: (atSeconds: number) => void;
  onSaved?: (change: { completed?: boolean }) => void;
  onSaveFailed?: () => void;
};

/**
 * One rule for every lesson player (an uploaded video, a class's recording): resume from
 * `startAt` unless near the end, save the place through the site's /api/progress endpoint (the
 * session cookie; no token in the page) every 10 s of playback, on pause, seek and when the tab is
 * hidden or left, and mark the lesson complete when the video ends.
 */
export function useLessonProgress(video: RefObject<HTMLVideoElement | null>, options: LessonProgressOptions) {
  const latest = useRef(options);
  latest.current = options;
  const { lessonId, startAt, track } = options;

  useEffect(() => {
    const element = video.current;
    if (!element || !lessonId) return;
    let lastSaved = startAt;
    const save = (change: { positionSeconds?: number; completed?: boolean }) => {
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
          latest.current.onSaved?.(change);
        })
        .catch(() => latest.current.onSaveFailed?.());
    };
    const savePosition = () => {
      if (element.ended || latest.current.holdSaving?.()) return;
      const position = Math.floor(element.currentTime);
      if (Math.abs(position - lastSaved) < 1) return;
      lastSaved = position;
      save({ positionSeconds: position });
    };
    const resume = () => {
      const end = Number.isFinite(element.duration) ? element.duration : Number.POSITIVE_INFINITY;
      // Near the end, start over instead.
      if (startAt > 0 && startAt < end - 3 && element.currentTime < 1) {
        element.currentTime = startAt;
        latest.current.onResumed?.(startAt);
      }
    };
    const onTime = () => {
      if (Math.abs(element.currentTime - lastSaved) >= SAVE_EVERY_S) savePosition();
    };
    const onEnded = () => {
      lastSaved = 0;
      save({ positionSeconds: 0, completed: true });
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') savePosition();
    };
    if (element.readyState >= 1) resume();
    else element.addEventListener('loadedmetadata', resume, { once: true });
    const unlistenVideo = listen(element, { timeupdate: onTime, pause: savePosition, seeked: savePosition, ended: onEnded });
    const unlistenDocument = listen(document, { visibilitychange: onHidden });
    const unlistenWindow = listen(window, { pagehide: savePosition });
    return () => {
      element.removeEventListener('loadedmetadata', resume);
      unlistenVideo();
      unlistenDocument();
      unlistenWindow();
    };
  }, [video, lessonId, startAt, track]);
}
