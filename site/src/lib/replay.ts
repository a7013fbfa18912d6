/**
 * A recorded class, replayed: the shapes the site reads from the recordings API (zod, so the
 * recording page, its JSON endpoint and the player island all check them the same way) and the
 * pure timeline logic the ReplayPlayer island follows the video with — given a time `t` into the
 * video, the chat so far (its last N messages), the questions asked so far (answered or not as of
 * `t`), the polls launched so far (open or closed as of `t`; results once closed) and the current
 * chapter.
 *
 * Fast for long classes: `indexTimeline` sorts once; every lookup after is a few binary searches
 * (`cursorAt`), so a 10,000-message class costs microseconds per `timeupdate`, seeking backwards
 * included. The island re-renders the panels only when the cursor moves (`sameCursor`).
 *
 * Browser-safe: zod and types only. Mirrors src-plugins/live/server/src/recordings/contracts.ts
 * (RecordingDto, ReplayTimeline); __tests__/replay.test.ts checks that the two still fit.
 */
// First: these schemas are built as the module loads (see zod-jitless.ts).
import './zod-jitless';
import { z } from 'zod';
import type {
  ReplayChapter,
  ReplayChatMessage,
  ReplayHeatmap,
  ReplayPoll,
  ReplayQuestion,
  ReplayTimeline,
} from '../../../src-plugins/live/server/src/recordings/contracts';

export type { ReplayChapter, ReplayChatMessage, ReplayHeatmap, ReplayPoll, ReplayQuestion, ReplayTimeline };

// ── What the site reads from the API ─────────────────────────────────────────────────────────

const nullableString = z.string().nullish().transform((value) => value ?? null);
const nullableNumber = z.number().nullish().transform((value) => value ?? null);
/** Only URLs a player may open: absolute http(s), nothing else (no `javascript:`, no relative tricks). */
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) URL');
const offsetMs = z.number().finite();

export const RECORDING_STATUS_VALUES = ['recording', 'processing', 'ready', 'failed'] as const;

export const playbackSchema = z.object({
  kind: z.enum(['mp4', 'hls']),
  url: httpUrl,
  posterUrl: httpUrl.nullish().transform((value) => value ?? null),
  expiresAt: z.string(),
});

/** RecordingDto, as the page and the island read it (unknown fields are dropped). */
export const recordingSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  courseId: z.string(),
  title: z.string(),
  status: z.enum(RECORDING_STATUS_VALUES),
  recordedAt: nullableString,
  durationMs: nullableNumber,
  lessonId: nullableString,
  provider: z.enum(['local', 'ivs']),
  stage: z.enum(['queued', 'remux', 'thumbnails', 'upload', 'import']).nullish().transform((value) => value ?? null),
  progress: nullableNumber,
  failureReason: nullableString,
  playback: playbackSchema.nullish().transform((value) => value ?? null),
});

const authorRole = z.enum(['student', 'mentor', 'admin']);

export const replayTimelineSchema = z.object({
  recordingId: z.string(),
  durationMs: z.number().nonnegative(),
  chat: z.array(z.object({ id: z.number(), atMs: offsetMs, authorName: z.string(), authorRole, text: z.string() })),
  questions: z.array(
    z.object({
      id: z.number(),
      atMs: offsetMs,
      text: z.string(),
      authorName: z.string(),
      votes: z.number(),
      state: z.enum(['open', 'answered', 'dismissed', 'withdrawn']),
      answeredAtMs: offsetMs.nullable(),
    })
  ),
  polls: z.array(
    z.object({
      id: z.number(),
      atMs: offsetMs,
      closedAtMs: offsetMs.nullable(),
      kind: z.enum(['poll', 'quiz']),
      question: z.string(),
      options: z.array(z.string()),
      counts: z.array(z.number()),
      total: z.number(),
      correctOption: z.number().nullable(),
    })
  ),
  chapters: z.array(z.object({ atMs: offsetMs, kind: z.enum(['question', 'poll']), label: z.string() })),
  lost: z.object({ bucketMs: z.number().positive(), counts: z.array(z.number().nonnegative()) }).nullable(),
});

export type Recording = z.infer<typeof recordingSchema>;
export type RecordingPlayback = z.infer<typeof playbackSchema>;
export type RecordingStatus = Recording['status'];

// ── The timeline, indexed ───────────────────────────────────────────────────────────────────

/** A poll's close as the replay sees it: when it closed, or (never closed) when the class ended. */
type CloseEvent = { atMs: number; pollId: number };
type AnswerEvent = { atMs: number; questionId: number };

export type ReplayIndex = {
  durationMs: number;
  chat: ReplayChatMessage[];
  chatAt: Float64Array;
  /** Questions that stayed in the class (dismissed and withdrawn ones left it), by time asked. */
  questions: ReplayQuestion[];
  questionAt: Float64Array;
  answers: AnswerEvent[];
  answerAt: Float64Array;
  polls: ReplayPoll[];
  pollAt: Float64Array;
  closes: CloseEvent[];
  closeAt: Float64Array;
  chapters: ReplayChapter[];
  chapterAt: Float64Array;
  lost: ReplayHeatmap | null;
};

const byTime = <T extends { atMs: number }>(items: readonly T[], tie: (item: T) => number = () => 0) =>
  items.toSorted((a, b) => a.atMs - b.atMs || tie(a) - tie(b));
const times = (items: readonly { atMs: number }[]) => Float64Array.from(items, (item) => item.atMs);

/** Sorts the class's events once (the API sends them in order; a replay must not depend on it). */
export function indexTimeline(timeline: ReplayTimeline): ReplayIndex {
  const chat = byTime(timeline.chat, (m) => m.id);
  const questions = byTime(
    timeline.questions.filter((q) => q.state !== 'dismissed' && q.state !== 'withdrawn'),
    (q) => q.id
  );
  // Answered at a moment the server doesn't know: shown answered from when it was asked.
  const answers = byTime(
    questions.filter((q) => q.state === 'answered').map((q) => ({ atMs: Math.max(q.atMs, q.answeredAtMs ?? q.atMs), questionId: q.id })),
    (a) => a.questionId
  );
  const polls = byTime(timeline.polls, (p) => p.id);
  const closes = byTime(
    polls.map((p) => ({ atMs: Math.max(p.atMs, p.closedAtMs ?? timeline.durationMs), pollId: p.id })),
    (c) => c.pollId
  );
  const chapters = byTime(timeline.chapters);
  return {
    durationMs: timeline.durationMs,
    chat,
    chatAt: times(chat),
    questions,
    questionAt: times(questions),
    answers,
    answerAt: times(answers),
    polls,
    pollAt: times(polls),
    closes,
    closeAt: times(closes),
    chapters,
    chapterAt: times(chapters),
    lost: timeline.lost && timeline.lost.counts.some((count) => count > 0) ? timeline.lost : null,
  };
}

/** How many of the sorted `values` are ≤ t (binary search). */
export function countAtOrBefore(values: ArrayLike<number>, t: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] <= t) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where the replay stands at a moment: how many of each kind of event had happened. */
export type ReplayCursor = { chat: number; questions: number; answers: number; polls: number; closes: number; chapters: number };

export function cursorAt(index: ReplayIndex, tMs: number): ReplayCursor {
  return {
    chat: countAtOrBefore(index.chatAt, tMs),
    questions: countAtOrBefore(index.questionAt, tMs),
    answers: countAtOrBefore(index.answerAt, tMs),
    polls: countAtOrBefore(index.pollAt, tMs),
    closes: countAtOrBefore(index.closeAt, tMs),
    chapters: countAtOrBefore(index.chapterAt, tMs),
  };
}

/** Two moments that show the same panels. */
export const sameCursor = (a: ReplayCursor, b: ReplayCursor) =>
  a.chat === b.chat && a.questions === b.questions && a.answers === b.answers && a.polls === b.polls && a.closes === b.closes && a.chapters === b.chapters;

export type ReplayQuestionAt = ReplayQuestion & { answered: boolean };
export type ReplayPollAt = ReplayPoll & { closed: boolean };

export type ReplayMoment = {
  /** The last `chatLimit` messages sent by then, oldest first. */
  chat: ReplayChatMessage[];
  /** How many messages had been sent by then (the list may show fewer). */
  chatTotal: number;
  /** Questions asked by then, oldest first, answered or not as of then. */
  questions: ReplayQuestionAt[];
  /** Polls launched by then, oldest first, closed or not as of then (results belong to closed ones). */
  polls: ReplayPollAt[];
  /** The latest chapter begun by then. */
  chapter: ReplayChapter | null;
  chapterIndex: number;
};

/** The chat list keeps this many messages: enough to scroll back through, cheap to render. */
export const CHAT_LIMIT = 200;

/**
 * The panels for a cursor. Given the previous moment, the parts whose cursor didn't move are
 * reused as they are (same arrays), so the panels that show them needn't render again.
 */
export function momentAt(index: ReplayIndex, cursor: ReplayCursor, chatLimit = CHAT_LIMIT, previous?: { cursor: ReplayCursor; moment: ReplayMoment }): ReplayMoment {
  const before = previous?.cursor;
  const sameChat = before && before.chat === cursor.chat;
  const sameQuestions = before && before.questions === cursor.questions && before.answers === cursor.answers;
  const samePolls = before && before.polls === cursor.polls && before.closes === cursor.closes;
  let questions = previous?.moment.questions;
  if (!sameQuestions || !questions) {
    const answered = new Set<number>();
    for (let i = 0; i < cursor.answers; i++) answered.add(index.answers[i].questionId);
    questions = index.questions.slice(0, cursor.questions).map((q) => ({ ...q, answered: answered.has(q.id) }));
  }
  let polls = previous?.moment.polls;
  if (!samePolls || !polls) {
    const closed = new Set<number>();
    for (let i = 0; i < cursor.closes; i++) closed.add(index.closes[i].pollId);
    polls = index.polls.slice(0, cursor.polls).map((p) => ({ ...p, closed: closed.has(p.id) }));
  }
  return {
    chat: sameChat && previous ? previous.moment.chat : index.chat.slice(Math.max(0, cursor.chat - chatLimit), cursor.chat),
    chatTotal: cursor.chat,
    questions,
    polls,
    chapter: cursor.chapters > 0 ? index.chapters[cursor.chapters - 1] : null,
    chapterIndex: cursor.chapters - 1,
  };
}

/** The panels at `tMs` milliseconds into the video. */
export const replayAt = (index: ReplayIndex, tMs: number, chatLimit = CHAT_LIMIT) => momentAt(index, cursorAt(index, tMs), chatLimit);

// ── The timeline bar ────────────────────────────────────────────────────────────────────────

/** A chapter's place on the bar, 0–100 (%). */
export const percentAt = (atMs: number, durationMs: number) => (durationMs > 0 ? Math.min(100, Math.max(0, (atMs / durationMs) * 100)) : 0);

export type HeatBar = { startMs: number; widthMs: number; count: number; intensity: number };

/** The "I'm lost" buckets inside the video that had any, with their share of the busiest of them (0–1], clipped to the video. */
export function heatmapBars(lost: ReplayHeatmap | null, durationMs: number): HeatBar[] {
  if (!lost || durationMs <= 0) return [];
  const inside = lost.counts.map((count, i) => ({ startMs: i * lost.bucketMs, count })).filter((bucket) => bucket.startMs < durationMs && bucket.count > 0);
  const max = Math.max(0, ...inside.map((bucket) => bucket.count));
  return inside.map(({ startMs, count }) => ({ startMs, widthMs: Math.min(lost.bucketMs, durationMs - startMs), count, intensity: count / max }));
}

/** The stretch of the video (a bucket) where most students said they were lost — the earliest of equals — for the words beside the picture. */
export function heatmapPeak(lost: ReplayHeatmap | null, durationMs = Number.POSITIVE_INFINITY): { atMs: number; untilMs: number; count: number } | null {
  if (!lost) return null;
  let best: { atMs: number; untilMs: number; count: number } | null = null;
  lost.counts.forEach((count, i) => {
    const atMs = i * lost.bucketMs;
    if (count > 0 && atMs < durationMs && (!best || count > best.count)) best = { atMs, untilMs: Math.min(atMs + lost.bucketMs, durationMs), count };
  });
  return best;
}

/** 83_000 → "1:23", 3_723_000 → "1:02:03". */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** 83_000 → "1 min 23 s", 3_723_000 → "1 h 2 min", for words (the bar's value, durations). */
export function durationWords(ms: number): string {
  const total = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h${minutes ? ` ${minutes} min` : ''}`;
  if (minutes > 0) return `${minutes} min${seconds ? ` ${seconds} s` : ''}`;
  return `${seconds} s`;
}

// ── Processing and playback ─────────────────────────────────────────────────────────────────

const STAGE_WORDS: Record<NonNullable<Recording['stage']>, string> = {
  queued: 'waiting its turn',
  remux: 'preparing the video',
  thumbnails: 'making thumbnails',
  upload: 'storing it',
  import: 'importing it',
};

/** What a student reads about a recording that can't be played yet (null when it can). */
export function recordingNotice(recording: Pick<Recording, 'status' | 'progress' | 'stage' | 'failureReason' | 'playback'>): string | null {
  switch (recording.status) {
    case 'ready':
      return recording.playback ? null : 'This recording can’t be played right now. Please try again in a minute.';
    case 'recording':
      return 'This class is still being recorded. The recording appears here once the class ends and it has been processed.';
    case 'processing': {
      const percent = recording.progress === null ? null : Math.min(99, Math.max(0, Math.floor(recording.progress * 100)));
      const stage = recording.stage ? ` — ${STAGE_WORDS[recording.stage]}` : '';
      return `This recording is being processed${percent === null ? '' : ` (${percent} %)`}${stage}. It plays here as soon as it’s ready.`;
    }
    case 'failed': {
      const reason = recording.failureReason?.trim().replace(/[.!]?$/, '.');
      // "The recording could not…" reads on after the colon in lower case; "IVS …" keeps its capitals.
      const words = reason ? (/^[A-Z][a-z]/.test(reason) ? reason[0].toLowerCase() + reason.slice(1) : reason) : 'it could not be processed.';
      return `This recording failed: ${words}`;
    }
  }
}

/** How often the page asks again while a recording is being made or processed. */
export const PROCESSING_POLL_MS = 5_000;

/**
 * After a media error: fetch a fresh signed URL, unless one was fetched moments ago and failed
 * too (then the error is real and the student is told, with a Retry button).
 */
export function shouldRenew(lastRenewAt: number | null, now: number, minGapMs = 10_000): boolean {
  return lastRenewAt === null || now - lastRenewAt >= minGapMs;
}
