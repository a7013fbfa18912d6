import type { Core } from '@strapi/strapi';
import { COURSE_UID, SESSION_UID } from './constants';
import type { CourseRef, PublicSessionDto, SessionDto, SessionStatus } from './contracts';
import type { ChannelRecord, LiveProviderName } from './providers/types';
import { adminDisplayName } from './services/access';
import { notFound } from '../utils/http';

export type SessionRow = {
  id: number;
  documentId: string;
  title: string;
  description: string | null;
  scheduledAt: string | Date;
  startedAt: string | Date | null;
  endedAt: string | Date | null;
  status: SessionStatus;
  provider: LiveProviderName;
  recording: boolean;
  courseDocumentId: string;
  channelId: string | null;
  ingestServer: string | null;
  playbackUrl: string | null;
  streamKeyRef: string | null;
  streamKeyCipher: string | null;
  recordingRef: string | null;
  /** When the class's recording was deleted (by its mentor or the retention job). */
  recordingDeletedAt?: string | Date | null;
  lastStreamEventAt: string | Date | null;
  currentViewers: number;
  peakViewers: number;
  totalViewers: number;
  chatMessages: number;
  chatSeq?: number;
  chatSlowModeSeconds?: number;
  /** CHAT_PROVIDER=ivs-chat: the session's IVS Chat room (created on schedule or first join). */
  chatRoomArn?: string | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  instructor?: { id: number; firstname?: string | null; lastname?: string | null; email: string } | null;
};

export const INSTRUCTOR_FIELDS = { instructor: { select: ['id', 'firstname', 'lastname', 'email'] } } as const;

const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export const sessions = (strapi: Core.Strapi) => strapi.db.query(SESSION_UID as any);

export async function findSession(strapi: Core.Strapi, where: Record<string, unknown>): Promise<SessionRow | null> {
  return sessions(strapi).findOne({ where, populate: INSTRUCTOR_FIELDS as any });
}

export async function requireSession(strapi: Core.Strapi, documentId: string): Promise<SessionRow> {
  const row = await findSession(strapi, { documentId });
  if (!row) throw notFound('Live session not found', { session: documentId });
  return row;
}

const LEAN_TTL_MS = 1_000;
const leanCache = new Map<string, { row: SessionRow; until: number }>();

/**
 * The session without its instructor, for the students' hot path (join): at most one query per
 * second per session and process. A state change made here clears it at once; one made by
 * another process is seen within the second (the worst case: a playback URL for a class that
 * ended a moment ago, which plays nothing).
 */
export async function requireSessionLean(strapi: Core.Strapi, documentId: string): Promise<SessionRow> {
  const cached = leanCache.get(documentId);
  if (cached && cached.until > Date.now()) return cached.row;
  const row = (await sessions(strapi).findOne({ where: { documentId } })) as SessionRow | null;
  if (!row) throw notFound('Live session not found', { session: documentId });
  if (leanCache.size > 1_000) leanCache.clear();
  leanCache.set(documentId, { row, until: Date.now() + LEAN_TTL_MS });
  return row;
}

/** Drops this process's cached copy after a change made here (slow mode, status). */
export const forgetLean = (documentId: string) => leanCache.delete(documentId);

export const channelOf = (row: SessionRow): ChannelRecord | null =>
  row.channelId
    ? { provider: row.provider, channelId: row.channelId, ingestServer: row.ingestServer ?? '', playbackUrl: row.playbackUrl ?? '', streamKeyRef: row.streamKeyRef }
    : null;

const COURSE_REF_TTL_MS = 30_000;
const courseRefCache = new Map<string, { ref: CourseRef | null; until: number }>();

/**
 * Published course references by documentId, in one query for the ones not seen in the last
 * 30 s (a join storm asks for the same course thousands of times; a renamed course shows its
 * new title within the TTL).
 */
export async function courseRefs(strapi: Core.Strapi, documentIds: string[]): Promise<Map<string, CourseRef>> {
  const now = Date.now();
  const result = new Map<string, CourseRef>();
  const missing: string[] = [];
  for (const id of new Set(documentIds)) {
    const cached = courseRefCache.get(id);
    if (cached && cached.until > now) {
      if (cached.ref) result.set(id, cached.ref);
    } else missing.push(id);
  }
  if (missing.length === 0) return result;
  const rows = await strapi.db.query(COURSE_UID as any).findMany({
    where: { documentId: { $in: missing }, publishedAt: { $notNull: true } },
    select: ['documentId', 'title', 'slug'],
  });
  const found = new Map<string, CourseRef>(rows.map((c: any) => [c.documentId, { documentId: c.documentId, title: c.title, slug: c.slug }]));
  if (courseRefCache.size > 5_000) courseRefCache.clear();
  for (const id of missing) {
    const ref = found.get(id) ?? null;
    courseRefCache.set(id, { ref, until: now + COURSE_REF_TTL_MS });
    if (ref) result.set(id, ref);
  }
  return result;
}

/** The mentor's view. Built field by field: the stream key and provider ids never leave through here. */
export function toSessionDto(row: SessionRow, course: CourseRef | null): SessionDto {
  return {
    id: row.documentId,
    title: row.title,
    description: row.description ?? null,
    status: row.status,
    scheduledAt: iso(row.scheduledAt)!,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    provider: row.provider,
    recording: Boolean(row.recording),
    course,
    instructor: row.instructor ? { id: row.instructor.id, name: adminDisplayName(row.instructor) } : null,
    ingestServer: row.ingestServer ?? null,
    currentViewers: row.currentViewers ?? 0,
    peakViewers: row.peakViewers ?? 0,
    totalViewers: row.totalViewers ?? 0,
    chatMessages: row.chatMessages ?? 0,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

export function toPublicSessionDto(row: SessionRow, course: CourseRef | null): PublicSessionDto {
  return { id: row.documentId, title: row.title, scheduledAt: iso(row.scheduledAt)!, status: row.status, course };
}

export async function withCourses<T>(strapi: Core.Strapi, rows: SessionRow[], map: (row: SessionRow, course: CourseRef | null) => T): Promise<T[]> {
  const courses = await courseRefs(strapi, rows.map((r) => r.courseDocumentId));
  return rows.map((row) => map(row, courses.get(row.courseDocumentId) ?? null));
}

/**
 * Moves a session from one of `from` to a new status with a guarded UPDATE (… WHERE status IN
 * from), so two requests racing (the mentor's End and the encoder's unpublish, two processes)
 * apply one change: the loser sees count 0 and re-reads. Returns the fresh row, or null when the
 * session was no longer in `from`.
 */
export async function transition(
  strapi: Core.Strapi,
  row: SessionRow,
  from: SessionStatus[],
  data: Record<string, unknown>
): Promise<SessionRow | null> {
  leanCache.delete(row.documentId);
  const { count } = await sessions(strapi).updateMany({ where: { id: row.id, status: { $in: from } }, data });
  if (count !== 1) return null;
  const fresh = await findSession(strapi, { id: row.id });
  if (['status', 'title', 'scheduledAt'].some((field) => field in data)) announceChange(strapi, 'status' in data ? String(data.status) : 'update', fresh);
  return fresh;
}

/** cms/src/site-revalidation.ts listens: course pages list upcoming classes, so the site drops its cached copies. */
export const LIVE_SESSIONS_CHANGED = 'live-session.changed';
/** The realtime module listens too: a status change becomes a system message and a push to the class. */
export type SessionChange = { action: string; session: SessionRow | null };
export const announceChange = (strapi: Core.Strapi, action: string, session: SessionRow | null = null) =>
  strapi.eventHub.emit(LIVE_SESSIONS_CHANGED, { action, session } satisfies SessionChange);
