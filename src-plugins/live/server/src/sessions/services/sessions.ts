import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { SCHEDULE_PAST_TOLERANCE_MS, SESSION_ACTIONS } from '../constants';
import type { CreateSessionBody, ListSessionsQuery, SessionDto, SessionStatus, StatusResponse, StreamKeyResponse, UpdateSessionBody } from '../contracts';
import { badRequest, conflict } from '../../utils/http';
import { decryptStreamKey, encryptStreamKey } from '../stream-key-cipher';
import type { Actor } from './access';
import { liveService } from './registry';
import { recordingsService } from '../../recordings/services/registry';
import { realtimeService } from '../../realtime/services/registry';
import {
  announceChange,
  channelOf,
  courseRefs,
  findSession,
  requireSession,
  sessions,
  toSessionDto,
  toPublicSessionDto,
  transition,
  withCourses,
  type SessionRow,
} from '../store';

const encryptionSecret = () => loadEnv('cms').DATA_ENCRYPTION_KEY ?? '';

const STATUS_WORDS: Record<SessionStatus, string> = {
  SCHEDULED: 'has not started yet',
  LIVE: 'is live',
  ENDED: 'has ended',
  CANCELLED: 'was cancelled',
};

/**
 * Live sessions: scheduling, the status state machine and the stream key.
 *
 *   SCHEDULED ──start / encoder publishes──► LIVE ──end / encoder gone past the grace──► ENDED
 *       └──────────── DELETE (frees the channel) ──► CANCELLED
 *
 * ENDED and CANCELLED are final. `end` and `DELETE` repeat harmlessly; anything else out of
 * order is a 409 naming the state the session is in.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const access = () => liveService(strapi, 'liveAccess');
  const provider = () => liveService(strapi, 'liveProvider');

  const dto = async (row: SessionRow) => toSessionDto(row, (await courseRefs(strapi, [row.courseDocumentId])).get(row.courseDocumentId) ?? null);

  const load = async (actor: Actor, action: (typeof SESSION_ACTIONS)[keyof typeof SESSION_ACTIONS], documentId: string) => {
    access().requireAction(actor, action);
    const row = await requireSession(strapi, documentId);
    const admin = access().requireSession(actor, action, row);
    return { row, admin };
  };

  const checkSchedule = (scheduledAt: string) => {
    if (new Date(scheduledAt).getTime() < Date.now() - SCHEDULE_PAST_TOLERANCE_MS) {
      throw badRequest('scheduledAt: must not be in the past', {}, { errors: [{ path: ['scheduledAt'], message: 'must not be in the past', name: 'ValidationError' }] });
    }
  };

  return {
    dto,

    async list(actor: Actor, query: ListSessionsQuery) {
      const filters: Record<string, unknown>[] = [access().sessionFilter(actor, SESSION_ACTIONS.read)];
      if (query.status) filters.push({ status: query.status });
      if (query.when === 'upcoming') filters.push({ status: { $in: ['SCHEDULED', 'LIVE'] } });
      if (query.when === 'past') filters.push({ status: { $in: ['ENDED', 'CANCELLED'] } });
      if (query.course) filters.push({ courseDocumentId: query.course });
      const where = { $and: filters };
      const [rows, total] = await Promise.all([
        sessions(strapi).findMany({
          where,
          populate: { instructor: { select: ['id', 'firstname', 'lastname', 'email'] } } as any,
          orderBy: query.when === 'past' ? [{ scheduledAt: 'desc' }, { id: 'desc' }] : [{ scheduledAt: 'asc' }, { id: 'asc' }],
          offset: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
        }),
        sessions(strapi).count({ where }),
      ]);
      return {
        results: await withCourses(strapi, rows as SessionRow[], toSessionDto),
        pagination: { page: query.page, pageSize: query.pageSize, pageCount: Math.ceil(total / query.pageSize), total },
      };
    },

    async get(actor: Actor, documentId: string) {
      const { row } = await load(actor, SESSION_ACTIONS.read, documentId);
      return dto(row);
    },

    /**
     * Schedules a class: the row first, then its channel (so the channel is named after the
     * session); if the provider fails, the row is removed again — nothing half-made is left.
     */
    async create(actor: Actor, body: CreateSessionBody) {
      const admin = access().requireAction(actor, SESSION_ACTIONS.create);
      const scope = access().scope(actor, SESSION_ACTIONS.create);
      checkSchedule(body.scheduledAt);
      const course = await access().courseForScheduling(admin, body.courseId, scope);
      if (!course) throw badRequest('courseId: no published course has this id', { course: body.courseId });

      let instructorId = admin.user.id;
      if (body.instructorId !== undefined && body.instructorId !== admin.user.id) {
        if (scope !== 'all') throw badRequest('instructorId: mentors schedule classes for themselves only');
        const instructor = await strapi.db.query('admin::user').findOne({ where: { id: body.instructorId, isActive: true }, select: ['id'] });
        if (!instructor) throw badRequest('instructorId: no active admin user has this id');
        instructorId = body.instructorId;
      }

      const live = provider().get();
      const created = (await sessions(strapi).create({
        data: {
          title: body.title,
          description: body.description ?? null,
          scheduledAt: new Date(body.scheduledAt),
          status: 'SCHEDULED',
          provider: live.name,
          recording: body.recording ?? true,
          courseDocumentId: course.documentId,
          instructor: instructorId,
        },
      })) as SessionRow;

      try {
        const channel = await provider().call('create channel', (p) =>
          p.createChannel({ sessionId: created.documentId, title: body.title, recording: body.recording ?? true })
        );
        try {
          await sessions(strapi).update({
            where: { id: created.id },
            data: {
              channelId: channel.channelId,
              ingestServer: channel.ingestServer,
              playbackUrl: channel.playbackUrl,
              streamKeyRef: channel.streamKeyRef,
              streamKeyCipher: encryptStreamKey(channel.streamKey, encryptionSecret()),
            },
          });
        } catch (error) {
          await live.deleteChannel(channel).catch(() => undefined);
          throw error;
        }
      } catch (error) {
        await sessions(strapi).delete({ where: { id: created.id } });
        throw error;
      }
      strapi.log.info(`[live] session ${created.documentId} scheduled by admin ${admin.user.id} for course ${course.documentId}`);
      const scheduled = (await findSession(strapi, { id: created.id }))!;
      // With the row: the realtime module makes the class's IVS Chat room (CHAT_PROVIDER=ivs-chat).
      announceChange(strapi, 'create', scheduled);
      return dto(scheduled);
    },

    async update(actor: Actor, documentId: string, body: UpdateSessionBody) {
      const { row } = await load(actor, SESSION_ACTIONS.update, documentId);
      if (row.status === 'ENDED' || row.status === 'CANCELLED') {
        throw conflict(`This session ${STATUS_WORDS[row.status]}: it can't be edited`, { session: documentId });
      }
      if (row.status === 'LIVE' && (body.scheduledAt !== undefined || body.recording !== undefined)) {
        throw conflict('This session is live: only its title and description can be changed now', { session: documentId });
      }
      if (body.scheduledAt !== undefined) checkSchedule(body.scheduledAt);
      const data: Record<string, unknown> = {};
      if (body.title !== undefined) data.title = body.title;
      if (body.description !== undefined) data.description = body.description;
      if (body.scheduledAt !== undefined) data.scheduledAt = new Date(body.scheduledAt);
      if (body.recording !== undefined) data.recording = body.recording;
      const channel = channelOf(row);
      if (body.recording !== undefined && body.recording !== row.recording && channel) {
        // The switch must reach the provider (IVS: the channel's recording configuration), or it would do nothing.
        await provider().call('switch recording', (p) => p.setRecording(channel, body.recording!));
      }
      const updated = await transition(strapi, row, ['SCHEDULED', 'LIVE'], data);
      if (!updated) throw conflict('The session changed state while you were editing it: reload and try again', { session: documentId });
      return dto(updated);
    },

    /** DELETE: cancels a scheduled session and frees its channel. Cancelling again is a no-op. */
    async cancel(actor: Actor, documentId: string): Promise<SessionDto> {
      const { row } = await load(actor, SESSION_ACTIONS.delete, documentId);
      if (row.status === 'CANCELLED') return dto(row);
      if (row.status !== 'SCHEDULED') {
        throw conflict(
          row.status === 'LIVE' ? 'This session is live: end it before cancelling' : 'This session has ended: ended sessions are kept for their attendance and analytics',
          { session: documentId }
        );
      }
      const cancelled = await transition(strapi, row, ['SCHEDULED'], { status: 'CANCELLED', streamKeyCipher: null });
      if (!cancelled) return this.cancel(actor, documentId);
      const channel = channelOf(row);
      if (channel) {
        await provider()
          .call('delete channel', (p) => p.deleteChannel(channel))
          .catch((error) => strapi.log.warn(`[live] channel of cancelled session ${documentId} not freed: ${error.message}`));
      }
      return dto(cancelled);
    },

    /** "Go live": students can join from now on (the player waits for the encoder if it isn't sending yet). */
    async start(actor: Actor, documentId: string) {
      const { row } = await load(actor, SESSION_ACTIONS.control, documentId);
      if (row.status === 'LIVE') return dto(row);
      if (row.status !== 'SCHEDULED') throw conflict(`This session ${STATUS_WORDS[row.status]}: it can't go live again`, { session: documentId });
      const started = await transition(strapi, row, ['SCHEDULED'], { status: 'LIVE', startedAt: new Date() });
      return dto(started ?? (await requireSession(strapi, documentId)));
    },

    /** Ends the class: stops the stream, refuses the key from now on, closes attendance. Idempotent. */
    async end(actor: Actor, documentId: string) {
      const { row } = await load(actor, SESSION_ACTIONS.control, documentId);
      if (row.status === 'ENDED') return dto(row);
      if (row.status !== 'LIVE') {
        throw conflict(
          row.status === 'SCHEDULED' ? 'This session has not started: cancel it instead of ending it' : `This session ${STATUS_WORDS[row.status]}`,
          { session: documentId }
        );
      }
      return dto(await this.finish(row, new Date()));
    },

    /** LIVE → ENDED, from the mentor or the provider. Returns the session as it is afterwards. */
    async finish(row: SessionRow, at: Date): Promise<SessionRow> {
      const ended = await transition(strapi, row, ['LIVE'], { status: 'ENDED', endedAt: at });
      if (!ended) return (await findSession(strapi, { id: row.id }))!;
      await liveService(strapi, 'attendance').closeAll(ended, at);
      // After closeAll, so the watch time of those still watching at the end counts.
      await liveService(strapi, 'liveEngagement')
        .markAttended(ended)
        .catch((error) => strapi.log.error(`[live] attendance of ended session ${ended.documentId} not marked: ${error.message}`));
      const channel = channelOf(ended);
      if (channel) {
        await provider()
          .call('retire channel', (p) => p.retireChannel(channel))
          .catch((error) => strapi.log.warn(`[live] stream of ended session ${ended.documentId} not stopped: ${error.message}`));
      }
      // After the retire: the local ingest closes the recording file as the publish ends.
      await recordingsService(strapi, 'recordings')
        .sessionEnded(ended)
        .catch((error) => strapi.log.error(`[live] recording of ended session ${ended.documentId} not handed to processing: ${error.message}`));
      strapi.log.info(`[live] session ${ended.documentId} ended`);
      return (await findSession(strapi, { id: row.id }))!;
    },

    async status(actor: Actor, documentId: string): Promise<StatusResponse> {
      const { row } = await load(actor, SESSION_ACTIONS.read, documentId);
      const channel = channelOf(row);
      const stream =
        channel && (row.status === 'SCHEDULED' || row.status === 'LIVE')
          ? await provider().call('stream health', (p) => p.streamHealth(channel))
          : { live: false, health: 'UNKNOWN' as const, startedAt: null, viewerCount: null, bitrateKbps: null, fps: null, keyframeIntervalSeconds: null, warnings: [] };
      // Live connections, not a recount of attendance rows: this is polled every few seconds.
      const viewers = row.status === 'LIVE' ? await realtimeService(strapi, 'realtimePresence').count(row.documentId) : 0;
      return {
        status: row.status,
        startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null,
        endedAt: row.endedAt ? new Date(row.endedAt).toISOString() : null,
        stream,
        viewers,
      };
    },

    /** The OBS settings. Only for the session's mentor and super-admins; never logged. */
    async streamKey(actor: Actor, documentId: string): Promise<StreamKeyResponse> {
      const { row, admin } = await load(actor, SESSION_ACTIONS.streamKey, documentId);
      if (row.status === 'ENDED' || row.status === 'CANCELLED' || !row.streamKeyCipher) {
        throw conflict(`This session ${STATUS_WORDS[row.status]}: it has no stream key any more`, { session: documentId });
      }
      strapi.log.info(`[live] stream key of session ${documentId} read by admin ${admin.user.id}`);
      return { server: row.ingestServer ?? '', streamKey: decryptStreamKey(row.streamKeyCipher, encryptionSecret()) };
    },

    async regenerateStreamKey(actor: Actor, documentId: string): Promise<StreamKeyResponse> {
      const { row, admin } = await load(actor, SESSION_ACTIONS.streamKey, documentId);
      const channel = channelOf(row);
      if (row.status === 'ENDED' || row.status === 'CANCELLED' || !channel) {
        throw conflict(`This session ${STATUS_WORDS[row.status]}: its stream key can't be regenerated`, { session: documentId });
      }
      const fresh = await provider().call('regenerate stream key', (p) => p.regenerateStreamKey(channel));
      await sessions(strapi).update({
        where: { id: row.id },
        data: { streamKeyRef: fresh.streamKeyRef, streamKeyCipher: encryptStreamKey(fresh.streamKey, encryptionSecret()) },
      });
      strapi.log.info(`[live] stream key of session ${documentId} regenerated by admin ${admin.user.id}`);
      return { server: row.ingestServer ?? '', streamKey: fresh.streamKey };
    },

    /** Public: a course's coming and running classes (title, time, status only). */
    async upcoming(courseDocumentIds: string[], limit: number) {
      const query = (status: SessionStatus, take: number) =>
        take <= 0
          ? Promise.resolve([])
          : sessions(strapi).findMany({
              where: { courseDocumentId: { $in: courseDocumentIds }, status },
              select: ['id', 'documentId', 'title', 'scheduledAt', 'status', 'courseDocumentId'],
              orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
              limit: take,
            });
      // Classes running now first, then the next ones.
      const live = (await query('LIVE', limit)) as SessionRow[];
      const next = (await query('SCHEDULED', limit - live.length)) as SessionRow[];
      return withCourses(strapi, [...live, ...next], toPublicSessionDto);
    },

    /** After a restart: hands the local ingest the keys of sessions that can still be streamed to. */
    async restoreChannels() {
      const live = provider().get();
      const rows = (await sessions(strapi).findMany({
        where: { status: { $in: ['SCHEDULED', 'LIVE'] }, provider: live.name, channelId: { $notNull: true } },
        select: ['id', 'documentId', 'provider', 'channelId', 'ingestServer', 'playbackUrl', 'streamKeyRef', 'streamKeyCipher', 'recording'],
      })) as SessionRow[];
      for (const row of rows) {
        if (!row.streamKeyCipher) continue;
        try {
          live.restoreChannel(channelOf(row)!, decryptStreamKey(row.streamKeyCipher, encryptionSecret()), { recording: row.recording === true });
        } catch (error) {
          strapi.log.warn(`[live] stream key of session ${row.documentId} not restored (${(error as Error).message}): regenerate it in the panel`);
        }
      }
      return rows.length;
    },
  };
};
