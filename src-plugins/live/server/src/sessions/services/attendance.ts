import type { Core } from '@strapi/strapi';
import { loadEnv, corsOrigins } from '@skillyug/config';
import { ATTENDEE_UID, MAX_ATTENDANCE_INTERVALS, SESSION_ACTIONS, SESSION_UID } from '../constants';
import type { JoinResponse, LeaveResponse, ViewersResponse } from '../contracts';
import { conflict, forbidden, HttpError, notFound } from '../../utils/http';
import { isUniqueViolation } from '../../payments/store';
import type { Actor } from './access';
import { liveService } from './registry';
import { channelOf, courseRefs, requireSession, requireSessionLean, type SessionRow } from './session-store';

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
 * leave (watch time), the live viewer count. One attendee row per session and student (a unique
 * index on session_id, user_id): joining again reopens it. The session row keeps running
 * counters (current, peak, total) updated in the same transaction as the attendee, so a join
 * storm never counts rows.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const attendees = () => strapi.db.query(ATTENDEE_UID as any);
  const sessionTable = () => strapi.getModel(SESSION_UID as any).collectionName!;

  /** The `aws:access-control-allow-origin` of a playback token: the caller's origin if it's one of ours. */
  const playbackOrigin = (origin: string | undefined) => {
    const env = loadEnv('cms');
    return origin && corsOrigins(env).includes(origin) ? origin : new URL(env.SITE_URL).origin;
  };

  const findAttendee = (sessionId: number, userId: number) =>
    attendees().findOne({ where: { sessionId, userId } }) as Promise<AttendeeRow | null>;

  /** One more viewer watching now (and one more distinct viewer when `first`); peak follows. */
  const countIn = (trx: any, sessionId: number, first: boolean) =>
    trx(sessionTable())
      .where({ id: sessionId })
      .update({
        current_viewers: trx.raw('current_viewers + 1'),
        total_viewers: trx.raw('total_viewers + ?', [first ? 1 : 0]),
        peak_viewers: trx.raw('CASE WHEN current_viewers + 1 > peak_viewers THEN current_viewers + 1 ELSE peak_viewers END'),
      });

  const countOut = (trx: any, sessionId: number) =>
    trx(sessionTable())
      .where({ id: sessionId })
      .update({ current_viewers: trx.raw('CASE WHEN current_viewers > 0 THEN current_viewers - 1 ELSE 0 END') });

  /** Records (or reopens) a student's attendance; returns the row as it is now. */
  async function attend(row: SessionRow, userId: number, now: Date): Promise<AttendeeRow> {
    let attendee = await findAttendee(row.id, userId);
    if (!attendee) {
      try {
        return await strapi.db.transaction(async ({ trx }) => {
          const created = (await attendees().create({
            data: { sessionId: row.id, userId, joinedAt: now, activeSince: now, watchDuration: 0, intervals: openInterval(null, now) },
          })) as AttendeeRow;
          await countIn(trx, row.id, true);
          return created;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A second tab of the same student joined at the same moment: theirs is the row.
        attendee = (await findAttendee(row.id, userId))!;
      }
    }
    if (attendee.activeSince) return attendee;
    const closed = attendee;
    // Reopen only if nobody else did in between (guarded on activeSince being null).
    return strapi.db.transaction(async ({ trx }) => {
      const { count } = await attendees().updateMany({
        where: { id: closed.id, activeSince: { $null: true } },
        data: { activeSince: now, leftAt: null, intervals: openInterval(closed.intervals, now) },
      });
      if (count === 1) await countIn(trx, row.id, false);
      return (await attendees().findOne({ where: { id: closed.id } })) as AttendeeRow;
    });
  }

  /** Closes an open attendance at `at`, adding the watched time. False if it was already closed. */
  async function close(attendee: AttendeeRow, at: Date): Promise<boolean> {
    if (!attendee.activeSince) return false;
    return strapi.db.transaction(async ({ trx }) => {
      const { count } = await attendees().updateMany({
        where: { id: attendee.id, activeSince: attendee.activeSince },
        data: {
          activeSince: null,
          leftAt: at,
          watchDuration: (attendee.watchDuration ?? 0) + seconds(attendee.activeSince!, at),
          intervals: closeInterval(attendee.intervals, at),
        },
      });
      if (count === 1) await countOut(trx, attendee.sessionId);
      return count === 1;
    });
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
      if (row.status === 'CANCELLED') throw conflict('This class was cancelled', { session: documentId });
      if (row.status === 'ENDED') throw conflict('This class has ended', { session: documentId });

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
      const channel = channelOf(row);
      if (row.status !== 'LIVE' || !channel) {
        const waiting = actor.kind === 'student' ? await findAttendee(row.id, actor.user.id) : null;
        return { session, playback: null, attendee: waiting ? { joinedAt: iso(waiting.joinedAt)!, watchDuration: waiting.watchDuration } : null };
      }

      const attendee = actor.kind === 'student' ? await attend(row, actor.user.id, new Date()) : null;
      const viewerId = actor.kind === 'student' ? `student-${actor.user.id}` : `admin-${actor.user.id}`;
      const playback = await liveService(strapi, 'liveProvider').call('playback', (p) =>
        p.playback(channel, { viewerId, origin: playbackOrigin(origin) }, loadEnv('cms').LIVE_PLAYBACK_TTL_SECONDS)
      );
      return { session, playback, attendee: attendee ? { joinedAt: iso(attendee.joinedAt)!, watchDuration: attendee.watchDuration } : null };
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
      await close(attendee, new Date());
      const fresh = (await attendees().findOne({ where: { id: attendee.id } })) as AttendeeRow;
      return { leftAt: iso(fresh.leftAt), watchDuration: fresh.watchDuration };
    },

    async viewers(actor: Actor, documentId: string): Promise<ViewersResponse> {
      const access = liveService(strapi, 'liveAccess');
      access.requireAction(actor, SESSION_ACTIONS.read);
      const row = await requireSession(strapi, documentId);
      access.requireSession(actor, SESSION_ACTIONS.read, row);
      const active = (await attendees().findMany({
        where: { sessionId: row.id, activeSince: { $notNull: true } },
        orderBy: { activeSince: 'asc' },
        limit: 500,
      })) as AttendeeRow[];
      const users = active.length
        ? await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: active.map((a) => a.userId) } }, select: ['id', 'username'] })
        : [];
      const names = new Map(users.map((u: any) => [u.id, u.username]));
      return {
        current: row.currentViewers ?? 0,
        peak: row.peakViewers ?? 0,
        total: row.totalViewers ?? 0,
        viewers: active.map((a) => ({ userId: a.userId, username: names.get(a.userId) ?? 'student', joinedAt: iso(a.activeSince)! })),
      };
    },

    /** The class ended: everyone still watching leaves at `at`. */
    async closeAll(row: SessionRow, at: Date) {
      const open = (await attendees().findMany({ where: { sessionId: row.id, activeSince: { $notNull: true } } })) as AttendeeRow[];
      for (const attendee of open) await close(attendee, at);
    },

    async forSession(sessionId: number) {
      return (await attendees().findMany({
        where: { sessionId },
        select: ['id', 'sessionId', 'joinedAt', 'leftAt', 'activeSince', 'watchDuration', 'intervals'],
      })) as AttendeeRow[];
    },
  };
};
