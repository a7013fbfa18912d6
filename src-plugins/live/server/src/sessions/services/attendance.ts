import type { Core } from '@strapi/strapi';
import { loadEnv, corsOrigins } from '@skillyug/config';
import { ATTENDEE_UID, MAX_ATTENDANCE_INTERVALS, SESSION_ACTIONS, SESSION_UID } from '../constants';
import { peakConcurrent } from './timeline';
import { createAttendanceWriter } from './attendance-writer';
import type { JoinResponse, LeaveResponse, ViewersResponse } from '../contracts';
import type { AttendanceEntryDto } from '../../realtime/contracts';
import { realtimeService } from '../../realtime/services/registry';
import { studentName } from '../../realtime/services/grants';
import { conflict, forbidden, HttpError, notFound } from '../../utils/http';
import { classJoins } from '../../utils/metrics';
import type { Actor } from './access';
import { liveService } from './registry';
import { channelOf, courseRefs, requireSession, requireSessionLean, type SessionRow } from '../store';

type Interval = [string, string | null];
type AttendeeRow = {
  id: number;
  sessionId: number;
  userId: number;
  joinedAt: string | Date;
  leftAt: string | Date | null;
  activeSince: string | Date | null;
  watchDuration: number;
  intervals: Interval[] | null;
};

const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);
const seconds = (from: string | Date, to: Date) => Math.max(0, Math.round((to.getTime() - new Date(from).getTime()) / 1000));

/** Appends an open interval, merging the oldest ones so a flaky connection can't grow the row without bound. */
function openInterval(intervals: Interval[] | null, at: Date): Interval[] {
  const list = [...(intervals ?? []), [at.toISOString(), null] as Interval];
  while (list.length > MAX_ATTENDANCE_INTERVALS) {
    const [first, second] = list.splice(0, 2);
    list.unshift([first[0], second[1]]);
  }
  return list;
}

function closeInterval(intervals: Interval[] | null, at: Date): Interval[] {
  const list = [...(intervals ?? [])];
  const last = list[list.length - 1];
  if (last && last[1] === null) list[list.length - 1] = [last[0], at.toISOString()];
  return list;
}

/**
 * Who watches a class: join (access check, attendance, a playback URL for this viewer only),
 * leave (watch time), the audience figures. One attendee row per session and student (a unique
 * index on session_id, user_id): joining again reopens it.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const attendees = () => strapi.db.query(ATTENDEE_UID as any);

  /** The `aws:access-control-allow-origin` of a playback token: the caller's origin if it's one of ours. */
  const playbackOrigin = (origin: string | undefined) => {
    const env = loadEnv('cms');
    return origin && corsOrigins(env).includes(origin) ? origin : new URL(env.SITE_URL).origin;
  };

  const findAttendee = (sessionId: number, userId: number) =>
    attendees().findOne({ where: { sessionId, userId } }) as Promise<AttendeeRow | null>;

  const firstJoins = createAttendanceWriter(strapi);

  /**
   * Records (or reopens) a student's attendance; returns the row as it is now. The insert comes
   * first (group-committed with the other joins of the moment): at class start nearly every join
   * is a first one, and the unique index turns a second tab or a re-join into the reopen path.
   */
  async function attend(row: SessionRow, userId: number, now: Date): Promise<Pick<AttendeeRow, 'joinedAt' | 'watchDuration'>> {
    if (await firstJoins.insert(row.id, userId, now)) return { joinedAt: now, watchDuration: 0 };
    const attendee = (await findAttendee(row.id, userId))!;
    if (attendee.activeSince) return attendee;
    // Reopen only if nobody else did in between (guarded on activeSince being null).
    await attendees().updateMany({
      where: { id: attendee.id, activeSince: { $null: true } },
      data: { activeSince: now, leftAt: null, intervals: openInterval(attendee.intervals, now) },
    });
    return (await attendees().findOne({ where: { id: attendee.id } })) as AttendeeRow;
  }

  /** Closes an open attendance at `at`, adding the watched time. False if it was already closed. */
  async function close(attendee: AttendeeRow, at: Date): Promise<boolean> {
    if (!attendee.activeSince) return false;
    const { count } = await attendees().updateMany({
      where: { id: attendee.id, activeSince: attendee.activeSince },
      data: {
        activeSince: null,
        leftAt: at,
        watchDuration: (attendee.watchDuration ?? 0) + seconds(attendee.activeSince, at),
        intervals: closeInterval(attendee.intervals, at),
      },
    });
    return count === 1;
  }

  /**
   * The audience figures, counted from the attendee rows (watching now, distinct viewers, the
   * peak from their intervals) and written back to the session row, where lists read them.
   * Counting here keeps join — the hot path — to one insert.
   */
  async function audience(row: SessionRow, now = new Date()) {
    const rows = (await attendees().findMany({
      where: { sessionId: row.id },
      select: ['id', 'userId', 'joinedAt', 'activeSince', 'watchDuration', 'intervals'],
    })) as AttendeeRow[];
    const figures = {
      currentViewers: rows.filter((a) => a.activeSince).length,
      totalViewers: rows.length,
      peakViewers: Math.max(row.peakViewers ?? 0, peakConcurrent(rows.map((a) => a.intervals ?? []), now)),
    };
    if (figures.currentViewers !== row.currentViewers || figures.totalViewers !== row.totalViewers || figures.peakViewers !== row.peakViewers) {
      await strapi.db.query(SESSION_UID as any).update({ where: { id: row.id }, data: figures });
    }
    return { ...figures, rows };
  }

  return {
    async join(actor: Actor, documentId: string, origin: string | undefined): Promise<JoinResponse> {
      if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in to join this class');
      const row = actor.kind === 'admin' ? await requireSession(strapi, documentId) : await requireSessionLean(strapi, documentId);
      if (actor.kind === 'student') {
        if (!(await liveService(strapi, 'liveAccess').isEnrolled(actor.user.id, row.courseDocumentId))) {
          // The course (public) lets the site show its enroll / buy button.
          const course = (await courseRefs(strapi, [row.courseDocumentId])).get(row.courseDocumentId) ?? null;
          throw new HttpError(403, 'ForbiddenError', "Enroll in this class's course to join it", { course }, { session: documentId });
        }
      } else if (!liveService(strapi, 'liveAccess').canOnSession(actor, SESSION_ACTIONS.read, row)) {
        throw forbidden("Only the session's mentor or an admin can watch this session from the panel", { session: documentId });
      }
      const course = (await courseRefs(strapi, [row.courseDocumentId])).get(row.courseDocumentId) ?? null;
      const session = {
        id: row.documentId,
        title: row.title,
        description: row.description ?? null,
        scheduledAt: iso(row.scheduledAt)!,
        startedAt: iso(row.startedAt),
        endedAt: iso(row.endedAt),
        status: row.status,
        course,
      };
      // The caller passed the access check above, so the refusal can name the class: a classroom
      // reloaded after the end still shows what ended (title, course) instead of a bare message.
      if (row.status === 'CANCELLED') throw conflict('This class was cancelled', { session: documentId }, { session });
      if (row.status === 'ENDED') throw conflict('This class has ended', { session: documentId }, { session });
      const channel = channelOf(row);
      if (row.status !== 'LIVE' || !channel) {
        const realtime = await realtimeService(strapi, 'realtimeGrants').forJoin(actor, row);
        const waiting = actor.kind === 'student' ? await findAttendee(row.id, actor.user.id) : null;
        classJoins.inc({ stage: 'waiting' });
        return { session, playback: null, attendee: waiting ? { joinedAt: iso(waiting.joinedAt)!, watchDuration: waiting.watchDuration } : null, realtime };
      }

      const realtime = await realtimeService(strapi, 'realtimeGrants').forJoin(actor, row);
      const attendee = actor.kind === 'student' ? await attend(row, actor.user.id, new Date()) : null;
      const viewerId = actor.kind === 'student' ? `student-${actor.user.id}` : `admin-${actor.user.id}`;
      const playback = await liveService(strapi, 'liveProvider').call('playback', (p) =>
        p.playback(channel, { viewerId, origin: playbackOrigin(origin) }, loadEnv('cms').LIVE_PLAYBACK_TTL_SECONDS)
      );
      classJoins.inc({ stage: 'live' });
      return { session, playback, attendee: attendee ? { joinedAt: iso(attendee.joinedAt)!, watchDuration: attendee.watchDuration } : null, realtime };
    },

    async leave(actor: Actor, documentId: string): Promise<LeaveResponse> {
      if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in first');
      const row = await requireSession(strapi, documentId);
      if (actor.kind === 'admin') {
        if (!liveService(strapi, 'liveAccess').canOnSession(actor, SESSION_ACTIONS.read, row)) {
          throw forbidden("Only the session's mentor or an admin can watch this session from the panel", { session: documentId });
        }
        // Mentors' and admins' previews aren't attendance.
        return { leftAt: null, watchDuration: 0 };
      }
      const attendee = await findAttendee(row.id, actor.user.id);
      if (!attendee) throw notFound("You haven't joined this class", { session: documentId });
      // Another tab (or this one, reconnecting) is still in the classroom: presence closes it when the last goes.
      const presence = realtimeService(strapi, 'realtimePresence');
      if (!(await presence.isConnected(row.documentId, actor.user.id))) {
        await presence.left(row.documentId, actor.user.id);
        await close(attendee, new Date());
      }
      const fresh = (await attendees().findOne({ where: { id: attendee.id } })) as AttendeeRow;
      return { leftAt: iso(fresh.leftAt), watchDuration: fresh.watchDuration };
    },

    async viewers(actor: Actor, documentId: string): Promise<ViewersResponse> {
      const access = liveService(strapi, 'liveAccess');
      access.requireAction(actor, SESSION_ACTIONS.read);
      const row = await requireSession(strapi, documentId);
      access.requireSession(actor, SESSION_ACTIONS.read, row);
      const { peakViewers, totalViewers } = await audience(row);
      const live = await realtimeService(strapi, 'realtimePresence').viewers(row.documentId);
      return {
        current: live.length,
        peak: Math.max(peakViewers, live.length),
        total: totalViewers,
        viewers: live.slice(0, 500).map((v) => ({ userId: v.userId, name: v.name, joinedAt: v.since, connections: v.connections })),
      };
    },

    /** Who attended and for how long (the panel's attendance list, during and after the class). */
    async attendanceList(actor: Actor, documentId: string): Promise<AttendanceEntryDto[]> {
      const access = liveService(strapi, 'liveAccess');
      access.requireAction(actor, SESSION_ACTIONS.read);
      const row = await requireSession(strapi, documentId);
      access.requireSession(actor, SESSION_ACTIONS.read, row);
      const rows = (await attendees().findMany({ where: { sessionId: row.id }, orderBy: { joinedAt: 'asc' }, limit: 5_000 })) as AttendeeRow[];
      const users = rows.length
        ? await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: rows.map((a) => a.userId) } }, select: ['id', 'displayName', 'email'] })
        : [];
      const names = new Map(users.map((u: any) => [u.id, studentName(u)]));
      const now = new Date();
      return rows.map((a) => ({
        userId: a.userId,
        name: names.get(a.userId) ?? 'Student',
        joinedAt: iso(a.joinedAt)!,
        leftAt: iso(a.leftAt),
        watchSeconds: (a.watchDuration ?? 0) + (a.activeSince ? seconds(a.activeSince, now) : 0),
        watching: Boolean(a.activeSince),
      }));
    },

    /**
     * A student's live connection (realtime presence): attendance opens, if it isn't. Nearly
     * always the join just opened it, so one lean read settles it (a join storm's connections
     * would otherwise each queue an insert and read the row back).
     */
    async present(row: SessionRow, userId: number) {
      const open = await strapi.db.connection('live_attendees').first('id').where({ session_id: row.id, user_id: userId }).whereNotNull('active_since');
      if (!open) await attend(row, userId, new Date());
    },

    /** A student's last connection went (after the grace), or they were banned: attendance closes. */
    async absent(row: SessionRow, userId: number, at: Date) {
      const attendee = await findAttendee(row.id, userId);
      if (attendee) await close(attendee, at);
    },

    audience,

    /** The class ended: everyone still watching leaves at `at`. */
    async closeAll(row: SessionRow, at: Date) {
      const open = (await attendees().findMany({ where: { sessionId: row.id, activeSince: { $notNull: true } } })) as AttendeeRow[];
      for (const attendee of open) await close(attendee, at);
      await audience(row, at);
    },
  };
};
