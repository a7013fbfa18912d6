/**
 * Live classes on the site (server side): the upcoming classes the course page, the dashboard and
 * live lessons list (public, cached briefly), and the student's join/leave and attended classes, always with the
 * token from their session cookie. The browser only talks to the site's own
 * `/api/live/[session]/{join,leave}` endpoints; pure decisions live in live-state.ts.
 *
 * API: the live plugin (src-plugins/live/server/src/sessions) — `GET /api/live/upcoming`,
 * `GET /api/live/sessions/:id/join`, `POST /api/live/sessions/:id/leave`, `GET /api/live/me/attended`.
 */
import { z } from 'zod';
import { ApiError, joinLiveSession, joinResponseSchema, listAttendedLiveClasses, listUpcomingLiveSessions, type AttendedClass, type PublicSession } from './api';
import { TtlCache } from './cache';
import { catalogGeneration, findCourse } from './catalog';
import type { JoinOutcome } from './live-state';

export type LiveClass = {
  id: string;
  title: string;
  startsAt: string;
  status: 'SCHEDULED' | 'LIVE';
  live: boolean;
  courseDocumentId: string | null;
  courseSlug: string | null;
  courseTitle: string;
};

/** Document ids, as the API validates them (anything else is never sent). */
export const documentIdPattern = /^[a-z0-9]{10,40}$/;
/** The API takes at most 50 courses per call. */
const COURSES_PER_CALL = 50;
/**
 * Short: a class going live should show "Live now" within seconds. Invalidated with the catalog
 * (POST /api/revalidate) as well.
 */
const UPCOMING_TTL_MS = 15_000;

let upcomingCache: TtlCache<LiveClass[]> | undefined;
const cache = () => (upcomingCache ??= new TtlCache<LiveClass[]>(catalogGeneration, { ttlMs: UPCOMING_TTL_MS, maxEntries: 2_000 }));

export function toLiveClass(session: PublicSession): LiveClass | null {
  if (session.status !== 'SCHEDULED' && session.status !== 'LIVE') return null;
  return {
    id: session.id,
    title: session.title,
    startsAt: session.scheduledAt,
    status: session.status,
    live: session.status === 'LIVE',
    courseDocumentId: session.course?.documentId ?? null,
    courseSlug: session.course?.slug ?? null,
    courseTitle: session.course?.title ?? '',
  };
}

/** Live first, then soonest first (the API's order; kept when several calls are merged). */
export function sortLiveClasses(classes: LiveClass[]): LiveClass[] {
  return classes.toSorted((a, b) => Number(b.live) - Number(a.live) || Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

async function loadUpcoming(courseDocumentIds: string[], limit: number): Promise<LiveClass[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < courseDocumentIds.length; i += COURSES_PER_CALL) chunks.push(courseDocumentIds.slice(i, i + COURSES_PER_CALL));
  const lists = await Promise.all(chunks.map((ids) => listUpcomingLiveSessions(ids, limit)));
  const seen = new Set<string>();
  const classes = lists
    .flat()
    .map(toLiveClass)
    .filter((live): live is LiveClass => live !== null && !seen.has(live.id) && Boolean(seen.add(live.id)));
  return sortLiveClasses(classes).slice(0, limit);
}

/**
 * Upcoming (scheduled or live) classes of some courses, live first, then soonest first. Never
 * throws: a failure is logged and shows as no classes, so the page around it still renders.
 */
async function upcoming(courseDocumentIds: string[], limit: number): Promise<LiveClass[]> {
  const ids = [...new Set(courseDocumentIds.filter((id) => documentIdPattern.test(id)))].sort();
  if (ids.length === 0) return [];
  try {
    return await cache().getOrLoad(`${limit}:${ids.join(',')}`, () => loadUpcoming(ids, limit));
  } catch (error) {
    console.error('[site] could not load upcoming live classes:', error instanceof Error ? error.message : error);
    return [];
  }
}

/** Upcoming live classes of one course (public). */
export const upcomingLiveClasses = (courseDocumentId: string, limit = 10) => upcoming([courseDocumentId], limit);

/** Upcoming live classes across the student's courses (the public list, for their course ids). */
export const myUpcomingLiveClasses = (courseDocumentIds: string[], limit = 10) => upcoming(courseDocumentIds, limit);

/**
 * The classes the student attended, by course documentId (latest first): their dashboard shows
 * them under each course as part of its progress. Never throws: a failure is logged and shows
 * as none, so the dashboard around it still renders.
 */
export async function myAttendedLiveClasses(token: string): Promise<Map<string, AttendedClass[]>> {
  const byCourse = new Map<string, AttendedClass[]>();
  try {
    for (const attended of await listAttendedLiveClasses(token)) {
      if (!attended.course) continue;
      const list = byCourse.get(attended.course.documentId) ?? [];
      list.push(attended);
      byCourse.set(attended.course.documentId, list);
    }
  } catch (error) {
    console.error('[site] could not load attended live classes:', error instanceof Error ? error.message : error);
  }
  return byCourse;
}

/**
 * The classroom. The course's slug rides along as a hint, so a student who isn't enrolled gets
 * that course's call to action (checked against the course's classes before it is used).
 */
export const liveClassUrl = (liveClass: Pick<LiveClass, 'id'> & Partial<Pick<LiveClass, 'courseSlug'>>) =>
  `/live/${encodeURIComponent(liveClass.id)}${liveClass.courseSlug ? `?course=${encodeURIComponent(liveClass.courseSlug)}` : ''}`;

/**
 * The course a refused student (403) should enroll in: the one the API named, or the URL's
 * `?course=` hint when that course really has this class among its upcoming ones.
 */
export async function courseToEnroll(sessionId: string, named: string | undefined, hint: string | null) {
  try {
    if (named) return await findCourse(named);
    if (!hint) return null;
    const course = await findCourse(hint);
    if (!course) return null;
    const classes = await upcomingLiveClasses(course.documentId, 50);
    return classes.some((live) => live.id === sessionId) ? course : null;
  } catch (error) {
    console.error('[site] live: could not load the course to enroll in:', error instanceof Error ? error.message : error);
    return null;
  }
}

/** A 403 names the course to enroll in; a 409 (ended or cancelled) names the class itself. */
const refusalDetails = z.object({ course: z.object({ slug: z.string() }).loose() }).loose();
const endedDetails = z.object({ session: joinResponseSchema.shape.session }).loose();

/** Joins with the student's token; Strapi's refusals come back as outcomes, not exceptions. */
export async function joinClassroom(token: string, sessionId: string): Promise<JoinOutcome> {
  if (!documentIdPattern.test(sessionId)) return { ok: false, status: 404, message: 'No such live class.' };
  try {
    const data = await joinLiveSession(token, sessionId);
    return { ok: true, data };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.unavailable) console.error('[site] live join failed:', sessionId, error.status, error.message);
    const details = refusalDetails.safeParse(error.details);
    const ended = error.status === 409 ? endedDetails.safeParse(error.details) : undefined;
    return {
      ok: false,
      status: error.status,
      message: error.message,
      ...(error.reason ? { reason: error.reason } : {}),
      ...(details.success ? { courseSlug: details.data.course.slug } : {}),
      ...(ended?.success ? { session: ended.data.session } : {}),
    };
  }
}

/**
 * Same-origin check for the JSON endpoints that act for the student on GET too (join records
 * attendance): refuses requests another site made the browser send.
 */
export function sameOrigin(request: Request, origin: string): boolean {
  const sent = request.headers.get('origin');
  if (sent && sent !== origin) return false;
  const site = request.headers.get('sec-fetch-site');
  return !site || site === 'same-origin' || site === 'none';
}
