import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { SESSION_ACTIONS } from '../../sessions/constants';
import type { Actor } from '../../sessions/services/access';
import { liveService } from '../../sessions/services/registry';
import { courseRefs, findSession, INSTRUCTOR_FIELDS, type SessionRow } from '../../sessions/store';
import { forbidden, HttpError, notFound } from '../../utils/http';
import { derivedSecret, signToken, verifyToken } from '../../utils/signed-token';
import type {
  PanelRecordingDto,
  RecordingClassFigures,
  RecordingDto,
  RecordingPlayback,
  ReplayChapter,
  ReplayChatMessage,
  ReplayPoll,
  ReplayQuestion,
  ReplayTimeline,
} from '../contracts';
import { findRecording, LESSON_UID, MODULE_UID, numberOrNull, recordings, toSummary, type RecordingRow, type RecordingSegment } from '../store';
import { mediaOffsetMs } from '../timeline';
import { recordingsService } from './registry';

const HLS_TOKEN_PURPOSE = 'recording-hls';
/** A playlist proxied for a viewer: the relative path inside the recording's HLS folder. */
const HLS_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.m3u8$/;
/** Chat kept on a replay's timeline; a longer class shows its latest messages up to this many. */
const MAX_REPLAY_MESSAGES = 20_000;
/** The "I'm lost" heatmap has about this many buckets over the video. */
const HEATMAP_BUCKETS = 100;

export type Viewer = 'staff' | 'student' | 'preview';

const json = <T>(value: T | string | null | undefined): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : (value ?? null));

/**
 * Who may watch a recording, and what they get: the class's mentor and admins (RBAC on the
 * session), students enrolled in its course, and anyone when it is published as a preview
 * lesson. URLs are signed per request and short-lived; HLS playlists (IVS) go through a proxy
 * that signs every segment, since a presigned playlist can't sign the files it names.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const ttl = () => loadEnv('cms').SIGNED_URL_TTL_SECONDS;
  const storage = () => recordingsService(strapi, 'recordingStorage');
  const hlsSecret = () => derivedSecret(loadEnv('cms'), HLS_TOKEN_PURPOSE);
  /** IVS recordings are read from IVS's bucket; local ones from the configured storage. */
  const mediaStorage = (row: RecordingRow) => (row.provider === 'ivs' && row.ivsBucket ? storage().forBucket(row.ivsBucket) : storage().get());

  async function isPreviewLesson(row: RecordingRow): Promise<boolean> {
    if (!row.lessonDocumentId) return false;
    const count = await strapi.db.query(LESSON_UID).count({
      where: { documentId: row.lessonDocumentId, publishedAt: { $notNull: true }, isPreview: true, recording: row.documentId },
    });
    return count > 0;
  }

  async function sessionOf(row: RecordingRow): Promise<SessionRow> {
    const session = await strapi.db.query('plugin::live.live-session' as any).findOne({ where: { id: row.sessionId }, populate: INSTRUCTOR_FIELDS });
    if (!session) throw notFound('This recording’s class no longer exists');
    return session as SessionRow;
  }

  async function playbackOf(row: RecordingRow): Promise<RecordingPlayback | null> {
    if (row.status !== 'ready' || !row.mediaKey) return null;
    const expiresInSeconds = ttl();
    const store = mediaStorage(row);
    const poster = row.posterKey ? await store.signedUrl(row.posterKey, { expiresInSeconds }) : null;
    if (row.mediaKind === 'hls') {
      const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
      const token = signToken(hlsSecret(), HLS_TOKEN_PURPOSE, { r: row.documentId, e: exp });
      return {
        kind: 'hls',
        url: hlsUrl(row, path.posix.basename(row.mediaKey), token),
        posterUrl: poster?.url ?? null,
        expiresAt: new Date(exp * 1000).toISOString(),
      };
    }
    const video = await store.signedUrl(row.mediaKey, { expiresInSeconds });
    return { kind: 'mp4', url: video.url, posterUrl: poster?.url ?? null, expiresAt: video.expiresAt.toISOString() };
  }

  const hlsUrl = (row: RecordingRow, relativePath: string, token: string) =>
    `${loadEnv('cms').PUBLIC_URL.replace(/\/+$/, '')}/api/live/recordings/${row.documentId}/hls/${relativePath}?token=${encodeURIComponent(token)}`;

  async function toDto(row: RecordingRow, viewer: Viewer): Promise<RecordingDto> {
    const store = mediaStorage(row);
    const thumbnails =
      row.status === 'ready'
        ? await Promise.all((json<{ key: string; atMs: number }[]>(row.thumbnails) ?? []).map(async (thumb) => ({ atMs: thumb.atMs, url: (await store.signedUrl(thumb.key, { expiresInSeconds: ttl() })).url })))
        : [];
    return {
      ...toSummary(row),
      provider: row.provider,
      stage: row.status === 'processing' ? (row.stage ?? 'queued') : null,
      progress: row.status === 'processing' ? (row.progress ?? 0) : row.status === 'ready' ? 1 : null,
      // IVS's and ffmpeg's words are for the mentor; students learn only that it failed.
      failureReason: row.status === 'failed' ? (viewer === 'staff' ? row.failureReason : 'The recording could not be processed') : null,
      sizeBytes: numberOrNull(row.sizeBytes),
      thumbnails,
      playback: await playbackOf(row),
      figures: viewer === 'staff' ? json<RecordingClassFigures>(row.figures as RecordingClassFigures | null) : null,
    };
  }

  return {
    /** The recording for someone allowed to watch it; 401/403/404 otherwise. */
    async requireViewable(actor: Actor, documentId: string): Promise<{ row: RecordingRow; viewer: Viewer }> {
      const row = await findRecording(strapi, { documentId });
      if (!row) throw notFound('There is no such recording');
      if (actor.kind === 'admin') {
        const session = await sessionOf(row);
        if (!liveService(strapi, 'liveAccess').canOnSession(actor, SESSION_ACTIONS.read, session)) {
          throw forbidden('Only the class’s mentor or an admin can watch this recording from the panel');
        }
        return { row, viewer: 'staff' };
      }
      if (actor.kind === 'student' && (await liveService(strapi, 'liveAccess').isEnrolled(actor.user.id, row.courseDocumentId))) return { row, viewer: 'student' };
      if (await isPreviewLesson(row)) return { row, viewer: 'preview' };
      if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in to watch this recording');
      // The course (title, slug) lets the site offer "Enroll" / "Buy" right there, as for a class's join.
      const course = (await courseRefs(strapi, [row.courseDocumentId])).get(row.courseDocumentId) ?? null;
      throw new HttpError(403, 'ForbiddenError', 'Enroll in this course to watch its recordings', { course }, { recording: documentId });
    },

    toDto,

    /** The panel's view of a session's recording (the mentor's RBAC on the session is checked by the caller). */
    async forPanel(row: RecordingRow): Promise<PanelRecordingDto> {
      if (row.lessonDocumentId && (await strapi.db.query(LESSON_UID).count({ where: { documentId: row.lessonDocumentId } })) === 0) {
        // Its lesson was deleted in the content manager: no longer published (and deletable, publishable again).
        await recordings(strapi).updateMany({ where: { id: row.id, lessonDocumentId: row.lessonDocumentId }, data: { lessonDocumentId: null } });
        row = { ...row, lessonDocumentId: null };
      }
      const dto = await toDto(row, 'staff');
      const modules = (await strapi.db.query(MODULE_UID).findMany({
        where: { course: { documentId: row.courseDocumentId } },
        select: ['documentId', 'title', 'order'],
        orderBy: [{ order: 'asc' }, { id: 'asc' }],
      })) as { documentId: string; title: string }[];
      const uniqueModules = [...new Map(modules.map((m) => [m.documentId, { id: m.documentId, title: m.title }])).values()];
      const autoPublish = json<{ moduleId: string }>(row.autoPublish);
      const downloadUrl =
        row.status === 'ready' && row.mediaKind === 'mp4' && row.mediaKey
          ? (await mediaStorage(row).signedUrl(row.mediaKey, { expiresInSeconds: ttl(), downloadName: `${row.title.replace(/[^\w\s.-]+/g, '').trim() || 'recording'}.mp4` })).url
          : null;
      return {
        ...dto,
        storage: row.storage,
        downloadUrl,
        autoPublish: autoPublish ? { moduleId: autoPublish.moduleId, moduleTitle: uniqueModules.find((m) => m.id === autoPublish.moduleId)?.title ?? 'a module' } : null,
        modules: uniqueModules,
        deletesInDays: recordingsService(strapi, 'recordings').deletesInDays(row),
      };
    },

    /**
     * The class on the video's clock: chat, questions, polls (with their final results), chapter
     * markers, and the "I'm lost" heatmap. Times come from the events' stream offsets, mapped
     * onto the recording's segments (a reconnect after the grace starts a new one).
     */
    async timeline(row: RecordingRow): Promise<ReplayTimeline> {
      const session = (await findSession(strapi, { id: row.sessionId }))!;
      const segments = json<RecordingSegment[]>(row.segments) ?? [];
      const durationMs = numberOrNull(row.durationMs) ?? segments.reduce((sum, s) => sum + s.durationMs, 0);
      const liveStart = session.startedAt ? new Date(session.startedAt).getTime() : null;
      /** An event's place in the video, from its stream offset (or its own time when it has none). */
      const at = (offsetMs: number | string | null | undefined, fallback: string | Date | null | undefined): number | null => {
        const wall = offsetMs !== null && offsetMs !== undefined && liveStart !== null ? liveStart + Number(offsetMs) : fallback ? new Date(fallback).getTime() : null;
        return wall === null ? null : mediaOffsetMs(segments, wall, durationMs);
      };

      const messageRows = (await strapi.db.query('plugin::live.live-chat-message' as any).findMany({
        where: { sessionId: row.sessionId, deletedAt: { $null: true }, type: { $ne: 'SYSTEM' } },
        select: ['seq', 'text', 'authorName', 'authorKind', 'offsetMs', 'sentAt'],
        orderBy: [{ seq: 'desc' }],
        limit: MAX_REPLAY_MESSAGES,
      })) as any[];
      const chat: ReplayChatMessage[] = messageRows
        .reverse()
        .map((m) => ({ id: Number(m.seq), atMs: at(m.offsetMs, m.sentAt) ?? 0, authorName: m.authorName ?? '', authorRole: m.authorKind ?? 'student', text: m.text }));

      const questionRows = (await strapi.db.query('plugin::live.live-question' as any).findMany({
        where: { sessionId: row.sessionId, state: { $ne: 'withdrawn' } },
        orderBy: [{ askedAt: 'asc' }, { id: 'asc' }],
        limit: 2000,
      })) as any[];
      const questions: ReplayQuestion[] = questionRows.map((q) => ({
        id: q.id,
        atMs: at(q.offsetMs, q.askedAt) ?? 0,
        text: q.text,
        authorName: q.authorName ?? '',
        votes: Number(q.votes ?? 0),
        state: q.state,
        answeredAtMs: q.answeredAt ? at(q.answeredOffsetMs, q.answeredAt) : null,
      }));

      const pollRows = (await strapi.db.query('plugin::live.live-poll' as any).findMany({
        where: { sessionId: row.sessionId, launchedAt: { $notNull: true } },
        orderBy: [{ launchedAt: 'asc' }, { id: 'asc' }],
        limit: 500,
      })) as any[];
      const counts = new Map<number, Map<number, number>>();
      if (pollRows.length > 0) {
        const tallies: any[] = await strapi.db
          .connection('live_poll_votes')
          .select('poll_id', 'option')
          .count({ n: '*' })
          .whereIn(
            'poll_id',
            pollRows.map((p) => p.id)
          )
          .groupBy('poll_id', 'option');
        for (const t of tallies) {
          const perPoll = counts.get(Number(t.poll_id)) ?? new Map<number, number>();
          perPoll.set(Number(t.option), Number(t.n));
          counts.set(Number(t.poll_id), perPoll);
        }
      }
      const polls: ReplayPoll[] = pollRows.map((p) => {
        const options: string[] = json<string[]>(p.options) ?? [];
        const tally = options.map((_, index) => counts.get(p.id)?.get(index) ?? 0);
        const quiz = p.correctOption !== null && p.correctOption !== undefined;
        return {
          id: p.id,
          atMs: at(p.launchedOffsetMs, p.launchedAt) ?? 0,
          closedAtMs: p.closedAt ? at(null, p.closedAt) : null,
          kind: quiz ? 'quiz' : 'poll',
          question: p.question,
          options,
          counts: tally,
          total: tally.reduce((a, b) => a + b, 0),
          correctOption: quiz ? Number(p.correctOption) : null,
        };
      });

      const chapters: ReplayChapter[] = [
        ...questions.map((q) => ({ atMs: q.atMs, kind: 'question' as const, label: q.text.length > 80 ? `${q.text.slice(0, 79)}…` : q.text })),
        ...polls.map((p) => ({ atMs: p.atMs, kind: 'poll' as const, label: p.question.length > 80 ? `${p.question.slice(0, 79)}…` : p.question })),
      ].sort((a, b) => a.atMs - b.atMs);

      const signalRows = (await strapi.db.query('plugin::live.live-signal' as any).findMany({
        where: { sessionId: row.sessionId, kind: 'lost' },
        select: ['offsetMs', 'at'],
        limit: 100_000,
      })) as any[];
      let lost: ReplayTimeline['lost'] = null;
      if (signalRows.length > 0 && durationMs > 0) {
        const bucketMs = Math.max(5000, Math.ceil(durationMs / HEATMAP_BUCKETS / 1000) * 1000);
        const buckets = Array.from({ length: Math.ceil(durationMs / bucketMs) }, () => 0);
        for (const s of signalRows) {
          const t = at(s.offsetMs, s.at);
          if (t !== null) buckets[Math.min(buckets.length - 1, Math.floor(t / bucketMs))] += 1;
        }
        lost = { bucketMs, counts: buckets };
      }

      return { recordingId: row.documentId, durationMs, chat, questions, polls, chapters, lost };
    },

    /**
     * GET /api/live/recordings/:id/hls/<path>.m3u8?token= — an IVS recording's playlist with every
     * segment (and nested playlist) rewritten to a URL this viewer can read until the token expires.
     */
    async hlsPlaylist(documentId: string, relativePath: string, token: unknown): Promise<string> {
      const check = verifyToken(hlsSecret(), HLS_TOKEN_PURPOSE, token);
      const payload = check.ok ? (check.payload as { r?: unknown; e?: unknown }) : null;
      if (!payload || payload.r !== documentId || typeof payload.e !== 'number') throw forbidden('This playback link is not valid');
      const remaining = payload.e - Math.floor(Date.now() / 1000);
      if (remaining <= 0) throw forbidden('This playback link has expired: reload the page');
      if (!HLS_PATH.test(relativePath) || relativePath.includes('..')) throw notFound('There is no such playlist');
      const row = await findRecording(strapi, { documentId });
      if (!row || row.status !== 'ready' || row.mediaKind !== 'hls' || !row.mediaKey) throw notFound('There is no such recording');
      const root = path.posix.dirname(row.mediaKey);
      const store = mediaStorage(row);
      const playlistKey = `${root}/${relativePath}`;
      const text = (await store.getBuffer(playlistKey)).toString('utf8');
      const playlistDir = path.posix.dirname(relativePath) === '.' ? '' : `${path.posix.dirname(relativePath)}/`;
      const sign = async (uri: string): Promise<string> => {
        if (/^[a-z]+:/i.test(uri)) return uri; // absolute already
        const target = path.posix.normalize(`${playlistDir}${uri.split('?')[0]}`);
        if (target.startsWith('..')) throw notFound('The playlist names a file outside the recording');
        if (target.endsWith('.m3u8')) return hlsUrl(row, target, String(token));
        return (await store.signedUrl(`${root}/${target}`, { expiresInSeconds: remaining })).url;
      };
      const lines = text.split(/\r?\n/);
      const out: string[] = [];
      for (const line of lines) {
        if (line.startsWith('#')) {
          // EXT-X-MAP (fMP4 init segment) and EXT-X-MEDIA carry URIs in an attribute.
          const match = /URI="([^"]+)"/.exec(line);
          out.push(match ? line.replace(match[0], `URI="${await sign(match[1])}"`) : line);
        } else if (line.trim()) {
          out.push(await sign(line.trim()));
        } else {
          out.push(line);
        }
      }
      return out.join('\n');
    },
  };
};
