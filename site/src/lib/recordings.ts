/**
 * Recordings of live classes on the site (server side): the past classes the course page, the
 * dashboard and live lessons list (public, cached briefly), and one recording with its replay
 * timeline, fetched with the student's token (or none: a recording published as a preview lesson
 * is open to anyone). The browser only talks to the site's own `/api/recordings/[id]` endpoint;
 * the shapes and the pure replay logic are in replay.ts (browser-safe).
 *
 * API: the live plugin (src-plugins/live/server/src/recordings) — `GET /api/live/past-classes`,
 * `GET /api/live/recordings/:id`, `GET /api/live/recordings/:id/timeline`.
 */
import { z } from 'zod';
import { ApiError, apiRequest } from './api';
import { TtlCache } from './cache';
import { catalogGeneration } from './catalog';
import { documentIdPattern } from './live';
import { RECORDING_STATUS_VALUES, recordingSchema, replayTimelineSchema, type Recording, type ReplayTimeline } from './replay';

const nullableString = z.string().nullish().transform((value) => value ?? null);

/** PastClassDto: an ended class and, when it has one, its recording's state (no URL: lists are public). */
export const pastClassSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  courseId: z.string(),
  courseTitle: nullableString,
  courseSlug: nullableString,
  startedAt: nullableString,
  endedAt: nullableString,
  recording: z
    .object({
      id: z.string(),
      status: z.enum(RECORDING_STATUS_VALUES),
      durationMs: z.number().nullish().transform((value) => value ?? null),
      lessonId: nullableString,
    })
    .nullish()
    .transform((value) => value ?? null),
});
const pastClassListSchema = z.object({ data: z.array(pastClassSchema) });

export type PastClass = z.infer<typeof pastClassSchema>;

/** The API takes at most 50 courses and answers at most 50 classes per call. */
const COURSES_PER_CALL = 50;
const MAX_LIMIT = 50;
/** Short: a recording that turns ready should say so soon. Dropped with the catalog on /api/revalidate too. */
const PAST_TTL_MS = 15_000;

let pastCache: TtlCache<PastClass[]> | undefined;
const cache = () => (pastCache ??= new TtlCache<PastClass[]>(catalogGeneration, { ttlMs: PAST_TTL_MS, maxEntries: 2_000 }));

/** GET /api/live/past-classes?course=a,b&limit=N (public): ended classes, newest first. */
export async function listPastClasses(courseDocumentIds: string[], limit = 20): Promise<PastClass[]> {
  const { data } = await apiRequest('live/past-classes', pastClassListSchema, {
    query: [
      ['course', courseDocumentIds.join(',')],
      ['limit', Math.min(MAX_LIMIT, Math.max(1, limit))],
    ],
  });
  return data;
}

/** When the class happened (its end when the start is unknown), for ordering: newest first. */
const endedTime = (past: PastClass) => Date.parse(past.startedAt ?? past.endedAt ?? '') || 0;
export const sortPastClasses = (classes: PastClass[]) => classes.toSorted((a, b) => endedTime(b) - endedTime(a));

async function loadPast(courseDocumentIds: string[], limit: number): Promise<PastClass[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < courseDocumentIds.length; i += COURSES_PER_CALL) chunks.push(courseDocumentIds.slice(i, i + COURSES_PER_CALL));
  const lists = await Promise.all(chunks.map((ids) => listPastClasses(ids, limit)));
  const seen = new Set<string>();
  const merged = lists.flat().filter((past) => !seen.has(past.sessionId) && Boolean(seen.add(past.sessionId)));
  // One call keeps the API's order; several are merged by date.
  return (chunks.length > 1 ? sortPastClasses(merged) : merged).slice(0, limit);
}

/**
 * Past classes of some courses, newest first. Never throws: a failure is logged and shows as no
 * classes, so the page around it still renders.
 */
export async function pastClasses(courseDocumentIds: string[], limit = 20): Promise<PastClass[]> {
  const ids = [...new Set(courseDocumentIds.filter((id) => documentIdPattern.test(id)))].sort();
  if (ids.length === 0) return [];
  try {
    return await cache().getOrLoad(`${limit}:${ids.join(',')}`, () => loadPast(ids, limit));
  } catch (error) {
    console.error('[site] could not load past live classes:', error instanceof Error ? error.message : error);
    return [];
  }
}

/** Whether a list shows a recording that will change on its own (recording, processing): such a page isn't cached whole. */
export const recordingInProgress = (classes: PastClass[]) =>
  classes.some((past) => past.recording?.status === 'recording' || past.recording?.status === 'processing');

/** The replay page of a recording. */
export const recordingUrl = (id: string) => `/recordings/${encodeURIComponent(id)}`;

// ── One recording ─────────────────────────────────────────────────────────────────────────────

/** GET /api/live/recordings/:id — with a fresh signed playback URL when it is ready. */
export async function getRecording(id: string, token: string | null | undefined): Promise<Recording> {
  const { data } = await apiRequest(`live/recordings/${encodeURIComponent(id)}`, z.object({ data: recordingSchema }), { token });
  return data;
}

/** GET /api/live/recordings/:id/timeline — the class's chat, Q&A, polls and "I'm lost" on the video's clock. */
export async function getRecordingTimeline(id: string, token: string | null | undefined): Promise<ReplayTimeline> {
  const { data } = await apiRequest(`live/recordings/${encodeURIComponent(id)}/timeline`, z.object({ data: replayTimelineSchema }), { token });
  return data;
}

export type RecordingOutcome =
  | { ok: true; recording: Recording; timeline: ReplayTimeline | null }
  | {
      ok: false;
      /** HTTP status; 0 when Strapi could not be reached. */
      status: number;
      message: string;
      /** On a 403, the course to enroll in, when the API names it (`error.details.course`). */
      courseSlug?: string;
    };

const refusalDetails = z.object({ course: z.object({ slug: z.string() }).loose() }).loose();

/**
 * A recording and, when it is ready, its timeline (fetched side by side), as the student may
 * see them; Strapi's refusals come back as outcomes, not exceptions. A timeline that can't be
 * loaded leaves the video playable without the class around it (`timeline: null`).
 */
export async function loadRecording(id: string, token: string | null | undefined): Promise<RecordingOutcome> {
  if (!documentIdPattern.test(id)) return { ok: false, status: 404, message: 'No such recording.' };
  const [recording, timeline] = await Promise.allSettled([getRecording(id, token), getRecordingTimeline(id, token)]);
  if (recording.status === 'rejected') {
    const error = recording.reason;
    if (!(error instanceof ApiError)) throw error;
    if (error.unavailable) console.error('[site] recording failed to load:', id, error.status, error.message);
    const details = refusalDetails.safeParse(error.details);
    return { ok: false, status: error.status, message: error.message, ...(details.success ? { courseSlug: details.data.course.slug } : {}) };
  }
  if (timeline.status === 'rejected' && recording.value.status === 'ready') {
    const error = timeline.reason;
    console.error('[site] recording timeline failed to load:', id, error instanceof Error ? error.message : error);
  }
  return { ok: true, recording: recording.value, timeline: recording.value.status === 'ready' && timeline.status === 'fulfilled' ? timeline.value : null };
}

/**
 * A lesson made from a recording: the recording and its timeline as the caller may see them
 * (a preview lesson's recording is open to anyone), or null when the lesson has none. Never
 * throws: a failure to look is logged and shows as no recording.
 */
export async function lessonReplay(recordingId: string, token: string | null | undefined): Promise<RecordingOutcome | null> {
  try {
    return await loadRecording(recordingId, token);
  } catch (error) {
    console.error('[site] could not load the recording', recordingId, 'of a lesson:', error instanceof Error ? error.message : error);
    return null;
  }
}
