import type * as Server from '../../../../src-plugins/live/server/src/recordings/contracts';
import { RECORDING_STATUSES } from '../../../../src-plugins/live/server/src/recordings/contracts';
import type { z } from 'zod';
import {
  RECORDING_STATUS_VALUES,
  clockText,
  countAtOrBefore,
  cursorAt,
  durationWords,
  heatmapBars,
  heatmapPeak,
  indexTimeline,
  momentAt,
  percentAt,
  recordingNotice,
  recordingSchema,
  replayAt,
  replayTimelineSchema,
  sameCursor,
  shouldRenew,
  type Recording,
  type ReplayTimeline,
} from '../replay';

// ── The site's mirror of the recordings contracts (checked by `tsc -p site/tsconfig.json`) ──
// Everything the server sends must parse (server type ⊆ schema input), and everything the site
// reads must be something the server sends (schema output ⊆ server type).
type Fits<A, B> = [A] extends [B] ? true : false;
const contractChecks: [
  Fits<Server.RecordingDto, z.input<typeof recordingSchema>>,
  Fits<Recording, Pick<Server.RecordingDto, keyof Recording>>,
  Fits<Server.ReplayTimeline, z.input<typeof replayTimelineSchema>>,
  Fits<z.output<typeof replayTimelineSchema>, Server.ReplayTimeline>,
] = [true, true, true, true];

const READY: Server.RecordingDto = {
  id: 'rec0000000001',
  sessionId: 'sess000000001',
  courseId: 'course0react1',
  title: 'Closures, live',
  status: 'ready',
  recordedAt: '2026-11-30T10:00:00.000Z',
  durationMs: 3_723_000,
  lessonId: null,
  provider: 'local',
  stage: null,
  progress: null,
  failureReason: null,
  sizeBytes: 12_345_678,
  thumbnails: [{ atMs: 0, url: 'http://127.0.0.1:1337/api/live/files/recordings/x/thumbs/0001.jpg?exp=1&sig=s' }],
  playback: { kind: 'mp4', url: 'http://127.0.0.1:1337/api/live/files/recordings/x/video.mp4?exp=1&sig=s', posterUrl: null, expiresAt: '2026-11-30T12:15:00.000Z' },
  figures: { peakViewers: 3, totalViewers: 4, watchTimeSeconds: 900, messageCount: 12 },
};

const message = (id: number, atMs: number): Server.ReplayChatMessage => ({ id, atMs, authorName: `Student ${id}`, authorRole: 'student', text: `message ${id}` });

const TIMELINE: Server.ReplayTimeline = {
  recordingId: READY.id,
  durationMs: 60_000,
  // Out of order on purpose: the replay must not depend on the API's order.
  chat: [message(3, 30_000), message(1, 1_000), message(2, 10_000), message(4, 30_000)],
  questions: [
    { id: 1, atMs: 5_000, text: 'What is a closure?', authorName: 'Asha', votes: 3, state: 'answered', answeredAtMs: 20_000 },
    { id: 2, atMs: 12_000, text: 'Hoisting?', authorName: 'Ravi', votes: 0, state: 'open', answeredAtMs: null },
    { id: 3, atMs: 14_000, text: 'Never mind', authorName: 'Ravi', votes: 0, state: 'withdrawn', answeredAtMs: null },
    { id: 4, atMs: 16_000, text: 'Off topic', authorName: 'Mo', votes: 0, state: 'dismissed', answeredAtMs: null },
    { id: 5, atMs: 40_000, text: 'Answered, time unknown', authorName: 'Mo', votes: 1, state: 'answered', answeredAtMs: null },
  ],
  polls: [
    { id: 7, atMs: 25_000, closedAtMs: 35_000, kind: 'quiz', question: 'Which keyword?', options: ['let', 'var'], counts: [2, 1], total: 3, correctOption: 0 },
    { id: 8, atMs: 50_000, closedAtMs: null, kind: 'poll', question: 'Pace?', options: ['Fast', 'Fine'], counts: [0, 2], total: 2, correctOption: null },
  ],
  chapters: [
    { atMs: 25_000, kind: 'poll', label: 'Which keyword?' },
    { atMs: 5_000, kind: 'question', label: 'What is a closure?' },
    { atMs: 12_000, kind: 'question', label: 'Hoisting?' },
  ],
  lost: { bucketMs: 10_000, counts: [0, 2, 5, 0, 5, 1, 9] },
};

describe('the contract mirror', () => {
  it('matches the recordings contract’s types and statuses', () => {
    expect(contractChecks.every(Boolean)).toBe(true);
    expect([...RECORDING_STATUS_VALUES]).toEqual([...RECORDING_STATUSES]);
  });

  it('parses what the server sends and drops what the site doesn’t read', () => {
    const parsed = recordingSchema.parse({ ...READY, storage: 'disk', mediaKey: 'recordings/x/video.mp4', leaseOwner: 'worker-1' });
    expect(parsed).toEqual({
      id: READY.id,
      sessionId: READY.sessionId,
      courseId: READY.courseId,
      title: READY.title,
      status: 'ready',
      recordedAt: READY.recordedAt,
      durationMs: READY.durationMs,
      lessonId: null,
      provider: 'local',
      stage: null,
      progress: null,
      failureReason: null,
      playback: READY.playback,
    });
    expect(JSON.stringify(parsed)).not.toContain('mediaKey');
    expect(replayTimelineSchema.parse(TIMELINE)).toEqual(TIMELINE);
  });

  it('refuses playback and poster URLs a player shouldn’t open', () => {
    expect(recordingSchema.safeParse({ ...READY, playback: { ...READY.playback!, url: 'javascript:alert(1)' } }).success).toBe(false);
    expect(recordingSchema.safeParse({ ...READY, playback: { ...READY.playback!, url: '/api/live/files/x.mp4' } }).success).toBe(false);
    expect(recordingSchema.safeParse({ ...READY, playback: { ...READY.playback!, posterUrl: 'data:image/png;base64,AAAA' } }).success).toBe(false);
    expect(recordingSchema.safeParse({ ...READY, playback: { ...READY.playback!, kind: 'flv' } }).success).toBe(false);
  });

  it('refuses a timeline with offsets that aren’t numbers', () => {
    expect(replayTimelineSchema.safeParse({ ...TIMELINE, chat: [{ ...message(1, 0), atMs: '12' }] }).success).toBe(false);
    expect(replayTimelineSchema.safeParse({ ...TIMELINE, lost: { bucketMs: 0, counts: [1] } }).success).toBe(false);
  });
});

describe('the replay at a moment', () => {
  const index = indexTimeline(TIMELINE);

  it('shows nothing before the first event', () => {
    const moment = replayAt(index, 0);
    expect(moment).toEqual({ chat: [], chatTotal: 0, questions: [], polls: [], chapter: null, chapterIndex: -1 });
  });

  it('shows a message exactly at its moment, not a millisecond before', () => {
    expect(replayAt(index, 9_999).chat.map((m) => m.id)).toEqual([1]);
    expect(replayAt(index, 10_000).chat.map((m) => m.id)).toEqual([1, 2]);
    // Two messages at the same moment arrive together, in the order they were sent.
    expect(replayAt(index, 30_000).chat.map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the last N messages and says how many were sent', () => {
    const moment = replayAt(index, 30_000, 2);
    expect(moment.chat.map((m) => m.id)).toEqual([3, 4]);
    expect(moment.chatTotal).toBe(4);
  });

  it('answers questions as of the moment; dismissed and withdrawn ones never show', () => {
    const asked = replayAt(index, 19_999).questions;
    expect(asked.map((q) => [q.id, q.answered])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(replayAt(index, 20_000).questions.map((q) => [q.id, q.answered])).toEqual([
      [1, true],
      [2, false],
    ]);
    // Answered at a moment the server doesn't know: answered from when it was asked.
    expect(replayAt(index, 40_000).questions.find((q) => q.id === 5)?.answered).toBe(true);
    expect(replayAt(index, 60_000).questions.map((q) => q.id)).toEqual([1, 2, 5]);
  });

  it('opens and closes polls as of the moment; a poll never closed closes with the class', () => {
    expect(replayAt(index, 24_999).polls).toEqual([]);
    expect(replayAt(index, 25_000).polls.map((p) => [p.id, p.closed])).toEqual([[7, false]]);
    expect(replayAt(index, 35_000).polls.map((p) => [p.id, p.closed])).toEqual([[7, true]]);
    expect(replayAt(index, 55_000).polls.map((p) => [p.id, p.closed])).toEqual([
      [7, true],
      [8, false],
    ]);
    expect(replayAt(index, 60_000).polls.map((p) => [p.id, p.closed])).toEqual([
      [7, true],
      [8, true],
    ]);
    expect(replayAt(index, Number.POSITIVE_INFINITY).polls.every((p) => p.closed)).toBe(true);
  });

  it('names the chapter the video is in, chapters sorted by time', () => {
    expect(index.chapters.map((c) => c.atMs)).toEqual([5_000, 12_000, 25_000]);
    expect(replayAt(index, 4_999).chapter).toBeNull();
    expect(replayAt(index, 5_000)).toMatchObject({ chapter: { label: 'What is a closure?' }, chapterIndex: 0 });
    expect(replayAt(index, 24_000)).toMatchObject({ chapter: { label: 'Hoisting?' }, chapterIndex: 1 });
    expect(replayAt(index, 59_000)).toMatchObject({ chapter: { kind: 'poll' }, chapterIndex: 2 });
  });

  it('moves the cursor only when something on the panels changes', () => {
    expect(sameCursor(cursorAt(index, 1_000), cursorAt(index, 4_999))).toBe(true);
    expect(sameCursor(cursorAt(index, 4_999), cursorAt(index, 5_000))).toBe(false);
    expect(sameCursor(cursorAt(index, 19_999), cursorAt(index, 20_000))).toBe(false);
  });

  it('reuses what didn’t change since the previous moment', () => {
    const first = cursorAt(index, 36_000);
    const previous = { cursor: first, moment: momentAt(index, first) };
    const next = cursorAt(index, 41_000); // a question asked and answered, nothing else
    const moment = momentAt(index, next, undefined, previous);
    expect(moment.chat).toBe(previous.moment.chat);
    expect(moment.polls).toBe(previous.moment.polls);
    expect(moment.questions).not.toBe(previous.moment.questions);
    expect(moment).toEqual(replayAt(index, 41_000));
  });

  it('leaves the timeline it was given as it was', () => {
    const copy = structuredClone(TIMELINE);
    indexTimeline(copy);
    expect(copy).toEqual(TIMELINE);
  });
});

describe('a long class', () => {
  // A seeded generator: the same "random" class on every run.
  const random = (() => {
    let state = 42;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  })();
  const durationMs = 2 * 60 * 60_000;
  const chat = Array.from({ length: 10_000 }, (_, i) => message(i + 1, Math.floor(random() * durationMs)));
  const questions: Server.ReplayQuestion[] = Array.from({ length: 300 }, (_, i) => {
    const atMs = Math.floor(random() * durationMs);
    const answered = random() < 0.5;
    return { id: i + 1, atMs, text: `q${i}`, authorName: 'A', votes: 0, state: answered ? 'answered' : 'open', answeredAtMs: answered ? atMs + Math.floor(random() * 600_000) : null };
  });
  const polls: Server.ReplayPoll[] = Array.from({ length: 40 }, (_, i) => {
    const atMs = Math.floor(random() * durationMs);
    return { id: i + 1, atMs, closedAtMs: random() < 0.8 ? atMs + 60_000 : null, kind: 'poll', question: `p${i}`, options: ['a', 'b'], counts: [1, 1], total: 2, correctOption: null };
  });
  const timeline: ReplayTimeline = { recordingId: 'r', durationMs, chat, questions, polls, chapters: [], lost: null };

  /** What the panels should show, the slow and obvious way. */
  function naive(t: number, limit: number) {
    const sent = chat.filter((m) => m.atMs <= t).sort((a, b) => a.atMs - b.atMs || a.id - b.id);
    return {
      chat: sent.slice(-limit).map((m) => m.id),
      chatTotal: sent.length,
      questions: questions
        .filter((q) => q.atMs <= t)
        .sort((a, b) => a.atMs - b.atMs || a.id - b.id)
        .map((q) => [q.id, q.state === 'answered' && (q.answeredAtMs ?? q.atMs) <= t]),
      polls: polls
        .filter((p) => p.atMs <= t)
        .sort((a, b) => a.atMs - b.atMs || a.id - b.id)
        .map((p) => [p.id, (p.closedAtMs ?? durationMs) <= t]),
    };
  }

  it('agrees with the obvious computation, seeking forwards and backwards', () => {
    const index = indexTimeline(timeline);
    const moments = [0, durationMs, 1, durationMs / 2, 10, ...Array.from({ length: 200 }, () => Math.floor(random() * durationMs)), chat[17].atMs, chat[17].atMs - 1];
    for (const t of moments) {
      const moment = replayAt(index, t, 200);
      expect({
        chat: moment.chat.map((m) => m.id),
        chatTotal: moment.chatTotal,
        questions: moment.questions.map((q) => [q.id, q.answered]),
        polls: moment.polls.map((p) => [p.id, p.closed]),
      }).toEqual(naive(t, 200));
    }
  });

  it('answers a lookup in microseconds (binary search, not a scan)', () => {
    const started = performance.now();
    const index = indexTimeline(timeline);
    const indexedMs = performance.now() - started;

    const lookups = 20_000;
    const times = Array.from({ length: lookups }, () => Math.floor(random() * durationMs));
    const t0 = performance.now();
    let moved = 0;
    let previous = cursorAt(index, 0);
    for (const t of times) {
      const cursor = cursorAt(index, t);
      if (!sameCursor(cursor, previous)) moved += 1;
      previous = cursor;
    }
    const cursorUs = ((performance.now() - t0) * 1000) / lookups;

    // Seeking anywhere: every part is rebuilt.
    const t1 = performance.now();
    for (const t of times.slice(0, 2_000)) momentAt(index, cursorAt(index, t));
    const momentUs = ((performance.now() - t1) * 1000) / 2_000;

    // Playing: the moment follows the video message by message, reusing what didn't move.
    const t2 = performance.now();
    let last = { cursor: cursorAt(index, 0), moment: momentAt(index, cursorAt(index, 0)) };
    for (const m of index.chat.slice(0, 2_000)) {
      const cursor = cursorAt(index, m.atMs);
      last = { cursor, moment: momentAt(index, cursor, undefined, last) };
    }
    const playingUs = ((performance.now() - t2) * 1000) / 2_000;

    console.log(
      `replay index: 10,000 messages indexed in ${indexedMs.toFixed(1)} ms; cursor ${cursorUs.toFixed(2)} µs per lookup; moment after a seek ${momentUs.toFixed(1)} µs, while playing ${playingUs.toFixed(1)} µs`
    );
    expect(moved).toBeGreaterThan(0);
    // Generous bounds (a loaded CI machine): a scan of 10,000 messages per lookup would be far slower.
    expect(cursorUs).toBeLessThan(50);
    expect(momentUs).toBeLessThan(5_000);
    expect(playingUs).toBeLessThan(momentUs);
  });
});

describe('binary search', () => {
  it('counts the values at or before t', () => {
    const values = [1, 2, 2, 2, 5, 9];
    expect([0, 1, 2, 3, 5, 8, 9, 100].map((t) => countAtOrBefore(values, t))).toEqual([0, 1, 4, 4, 5, 5, 6, 6]);
    expect(countAtOrBefore([], 5)).toBe(0);
    expect(countAtOrBefore(Float64Array.from([3]), Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe('the timeline bar', () => {
  it('places chapters as a share of the video', () => {
    expect(percentAt(15_000, 60_000)).toBe(25);
    expect(percentAt(-5, 60_000)).toBe(0);
    expect(percentAt(90_000, 60_000)).toBe(100);
    expect(percentAt(5, 0)).toBe(0);
  });

  it('draws the buckets that had "I’m lost" signals, clipped to the video, shaded by the busiest', () => {
    expect(heatmapBars(TIMELINE.lost, 60_000)).toEqual([
      { startMs: 10_000, widthMs: 10_000, count: 2, intensity: 2 / 5 },
      { startMs: 20_000, widthMs: 10_000, count: 5, intensity: 1 },
      { startMs: 40_000, widthMs: 10_000, count: 5, intensity: 1 },
      { startMs: 50_000, widthMs: 10_000, count: 1, intensity: 1 / 5 },
    ]);
    expect(heatmapBars({ bucketMs: 10_000, counts: [1, 3] }, 15_000)).toEqual([
      { startMs: 0, widthMs: 10_000, count: 1, intensity: 1 / 3 },
      { startMs: 10_000, widthMs: 5_000, count: 3, intensity: 1 },
    ]);
    expect(heatmapBars(null, 60_000)).toEqual([]);
    expect(heatmapBars({ bucketMs: 1_000, counts: [0, 0] }, 60_000)).toEqual([]);
  });

  it('names the busiest moment (the earliest of equals)', () => {
    expect(heatmapPeak({ bucketMs: 10_000, counts: [0, 2, 5, 0, 5] })).toEqual({ atMs: 20_000, untilMs: 30_000, count: 5 });
    // A bucket after the video's end isn't a moment of it; the last one ends with the video.
    expect(heatmapPeak(TIMELINE.lost, 60_000)).toEqual({ atMs: 20_000, untilMs: 30_000, count: 5 });
    expect(heatmapPeak(TIMELINE.lost)).toEqual({ atMs: 60_000, untilMs: 70_000, count: 9 });
    expect(heatmapPeak({ bucketMs: 5_000, counts: [1] }, 3_000)).toEqual({ atMs: 0, untilMs: 3_000, count: 1 });
    expect(heatmapPeak({ bucketMs: 10_000, counts: [0, 0] })).toBeNull();
    expect(heatmapPeak(null)).toBeNull();
  });

  it('an all-zero heatmap is no heatmap', () => {
    expect(indexTimeline({ ...TIMELINE, lost: { bucketMs: 1_000, counts: [0, 0, 0] } }).lost).toBeNull();
    expect(indexTimeline(TIMELINE).lost).toEqual(TIMELINE.lost);
  });

  it('writes times as a clock and in words', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(83_000)).toBe('1:23');
    expect(clockText(3_723_000)).toBe('1:02:03');
    expect(clockText(Number.NaN)).toBe('0:00');
    expect(durationWords(83_000)).toBe('1 min 23 s');
    expect(durationWords(3_723_000)).toBe('1 h 2 min');
    expect(durationWords(3_600_000)).toBe('1 h');
    expect(durationWords(9_000)).toBe('9 s');
  });
});

describe('a recording that can’t play yet', () => {
  const base = recordingSchema.parse(READY);

  it('says how far processing is, what is happening, and why one failed', () => {
    expect(recordingNotice(base)).toBeNull();
    expect(recordingNotice({ ...base, status: 'processing', progress: 0.425, stage: 'remux', playback: null })).toBe(
      'This recording is being processed (42 %) — preparing the video. It plays here as soon as it’s ready.'
    );
    expect(recordingNotice({ ...base, status: 'processing', progress: 1, stage: 'upload', playback: null })).toContain('(99 %)');
    expect(recordingNotice({ ...base, status: 'processing', progress: null, stage: null, playback: null })).toBe(
      'This recording is being processed. It plays here as soon as it’s ready.'
    );
    expect(recordingNotice({ ...base, status: 'recording', playback: null })).toMatch(/still being recorded/);
    expect(recordingNotice({ ...base, status: 'failed', failureReason: 'the raw recording has no video stream', playback: null })).toBe(
      'This recording failed: the raw recording has no video stream.'
    );
    expect(recordingNotice({ ...base, status: 'failed', failureReason: null, playback: null })).toBe('This recording failed: it could not be processed.');
    // What the API tells students.
    expect(recordingNotice({ ...base, status: 'failed', failureReason: 'The recording could not be processed', playback: null })).toBe(
      'This recording failed: the recording could not be processed.'
    );
    expect(recordingNotice({ ...base, status: 'failed', failureReason: 'IVS Recording End Failure', playback: null })).toBe('This recording failed: IVS Recording End Failure.');
    expect(recordingNotice({ ...base, playback: null })).toMatch(/can’t be played right now/);
  });

  it('renews an expired link at once, but not again and again', () => {
    expect(shouldRenew(null, 1_000)).toBe(true);
    expect(shouldRenew(1_000, 5_000)).toBe(false);
    expect(shouldRenew(1_000, 11_000)).toBe(true);
  });
});
