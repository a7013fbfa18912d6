/**
 * A recorded live class, replayed with the class around it (client:load on /recordings/[id] and
 * on lessons made from a recording): the video, a timeline with a marker for every question and
 * poll and the "I'm lost" heat band (ReplayTimelineBar), and the Chat, Q&A and Polls panels as
 * they were at the video's moment (ReplayPanels, from lib/replay.ts) — following `timeupdate`,
 * jumping on `seeking`/`seeked`.
 *
 * - Playback: `mp4` (local recordings) is a plain <video src> — rendered by the server, so it
 *   plays without JavaScript too; `hls` (IVS) loads hls.js only then (Safari plays HLS itself).
 * - Signed URLs lapse (SIGNED_URL_TTL_SECONDS): when the video fails, the island asks the site's
 *   `/api/recordings/[id]` for a fresh one and resumes where the student was (playing if it was).
 *   A second failure within moments is a real one: said, with Try again.
 * - Not ready yet: "being processed (NN %)", asked again every few seconds (not while the tab is
 *   hidden), and the page reloads when it is ready; a failed recording says why.
 * - On a lesson, the student's place is saved and restored like a lesson video's, and the lesson
 *   is marked complete at the end (enrolled students only).
 *
 * Test hooks: `replay` (`data-replay-state="recording|processing|failed|ready"`,
 * `data-playback-kind`, `data-renewals`), `replay-video`, `replay-notice`, `replay-problem`,
 * `replay-retry`, `replay-recorded`, `replay-chapter-now`; and ReplayTimelineBar's and
 * ReplayPanels' own.
 */
// First: the schemas below are built as their module loads (see zod-jitless.ts).
import '../lib/zod-jitless';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLessonProgress } from './lesson-progress';
import { listen } from './listen';
import { formatDate } from '../lib/format';
import {
  PROCESSING_POLL_MS,
  clockText,
  cursorAt,
  durationWords,
  indexTimeline,
  momentAt,
  recordingNotice,
  recordingSchema,
  sameCursor,
  shouldRenew,
  type Recording,
  type RecordingPlayback,
  type ReplayChapter,
  type ReplayCursor,
  type ReplayMoment,
  type ReplayTimeline,
} from '../lib/replay';
import ReplayPanels, { type ReplayTabId } from './ReplayPanels';
import ReplayTimelineBar from './ReplayTimelineBar';

/** A lesson made from the recording: where to resume, and whether to save progress (enrolled students). */
type LessonProgress = { id: string; startAt: number; track: boolean };

type Props = {
  recording: Recording;
  /** Null when the recording isn't ready, or its timeline couldn't be loaded (the video still plays). */
  timeline: ReplayTimeline | null;
  lesson?: LessonProgress;
  /** In a narrower column (a lesson beside its syllabus): the panels go beside the video only on extra-large screens. */
  compact?: boolean;
};

const endpointOf = (id: string) => `/api/recordings/${encodeURIComponent(id)}`;

/** The site's endpoint: a fresh RecordingDto, or why not (its status and message). */
async function fetchRecording(id: string): Promise<{ ok: true; recording: Recording } | { ok: false; status: number; message: string }> {
  let response: Response;
  try {
    response = await fetch(endpointOf(id), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    return { ok: false, status: 0, message: 'You seem to be offline.' };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : 'The recording could not be loaded.';
    return { ok: false, status: response.status, message: error };
  }
  const parsed = recordingSchema.safeParse(body);
  return parsed.success ? { ok: true, recording: parsed.data } : { ok: false, status: 502, message: 'The recording could not be loaded.' };
}

export default function ReplayPlayer({ recording, timeline, lesson, compact = false }: Props) {
  const [current, setCurrent] = useState(recording);
  const notice = recordingNotice(current);
  return (
    <div>
      {/* A lesson made from the recording says so in its own words. */}
      {!lesson && (
        <p className="mb-3 text-sm text-slate-700" data-testid="replay-recorded">
          {[current.recordedAt ? `Recorded live on ${formatDate(current.recordedAt)}` : 'Recorded live', current.durationMs ? durationWords(current.durationMs) : '']
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      <div>
        {notice || !current.playback ? (
          <RecordingNotReady recording={current} notice={notice ?? ''} onChange={setCurrent} />
        ) : (
          <Replay recording={current} playback={current.playback} timeline={timeline} lesson={lesson} compact={compact} />
        )}
      </div>
    </div>
  );
}

/** Recording, processing or failed: what's happening, asked again until it's ready (then the page reloads with the video). */
function RecordingNotReady({ recording, notice, onChange }: { recording: Recording; notice: string; onChange: (recording: Recording) => void }) {
  const waiting = recording.status === 'recording' || recording.status === 'processing';
  const [problem, setProblem] = useState('');

  useEffect(() => {
    if (!waiting) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const check = async () => {
      if (document.visibilityState === 'hidden') return schedule();
      const answer = await fetchRecording(recording.id);
      if (stopped) return;
      if (!answer.ok) {
        setProblem(answer.status === 0 || answer.status >= 500 ? 'We couldn’t check just now; trying again.' : answer.message);
        // Signed out, refused, gone: only the server can say what to show now.
        if (answer.status === 401 || answer.status === 403 || answer.status === 404) window.location.reload();
        return schedule();
      }
      setProblem('');
      if (answer.recording.status === 'ready') return window.location.reload();
      onChange(answer.recording);
      schedule();
    };
    const schedule = () => {
      if (!stopped) timer = setTimeout(() => void check(), PROCESSING_POLL_MS);
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [waiting, recording.id, onChange]);

  const percent = recording.status === 'processing' && recording.progress !== null ? Math.min(99, Math.max(0, Math.floor(recording.progress * 100))) : null;
  return (
    <section aria-label="Recording" className="card p-6" data-testid="replay" data-replay-state={recording.status}>
      <p role="status" className={recording.status === 'failed' ? 'font-semibold text-red-800' : 'text-slate-900'} data-testid="replay-notice">
        {notice}
      </p>
      {percent !== null && (
        <div role="progressbar" aria-label="Processing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="mt-3 h-2.5 w-full overflow-hidden rounded-full bg-slate-200">
          <svg className="block h-full w-full" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect width={percent} height="1" className="fill-brand-600" />
          </svg>
        </div>
      )}
      <p className="mt-2 min-h-5 text-sm text-slate-700" aria-live="polite">
        {problem}
      </p>
      {recording.status === 'ready' && (
        <button type="button" className="btn-primary mt-2" onClick={() => window.location.reload()}>
          Try again
        </button>
      )}
    </section>
  );
}

type HlsInstance = { destroy(): void; recoverMediaError(): void };

/** Tailwind sees whole class names only: the two layouts spelled out. */
const LAYOUT = {
  page: { grid: 'grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start', video: 'min-w-0 max-lg:sticky max-lg:top-0 max-lg:z-10 max-lg:bg-white max-lg:pb-2' },
  compact: { grid: 'grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem] xl:items-start', video: 'min-w-0 max-xl:sticky max-xl:top-0 max-xl:z-10 max-xl:bg-white max-xl:pb-2' },
};

type ReplayProps = { recording: Recording; playback: RecordingPlayback; timeline: ReplayTimeline | null; lesson?: LessonProgress; compact: boolean };

function Replay({ recording, playback: initialPlayback, timeline, lesson, compact }: ReplayProps) {
  const layout = compact ? LAYOUT.compact : LAYOUT.page;
  const video = useRef<HTMLVideoElement>(null);
  const [playback, setPlayback] = useState(initialPlayback);
  const [problem, setProblem] = useState<string | null>(null);
  const [renewals, setRenewals] = useState(0);
  const lastRenewAt = useRef<number | null>(null);
  const resumeAfterLoad = useRef<{ atSeconds: number; play: boolean } | null>(null);

  // ── The class's timeline, indexed once; the panels move only when the cursor does ──
  const index = useMemo(() => (timeline ? indexTimeline(timeline) : null), [timeline]);
  const startMs = (lesson?.startAt ?? 0) * 1000;
  const [timeMs, setTimeMs] = useState(startMs);
  // The panels' moment, rebuilt only when the cursor moves (and then only the parts that moved).
  const [replay, setReplay] = useState<{ cursor: ReplayCursor; moment: ReplayMoment } | null>(() => {
    if (!index) return null;
    const cursor = cursorAt(index, startMs);
    return { cursor, moment: momentAt(index, cursor) };
  });
  const moment = replay?.moment ?? null;
  const [seekCount, setSeekCount] = useState(0);
  const [tab, setTab] = useState<ReplayTabId>('chat');
  const [mediaDurationMs, setMediaDurationMs] = useState(0);
  const durationMs = timeline?.durationMs || recording.durationMs || mediaDurationMs;

  const follow = useCallback(
    (element: HTMLVideoElement) => {
      // At the end, everything the class sent after the last frame shows too.
      const t = element.ended ? Number.POSITIVE_INFINITY : element.currentTime * 1000;
      setTimeMs(Number.isFinite(t) ? t : element.duration * 1000);
      if (!index) return;
      const cursor = cursorAt(index, t);
      setReplay((previous) => (previous && sameCursor(previous.cursor, cursor) ? previous : { cursor, moment: momentAt(index, cursor, undefined, previous ?? undefined) }));
    },
    [index]
  );

  // ── A fresh signed URL when the video fails (an expired link), resuming where the student was ──
  const renew = useCallback(async () => {
    const element = video.current;
    lastRenewAt.current = Date.now();
    resumeAfterLoad.current = { atSeconds: element?.currentTime ?? 0, play: element ? !element.paused && !element.ended : false };
    const answer = await fetchRecording(recording.id);
    if (!answer.ok || !answer.recording.playback) {
      resumeAfterLoad.current = null;
      setProblem(
        answer.ok
          ? (recordingNotice(answer.recording) ?? 'This recording can’t be played right now.')
          : answer.status === 401
            ? 'Your session has ended. Sign in again to keep watching.'
            : answer.message
      );
      return;
    }
    setProblem(null);
    setRenewals((count) => count + 1);
    setPlayback(answer.recording.playback);
  }, [recording.id]);

  const onMediaError = useCallback(() => {
    if (shouldRenew(lastRenewAt.current, Date.now())) void renew();
    else setProblem('The video couldn’t be loaded. Check your connection and try again.');
  }, [renew]);

  // ── The video's events: the panels follow its clock; errors renew the URL ──
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    // While a renewed URL loads, the element's clock reads 0: the panels stay where the student was.
    const onTime = () => {
      if (!resumeAfterLoad.current) follow(element);
    };
    const onSeek = () => {
      if (resumeAfterLoad.current) return;
      setSeekCount((count) => count + 1);
      follow(element);
    };
    const onMetadata = () => {
      if (Number.isFinite(element.duration)) setMediaDurationMs(element.duration * 1000);
      const resume = resumeAfterLoad.current;
      resumeAfterLoad.current = null;
      if (resume) {
        element.currentTime = resume.atSeconds;
        if (resume.play) element.play().catch(() => undefined);
      }
      follow(element);
    };
    const onError = () => {
      // hls.js (a blob: source) reports its own errors, below; the element's are for a plain src.
      if (playback.kind === 'mp4' || (element.src && !element.src.startsWith('blob:'))) onMediaError();
    };
    const unlisten = listen(element, { timeupdate: onTime, seeking: onSeek, seeked: onTime, ended: onTime, loadedmetadata: onMetadata, error: onError });
    // The server-rendered video may have loaded (or failed) before the island ran.
    if (element.readyState >= 1) onMetadata();
    if (element.error) onError();
    return unlisten;
  }, [follow, onMediaError, playback.kind]);

  // ── HLS (IVS recordings): hls.js, loaded only for them; Safari plays HLS natively ──
  useEffect(() => {
    const element = video.current;
    if (!element || playback.kind !== 'hls') return;
    let cancelled = false;
    let hls: HlsInstance | null = null;
    void import('hls.js').then(({ default: Hls }) => {
      if (cancelled) return;
      if (Hls.isSupported()) {
        const instance = new Hls({ enableWorker: true });
        hls = instance;
        let mediaRecoveries = 0;
        instance.on(Hls.Events.ERROR, (_event, data) => {
          if (!data.fatal) return;
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries++ < 1) instance.recoverMediaError();
          else onMediaError();
        });
        instance.loadSource(playback.url);
        instance.attachMedia(element);
      } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
        element.src = playback.url;
      } else {
        setProblem('This browser can’t play this recording. Try a recent Chrome, Edge, Firefox or Safari.');
      }
    }, () => !cancelled && setProblem('The player couldn’t load. Check your connection and reload the page.'));
    return () => {
      cancelled = true;
      hls?.destroy();
    };
  }, [playback, onMediaError]);

  // A renewed mp4 URL that happens to be the same string still has to load again.
  useEffect(() => {
    const element = video.current;
    if (element && playback.kind === 'mp4' && renewals > 0 && element.getAttribute('src') === playback.url && element.error) element.load();
  }, [playback, renewals]);

  useLessonProgress(video, { lessonId: lesson?.id, startAt: lesson?.startAt ?? 0, track: lesson?.track ?? false });

  const seek = useCallback((ms: number) => {
    const element = video.current;
    if (!element) return;
    element.currentTime = Math.max(0, ms / 1000);
  }, []);
  const goToChapter = useCallback(
    (chapter: ReplayChapter) => {
      seek(chapter.atMs);
      setTab(chapter.kind === 'poll' ? 'polls' : 'qa');
    },
    [seek]
  );

  const chapter = moment?.chapter ?? null;
  const title = recording.title;
  return (
    <div className={index ? layout.grid : undefined} data-testid="replay" data-replay-state="ready" data-playback-kind={playback.kind} data-renewals={renewals}>
      <div className={layout.video}>
        <video
          ref={video}
          controls
          preload="metadata"
          playsInline
          width={1280}
          height={720}
          poster={playback.posterUrl ?? undefined}
          src={playback.kind === 'mp4' ? playback.url : undefined}
          aria-label={`Recording: ${title}`}
          className="aspect-video h-auto w-full rounded-xl bg-black"
          data-testid="replay-video"
        >
          <p>Your browser can’t play this video.</p>
        </video>
        <ReplayTimelineBar
          durationMs={durationMs}
          timeMs={timeMs}
          chapters={index?.chapters ?? []}
          currentChapter={moment?.chapterIndex ?? -1}
          lost={index?.lost ?? null}
          onSeek={seek}
          onChapter={goToChapter}
        />
        <p className="mt-1 min-h-6 text-sm text-slate-800" data-testid="replay-chapter-now">
          {chapter && (
            <>
              <span className="font-semibold">{chapter.kind === 'poll' ? 'Poll' : 'Question'} at {clockText(chapter.atMs)}:</span> {chapter.label}
            </>
          )}
        </p>
        <div className="min-h-6 text-sm" aria-live="polite">
          {problem && (
            <p className="flex flex-wrap items-center gap-3 text-red-800" data-testid="replay-problem">
              {problem}
              <button
                type="button"
                className="btn-secondary min-h-9 py-1"
                onClick={() => {
                  lastRenewAt.current = null;
                  void renew();
                }}
                data-testid="replay-retry"
              >
                Try again
              </button>
            </p>
          )}
        </div>
      </div>

      {index && moment ? (
        <ReplayPanels moment={moment} totals={{ chat: index.chat.length, questions: index.questions.length, polls: index.polls.length }} tab={tab} onTab={setTab} seekCount={seekCount} />
      ) : (
        <p className="mt-4 text-sm text-slate-700" data-testid="replay-no-timeline">
          The class’s chat, questions and polls couldn’t be loaded just now: the video plays without them. Reload the page to try again.
        </p>
      )}
    </div>
  );
}
