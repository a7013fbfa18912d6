import type { Core } from '@strapi/strapi';
import { ATTENDEE_UID, SESSION_ACTIONS, TIMELINE_POINTS } from '../constants';
import { SESSION_STATUSES, type AnalyticsResponse, type DashboardResponse, type SessionStatus } from '../contracts';
import type { Actor } from './access';
import { liveService } from './registry';
import { requireSession, sessions, toSessionDto, withCourses, INSTRUCTOR_FIELDS, type SessionRow } from '../store';
import { viewersTimeline, watchedSeconds, type WatchInterval } from './timeline';

/** Numbers a mentor looks at after (and during) a class, and across all their classes. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const access = () => liveService(strapi, 'liveAccess');

  return {
    async session(actor: Actor, documentId: string): Promise<AnalyticsResponse> {
      access().requireAction(actor, SESSION_ACTIONS.read);
      const row = await requireSession(strapi, documentId);
      access().requireSession(actor, SESSION_ACTIONS.read, row);
      const now = new Date();
      const { rows, ...figures } = await liveService(strapi, 'attendance').audience(row, now);
      const totalWatchSeconds = rows.reduce((sum, a) => sum + watchedSeconds(a.watchDuration ?? 0, a.activeSince, now), 0);
      const firstJoin = rows.reduce<number | null>((min, a) => {
        const t = new Date(a.joinedAt).getTime();
        return min === null || t < min ? t : min;
      }, null);
      const from = row.startedAt ? new Date(row.startedAt) : firstJoin !== null ? new Date(firstJoin) : new Date(row.scheduledAt);
      const to = row.endedAt ? new Date(row.endedAt) : row.status === 'LIVE' ? now : from;
      const [dto] = await withCourses(strapi, [{ ...row, ...figures }], toSessionDto);
      const timeline = row.startedAt || rows.length ? viewersTimeline(rows.map((a) => (a.intervals ?? []) as WatchInterval[]), from, to, TIMELINE_POINTS) : [];
      return {
        session: dto,
        totals: {
          totalViewers: figures.totalViewers,
          peakViewers: figures.peakViewers,
          chatMessages: row.chatMessages ?? 0,
          totalWatchSeconds,
          averageWatchSeconds: rows.length ? Math.round(totalWatchSeconds / rows.length) : 0,
          durationSeconds: row.startedAt ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : 0,
        },
        timeline,
        engagement: await liveService(strapi, 'liveEngagement').forSession(row, rows, timeline, now),
      };
    },

    async dashboard(actor: Actor): Promise<DashboardResponse> {
      const scope = access().sessionFilter(actor, SESSION_ACTIONS.read);
      const counts = await Promise.all(SESSION_STATUSES.map((status) => sessions(strapi).count({ where: { $and: [scope, { status }] } })));
      const mine = (await sessions(strapi).findMany({ where: scope, select: ['id', 'totalViewers', 'chatMessages'] })) as SessionRow[];
      const ids = mine.map((s) => s.id);
      const now = new Date();
      const watched = ids.length
        ? ((await strapi.db.query(ATTENDEE_UID as any).findMany({
            where: { sessionId: { $in: ids } },
            select: ['sessionId', 'watchDuration', 'activeSince'],
          })) as { sessionId: number; watchDuration: number; activeSince: string | null }[])
        : [];
      const totalWatchSeconds = watched.reduce((sum, a) => sum + watchedSeconds(a.watchDuration ?? 0, a.activeSince, now), 0);

      const upcoming = (await sessions(strapi).findMany({
        where: { $and: [scope, { status: { $in: ['SCHEDULED', 'LIVE'] } }] },
        populate: INSTRUCTOR_FIELDS as any,
        orderBy: [{ scheduledAt: 'asc' }],
        limit: 5,
      })) as SessionRow[];
      const recent = (await sessions(strapi).findMany({
        where: { $and: [scope, { status: 'ENDED' }] },
        populate: INSTRUCTOR_FIELDS as any,
        orderBy: [{ endedAt: 'desc' }],
        limit: 10,
      })) as SessionRow[];
      const perSession = new Map<number, { seconds: number; viewers: number }>();
      for (const a of watched) {
        const id = a.sessionId;
        const entry = perSession.get(id) ?? { seconds: 0, viewers: 0 };
        entry.seconds += watchedSeconds(a.watchDuration ?? 0, a.activeSince, now);
        entry.viewers += 1;
        perSession.set(id, entry);
      }

      return {
        sessions: Object.fromEntries(SESSION_STATUSES.map((status, i) => [status, counts[i]])) as Record<SessionStatus, number>,
        totals: {
          totalViewers: mine.reduce((sum, s) => sum + (s.totalViewers ?? 0), 0),
          totalWatchSeconds,
          averageWatchSeconds: watched.length ? Math.round(totalWatchSeconds / watched.length) : 0,
          chatMessages: mine.reduce((sum, s) => sum + (s.chatMessages ?? 0), 0),
        },
        upcoming: await withCourses(strapi, upcoming, toSessionDto),
        recent: await withCourses(strapi, recent, (row, course) => {
          const entry = perSession.get(row.id);
          return { ...toSessionDto(row, course), averageWatchSeconds: entry && entry.viewers ? Math.round(entry.seconds / entry.viewers) : 0 };
        }),
        engagement: await liveService(strapi, 'liveEngagement').acrossClasses(scope),
      };
    },
  };
};
