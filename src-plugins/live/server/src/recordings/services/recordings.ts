import { rm } from 'node:fs/promises';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import type { RecordingFileEvent } from '../../sessions/providers/types';
import { announceChange, findSession, sessions, type SessionRow } from '../../sessions/store';
import { conflict, notFound } from '../../utils/http';
import { isUniqueViolation } from '../../utils/db-errors';
import type { PastClassDto, PastClassesQuery, RecordingStatus } from '../contracts';
import { recordingPrefix, recordingWorkDir } from '../paths';
import { findRecording, recordings, toSummary, transitionRecording, type RecordingRow, type RecordingSource } from '../store';
import type { IvsRecordingEvent } from '../ivs-events';
import { recordingsService } from './registry';

const DAY_MS = 24 * 3600_000;
/** Statuses a recording moves through; an event never moves it back. */
const ORDER: Record<RecordingStatus, number> = { recording: 0, processing: 1, ready: 2, failed: 2 };

/**
 * A recording's life: created when the first media is recorded (the local ingest's file, or IVS's
 * "Recording Start"), handed to processing when the class has ended and every file is complete,
 * ready or failed when processing is done. Events may repeat or arrive out of order (IVS's
 * EventBridge), so every step is a guarded transition that moves forward only.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Local file events of one session are applied one after another (their JSON list is read-modify-write). */
  const queues = new Map<number, Promise<unknown>>();
  const serially = <T>(sessionId: number, run: () => Promise<T>): Promise<T> => {
    const previous = queues.get(sessionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    queues.set(sessionId, next);
    void next.finally(() => {
      if (queues.get(sessionId) === next) queues.delete(sessionId);
    });
    return next;
  };

  const storageKind = () => (loadEnv('cms').UPLOAD_PROVIDER === 's3' ? 's3' : 'disk');

  /** The one recording row of a session, created on first need (a unique index on sessionId settles races). */
  async function ensureRecording(session: SessionRow, data: Record<string, unknown>): Promise<RecordingRow> {
    const existing = await findRecording(strapi, { sessionId: session.id });
    if (existing) return existing;
    try {
      return (await recordings(strapi).create({
        data: {
          sessionId: session.id,
          sessionDocumentId: session.documentId,
          courseDocumentId: session.courseDocumentId,
          title: session.title,
          provider: session.provider,
          storage: storageKind(),
          status: 'recording',
          attempts: 0,
          ...data,
        },
      })) as RecordingRow;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await findRecording(strapi, { sessionId: session.id }))!;
    }
  }

  /** Processing starts once the class is over and every file the ingest wrote is complete. */
  async function handOverIfComplete(row: RecordingRow): Promise<RecordingRow> {
    if (row.status !== 'recording') return row;
    const session = await findSession(strapi, { id: row.sessionId });
    if (!session || (session.status !== 'ENDED' && session.status !== 'CANCELLED')) return row;
    const sources = row.sources ?? [];
    if (row.provider === 'local' && (sources.length === 0 || sources.some((source) => !source.endedAt))) return row;
    const handed = await transitionRecording(strapi, row, ['recording'], {
      status: 'processing',
      stage: 'queued',
      progress: 0,
      recordingEndedAt: row.recordingEndedAt ?? session.endedAt ?? new Date(),
      figures: await classFigures(session),
    });
    if (!handed) return (await findRecording(strapi, { id: row.id }))!;
    strapi.log.info(`[live] recording ${handed.documentId} of session ${session.documentId} queued for processing`);
    recordingsService(strapi, 'recordingProcessor').kick();
    return handed;
  }

  /** The class's engagement, kept with its recording: peak and total viewers, watch time, messages. */
  async function classFigures(session: SessionRow) {
    const watch = (await strapi.db
      .connection('live_attendees')
      .where({ session_id: session.id })
      .sum({ total: 'watch_duration' })
      .first()) as { total: number | string | null } | undefined;
    return {
      peakViewers: Number(session.peakViewers ?? 0),
      totalViewers: Number(session.totalViewers ?? 0),
      watchTimeSeconds: Number(watch?.total ?? 0),
      messageCount: Number(session.chatMessages ?? 0),
    };
  }

  return {
    /** The local ingest opened or closed a recording file of a channel. */
    async applyFileEvent(event: RecordingFileEvent): Promise<RecordingRow | null> {
      const session = await findSession(strapi, { channelId: event.channelId });
      if (!session) {
        strapi.log.warn(`[live] a recording file for a channel no session uses (${event.type}); left on disk`);
        return null;
      }
      return serially(session.id, async () => {
        const at = event.at.toISOString();
        if (event.type === 'started') {
          const row = await ensureRecording(session, { recordingStartedAt: event.at, sources: [] });
          if (row.status !== 'recording') {
            // A publish after the recording was handed over (the class had ended): not part of it.
            strapi.log.warn(`[live] session ${session.documentId} was recorded again after its recording was processed; the new file is ignored`);
            return row;
          }
          const sources: RecordingSource[] = [...(row.sources ?? []).filter((s) => s.file !== event.file), { file: event.file, startedAt: at, endedAt: null }];
          return (await transitionRecording(strapi, row, ['recording'], { sources, recordingStartedAt: row.recordingStartedAt ?? event.at })) ?? row;
        }
        const row = await findRecording(strapi, { sessionId: session.id });
        if (!row || row.status !== 'recording') return row;
        const sources = (row.sources ?? []).map((source) => (source.file === event.file ? { ...source, endedAt: at } : source));
        const updated = (await transitionRecording(strapi, row, ['recording'], { sources, recordingEndedAt: event.at })) ?? row;
        return handOverIfComplete(updated);
      });
    },

    /** The class ended (mentor or encoder): its recording goes to processing when its files are complete. */
    async sessionEnded(session: SessionRow): Promise<RecordingRow | null> {
      return serially(session.id, async () => {
        const row = await findRecording(strapi, { sessionId: session.id });
        return row ? handOverIfComplete(row) : null;
      });
    },

    /**
     * "IVS Recording State Change", delivered by EventBridge: best effort, possibly twice, late or
     * out of order. Start creates the row; End hands it to the importer (which reads
     * recording-ended.json); failures mark it failed with IVS's words. Never moves backwards.
     */
    async applyIvsEvent(event: IvsRecordingEvent): Promise<'unknown-channel' | 'stale' | 'applied'> {
      const session = await findSession(strapi, { channelId: event.channelArn });
      if (!session) return 'unknown-channel';
      return serially(session.id, async () => {
        const row = await ensureRecording(session, {
          recordingStartedAt: event.type === 'started' ? event.at : null,
          ivsBucket: event.bucket,
          ivsPrefix: event.prefix,
          ivsRecordingSessionId: event.recordingSessionId,
        });
        const target: RecordingStatus = event.type === 'started' ? 'recording' : event.type === 'ended' ? 'processing' : 'failed';
        const location = { ivsBucket: event.bucket, ivsPrefix: event.prefix, ivsRecordingSessionId: event.recordingSessionId ?? row.ivsRecordingSessionId };
        if (ORDER[target] < ORDER[row.status] || (ORDER[target] === ORDER[row.status] && target !== 'recording')) {
          // A Start after its End, a second End: nothing to undo. Still fill in what an earlier event lacked.
          if (!row.ivsPrefix && event.prefix) await transitionRecording(strapi, row, [row.status], location);
          return 'stale';
        }
        if (target === 'recording') {
          // The same Start again (EventBridge redelivers): nothing new.
          if (row.lastEventAt && event.at.getTime() <= new Date(row.lastEventAt).getTime()) return 'stale';
          const earliest = row.recordingStartedAt && new Date(row.recordingStartedAt) < event.at ? row.recordingStartedAt : event.at;
          await transitionRecording(strapi, row, ['recording'], { ...location, recordingStartedAt: earliest, lastEventAt: event.at });
          return 'applied';
        }
        if (target === 'failed') {
          const reason = `Amazon IVS reported "${event.status}"${event.reason ? `: ${event.reason}` : ''}`;
          await transitionRecording(strapi, row, ['recording', 'processing'], { ...location, status: 'failed', stage: null, failureReason: reason, lastEventAt: event.at });
          strapi.log.warn(`[live] recording of session ${session.documentId} failed on Amazon IVS (${event.status})`);
          return 'applied';
        }
        const handed = await transitionRecording(strapi, row, ['recording'], {
          ...location,
          status: 'processing',
          stage: 'queued',
          progress: 0,
          recordingEndedAt: event.at,
          ...(event.durationMs !== null ? { durationMs: event.durationMs } : {}),
          lastEventAt: event.at,
          figures: await classFigures((await findSession(strapi, { id: session.id }))!),
        });
        if (handed) recordingsService(strapi, 'recordingProcessor').kick();
        return 'applied';
      });
    },

    /**
     * After a restart: local recordings whose files were being written when the process stopped are
     * complete as far as they go (NMS never got to close them). Ended classes go to processing;
     * classes still live continue (the encoder's next publish starts a new file).
     */
    async recover(): Promise<number> {
      const open = (await recordings(strapi).findMany({ where: { status: 'recording', provider: 'local' } })) as RecordingRow[];
      let handed = 0;
      for (const row of open) {
        await serially(row.sessionId, async () => {
          const session = await findSession(strapi, { id: row.sessionId });
          if (!session || (session.status !== 'ENDED' && session.status !== 'CANCELLED')) return;
          const sources = (row.sources ?? []).map((source) => (source.endedAt ? source : { ...source, endedAt: new Date().toISOString() }));
          const fresh = (await transitionRecording(strapi, row, ['recording'], { sources })) ?? row;
          if (sources.length === 0) {
            await transitionRecording(strapi, fresh, ['recording'], { status: 'failed', failureReason: 'The server stopped before the recording wrote anything' });
            return;
          }
          if ((await handOverIfComplete(fresh)).status === 'processing') handed += 1;
        });
      }
      return handed;
    },

    /** Failed local recordings whose raw files are still there can be processed again. */
    async retry(row: RecordingRow): Promise<RecordingRow> {
      if (row.status !== 'failed') throw conflict(`This recording is ${row.status}: only a failed recording can be retried`, { recording: row.documentId });
      if (row.provider !== 'local' || (row.sources ?? []).length === 0) {
        throw conflict('This recording was made by Amazon IVS: there is nothing here to process again', { recording: row.documentId });
      }
      const retried = await transitionRecording(strapi, row, ['failed'], { status: 'processing', stage: 'queued', progress: 0, failureReason: null, attempts: 0, leaseOwner: null, leaseUntil: null });
      if (!retried) return (await findRecording(strapi, { id: row.id }))!;
      recordingsService(strapi, 'recordingProcessor').kick();
      return retried;
    },

    /** Deletes the recording and every stored file of it (video, poster, thumbnails, the raw FLV; IVS's objects too). */
    async remove(row: RecordingRow): Promise<void> {
      if (row.lessonDocumentId) {
        const lesson = await strapi.db.query('api::lesson.lesson').findOne({ where: { documentId: row.lessonDocumentId }, select: ['id', 'title'] });
        if (lesson) throw conflict(`This recording is published as the lesson "${lesson.title}": delete the lesson first`, { recording: row.documentId });
      }
      if (row.status === 'recording' || (row.status === 'processing' && row.leaseUntil && new Date(row.leaseUntil).getTime() > Date.now())) {
        throw conflict(`This recording is ${row.status === 'recording' ? 'still being recorded' : 'being processed'}: delete it when it is ready`, { recording: row.documentId });
      }
      const storage = recordingsService(strapi, 'recordingStorage');
      await storage.get().deletePrefix(recordingPrefix(row.documentId));
      if (row.provider === 'ivs' && row.ivsBucket && row.ivsPrefix) await storage.forBucket(row.ivsBucket).deletePrefix(row.ivsPrefix.endsWith('/') ? row.ivsPrefix : `${row.ivsPrefix}/`);
      for (const source of row.sources ?? []) await rm(source.file, { force: true });
      await rm(recordingWorkDir(strapi, row.documentId), { recursive: true, force: true });
      await recordings(strapi).delete({ where: { id: row.id } });
      await sessions(strapi).updateMany({ where: { id: row.sessionId }, data: { recordingRef: null, recordingDeletedAt: new Date() } });
      announceChange(strapi, 'recording-deleted', await findSession(strapi, { id: row.sessionId }));
      strapi.log.info(`[live] recording ${row.documentId} of session ${row.sessionDocumentId} deleted with its files`);
    },

    /** Public: a course's classes that have ended, newest first, with their recording's state. */
    async pastClasses(query: PastClassesQuery): Promise<PastClassDto[]> {
      const rows = (await sessions(strapi).findMany({
        where: { courseDocumentId: { $in: query.course }, status: 'ENDED' },
        select: ['id', 'documentId', 'title', 'courseDocumentId', 'startedAt', 'endedAt'],
        orderBy: [{ endedAt: 'desc' }, { id: 'desc' }],
        limit: query.limit,
      })) as SessionRow[];
      if (rows.length === 0) return [];
      const found = (await recordings(strapi).findMany({
        where: { sessionId: { $in: rows.map((row) => row.id) } },
        select: ['id', 'documentId', 'sessionId', 'sessionDocumentId', 'courseDocumentId', 'title', 'status', 'durationMs', 'lessonDocumentId', 'recordingStartedAt'],
      })) as RecordingRow[];
      const bySession = new Map(found.map((row) => [row.sessionId, row]));
      const courses = (await strapi.db.query('api::course.course').findMany({
        where: { documentId: { $in: [...new Set(rows.map((row) => row.courseDocumentId))] }, publishedAt: { $notNull: true } },
        select: ['documentId', 'title', 'slug'],
      })) as { documentId: string; title: string; slug: string }[];
      const courseOf = new Map(courses.map((course) => [course.documentId, course]));
      // A course taken off the catalog takes its past classes with it.
      return rows.filter((row) => courseOf.has(row.courseDocumentId)).map((row) => {
        const recording = bySession.get(row.id);
        const course = courseOf.get(row.courseDocumentId);
        const summary = recording ? toSummary(recording) : null;
        return {
          sessionId: row.documentId,
          title: row.title,
          courseId: row.courseDocumentId,
          courseTitle: course?.title ?? null,
          courseSlug: course?.slug ?? null,
          startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null,
          endedAt: row.endedAt ? new Date(row.endedAt).toISOString() : null,
          recording: summary ? { id: summary.id, status: summary.status, durationMs: summary.durationMs, lessonId: summary.lessonId } : null,
        };
      });
    },

    /** The recording of a session, or a 404 that says why. */
    async requireForSession(session: SessionRow): Promise<RecordingRow> {
      const row = await findRecording(strapi, { sessionId: session.id });
      if (!row) {
        throw notFound(
          session.recordingDeletedAt
            ? `This class's recording was deleted on ${new Date(session.recordingDeletedAt).toISOString().slice(0, 10)}`
            : !session.recording
            ? 'This class is not recorded (recording was off)'
            : session.status === 'ENDED'
              ? 'This class has no recording: the encoder never sent video while it was recorded'
              : 'This class has no recording yet: it starts when the encoder sends video'
        );
      }
      return row;
    },

    /**
     * The daily retention job: recordings not published as a lesson and older than
     * RECORDING_RETENTION_DAYS are deleted with their files (published ones are kept). Logged.
     */
    async sweepRetention(now = new Date()): Promise<number> {
      const days = loadEnv('cms').RECORDING_RETENTION_DAYS;
      if (days === 0) return 0;
      const expired = (await recordings(strapi).findMany({
        where: { status: { $in: ['ready', 'failed'] }, lessonDocumentId: { $null: true }, createdAt: { $lt: new Date(now.getTime() - days * DAY_MS) } },
        limit: 100,
      })) as RecordingRow[];
      let deleted = 0;
      for (const row of expired) {
        try {
          await this.remove(row);
          deleted += 1;
          strapi.log.info(`[live] retention: deleted recording ${row.documentId} ("${row.title}", ${days}+ days old, never published)`);
        } catch (error) {
          strapi.log.warn(`[live] retention: recording ${row.documentId} not deleted: ${(error as Error).message}`);
        }
      }
      return deleted;
    },

    /** Days until the retention job deletes this recording; null when it is kept. */
    deletesInDays(row: RecordingRow, now = Date.now()): number | null {
      const days = loadEnv('cms').RECORDING_RETENTION_DAYS;
      if (days === 0 || row.lessonDocumentId || (row.status !== 'ready' && row.status !== 'failed')) return null;
      return Math.max(0, Math.ceil((new Date(row.createdAt).getTime() + days * DAY_MS - now) / DAY_MS));
    },
  };
};
