import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { ATTENDEE_UID, SESSION_UID } from '../constants';
import { CHAT_MESSAGE_UID, POLL_UID, POLL_VOTE_UID, QUESTION_UID, SIGNAL_UID } from '../../realtime/constants';
import { studentName } from '../../realtime/services/grants';
import type { AttendedClassDto, ClassEngagementPoint, EngagementPoint, PollEngagement, SessionEngagement, StudentParticipation } from '../contracts';
import { forbidden, HttpError } from '../../utils/http';
import type { Actor } from './access';
import { courseRefs, sessions, type SessionRow } from '../store';
import { watchedSeconds } from './timeline';

/** Ended classes in the dashboard's engagement series. */
export const ENGAGEMENT_CLASSES = 20;
/** Classes listed on a student's dashboard as attended, at most. */
const ATTENDED_LIST_LIMIT = 500;

type Attendee = { userId: number; watchDuration: number; activeSince: string | Date | null };
type Grouped = Record<string, unknown> & { n: number | string };

const count = (value: unknown) => Number(value ?? 0);
const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);
/** A share rounded to four decimals (0.6667): stable in JSON and exact enough for a percentage. */
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * Engagement figures of live classes (chat, Q&A, polls and quizzes, "I'm lost" signals, each
 * student's part) and attendance that counts as learning. Every figure is a GROUP BY over the
 * class's rows: one query per kind of row, whatever the number of students or classes.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const table = (uid: string) => strapi.db.connection(strapi.db.metadata.get(uid as any).tableName);
  const tableName = (uid: string) => strapi.db.metadata.get(uid as any).tableName;

  /** Chat messages still shown, per author kind and author. */
  const messageCounts = (sessionIds: number[], by: string[]) =>
    table(CHAT_MESSAGE_UID)
      .whereIn('session_id', sessionIds)
      .where('type', 'CHAT')
      .whereNull('deleted_at')
      .select(by)
      .count({ n: '*' })
      .groupBy(by) as Promise<Grouped[]>;

  async function names(userIds: number[]) {
    if (userIds.length === 0) return new Map<number, string>();
    const users = await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: userIds } }, select: ['id', 'displayName', 'email'] });
    return new Map<number, string>(users.map((u: any) => [u.id, studentName(u)]));
  }

  /** Signals per timeline point: each one counted at the sampled instant nearest to it. */
  function signalTimeline(viewers: { at: string; viewers: number }[], signals: { at: string | Date; kind: string }[]): EngagementPoint[] {
    const points = viewers.map((p) => ({ ...p, lost: 0, slowDown: 0 }));
    if (points.length === 0) return points;
    const start = new Date(points[0].at).getTime();
    const step = points.length > 1 ? (new Date(points[points.length - 1].at).getTime() - start) / (points.length - 1) : 0;
    for (const signal of signals) {
      const t = new Date(signal.at).getTime();
      const index = step > 0 ? Math.min(points.length - 1, Math.max(0, Math.round((t - start) / step))) : 0;
      if (signal.kind === 'lost') points[index].lost += 1;
      else points[index].slowDown += 1;
    }
    return points;
  }

  return {
    /**
     * One class's engagement. `attendees` and `viewers` are what the analytics already loaded
     * (attendance rows, the viewers timeline), so they are neither read nor sampled twice.
     */
    async forSession(row: SessionRow, attendees: Attendee[], viewers: { at: string; viewers: number }[], now: Date): Promise<SessionEngagement> {
      const ids = [row.id];
      const [messageRows, questionRows, pollRows, optionRows, voterRows, signalRows, attendedRows] = await Promise.all([
        messageCounts(ids, ['author_kind', 'user_id']),
        table(QUESTION_UID).where('session_id', row.id).select('user_id', 'state').count({ n: '*' }).groupBy('user_id', 'state') as Promise<Grouped[]>,
        strapi.db.query(POLL_UID as any).findMany({
          where: { sessionId: row.id, state: { $in: ['open', 'closed'] } },
          select: ['id', 'question', 'options', 'correctOption', 'launchedAt'],
          orderBy: [{ launchedAt: 'asc' }, { id: 'asc' }],
        }) as Promise<{ id: number; question: string; options: string[]; correctOption: number | null; launchedAt: string | Date | null }[]>,
        table(POLL_VOTE_UID).where('session_id', row.id).select('poll_id', 'option').count({ n: '*' }).groupBy('poll_id', 'option') as Promise<Grouped[]>,
        // Each student's votes, and how many of them were a quiz's right answer: one join, grouped.
        strapi.db
          .connection(`${tableName(POLL_VOTE_UID)} as v`)
          .join(`${tableName(POLL_UID)} as p`, 'p.id', 'v.poll_id')
          .where('v.session_id', row.id)
          .groupBy('v.user_id')
          .select('v.user_id')
          .count({ n: '*' })
          .select(strapi.db.connection.raw('SUM(CASE WHEN p.correct_option IS NOT NULL AND v.option = p.correct_option THEN 1 ELSE 0 END) AS correct')) as Promise<Grouped[]>,
        // Signals are rate-limited per student (one per SIGNAL_COOLDOWN_SECONDS), so a class has few. Through the
        // query engine: it reads SQLite's zone-less datetime text as UTC, which new Date() would not.
        strapi.db.query(SIGNAL_UID as any).findMany({ where: { sessionId: row.id }, select: ['userId', 'kind', 'at'] }) as Promise<{ userId: number; kind: string; at: string | Date }[]>,
        table(ATTENDEE_UID).where('session_id', row.id).whereNotNull('attended_at').select('user_id') as Promise<{ user_id: number }[]>,
      ]);

      type Tally = Omit<StudentParticipation, 'userId' | 'name' | 'attendedSeconds' | 'attended'>;
      const perStudent = new Map<number, Tally>();
      const tally = (userId: unknown) => {
        const id = Number(userId);
        let entry = perStudent.get(id);
        if (!entry) perStudent.set(id, (entry = { messages: 0, questions: 0, votes: 0, quizCorrect: 0, signals: 0 }));
        return entry;
      };

      const messages = { total: 0, students: 0, mentor: 0 };
      for (const m of messageRows) {
        const n = count(m.n);
        messages.total += n;
        if (m.author_kind === 'student') {
          messages.students += n;
          if (m.user_id !== null && m.user_id !== undefined) tally(m.user_id).messages += n;
        } else messages.mentor += n;
      }

      const questions = { asked: 0, answered: 0, dismissed: 0, withdrawn: 0, open: 0 };
      for (const q of questionRows) {
        const n = count(q.n);
        questions.asked += n;
        const state = q.state as keyof typeof questions;
        if (state in questions && state !== 'asked') questions[state] += n;
        tally(q.user_id).questions += n;
      }

      for (const v of voterRows) {
        const entry = tally(v.user_id);
        entry.votes += count(v.n);
        entry.quizCorrect += count(v.correct);
      }

      const signals = { lost: 0, slowDown: 0, students: 0 };
      for (const s of signalRows) {
        if (s.kind === 'lost') signals.lost += 1;
        else signals.slowDown += 1;
        tally(s.userId).signals += 1;
      }
      signals.students = new Set(signalRows.map((s) => Number(s.userId))).size;

      const joined = attendees.length;
      const optionCounts = new Map<number, Map<number, number>>();
      for (const o of optionRows) {
        const poll = Number(o.poll_id);
        if (!optionCounts.has(poll)) optionCounts.set(poll, new Map());
        optionCounts.get(poll)!.set(Number(o.option), count(o.n));
      }
      const polls: PollEngagement[] = pollRows.map((poll) => {
        const options = Array.isArray(poll.options) ? poll.options.map(String) : [];
        const byOption = optionCounts.get(poll.id) ?? new Map<number, number>();
        const counts = options.map((_, i) => byOption.get(i) ?? 0);
        const votes = [...byOption.values()].reduce((sum, n) => sum + n, 0);
        const quiz = poll.correctOption !== null && poll.correctOption !== undefined;
        const correctVotes = quiz ? (byOption.get(poll.correctOption!) ?? 0) : null;
        return {
          id: poll.id,
          question: poll.question,
          kind: quiz ? 'quiz' : 'poll',
          options,
          launchedAt: iso(poll.launchedAt),
          votes,
          participationRate: ratio(votes, joined),
          counts,
          correctOption: quiz ? poll.correctOption! : null,
          correctVotes,
          accuracy: quiz ? ratio(correctVotes!, votes) : null,
        };
      });

      const attended = new Set(attendedRows.map((a) => Number(a.user_id)));
      const watched = new Map(attendees.map((a) => [a.userId, watchedSeconds(a.watchDuration ?? 0, a.activeSince, now)]));
      const userIds = [...new Set([...watched.keys(), ...perStudent.keys()])];
      const nameOf = await names(userIds);
      const students: StudentParticipation[] = userIds
        .map((userId) => ({
          userId,
          name: nameOf.get(userId) ?? 'Student',
          attendedSeconds: watched.get(userId) ?? 0,
          attended: attended.has(userId),
          ...(perStudent.get(userId) ?? { messages: 0, questions: 0, votes: 0, quizCorrect: 0, signals: 0 }),
        }))
        .sort((a, b) => b.attendedSeconds - a.attendedSeconds || a.name.localeCompare(b.name) || a.userId - b.userId);

      return {
        messages,
        questions,
        polls,
        signals,
        timeline: signalTimeline(viewers, signalRows),
        students,
        attendedStudents: attended.size,
      };
    },

    /** The most recent ended classes among `scope` (the dashboard's), oldest first. */
    async acrossClasses(scope: Record<string, unknown>): Promise<ClassEngagementPoint[]> {
      const recent = ((await sessions(strapi).findMany({
        where: { $and: [scope, { status: 'ENDED' }] },
        select: ['id', 'documentId', 'title', 'startedAt', 'scheduledAt', 'endedAt'],
        orderBy: [{ endedAt: 'desc' }, { id: 'desc' }],
        limit: ENGAGEMENT_CLASSES,
      })) as SessionRow[]).reverse();
      if (recent.length === 0) return [];
      const ids = recent.map((s) => s.id);
      const bySession = async (query: Promise<Grouped[]>) => new Map((await query).map((r) => [Number(r.session_id), r]));
      const [attendance, messages, questions, polls, votes, signals] = await Promise.all([
        bySession(
          table(ATTENDEE_UID).whereIn('session_id', ids).select('session_id').count({ n: '*' }).count({ attended: 'attended_at' }).groupBy('session_id') as Promise<Grouped[]>
        ),
        bySession(messageCounts(ids, ['session_id'])),
        bySession(table(QUESTION_UID).whereIn('session_id', ids).select('session_id').count({ n: '*' }).groupBy('session_id') as Promise<Grouped[]>),
        bySession(
          table(POLL_UID)
            .whereIn('session_id', ids)
            .whereIn('state', ['open', 'closed'])
            .select('session_id')
            .count({ n: '*' })
            .groupBy('session_id') as Promise<Grouped[]>
        ),
        bySession(table(POLL_VOTE_UID).whereIn('session_id', ids).select('session_id').count({ n: '*' }).groupBy('session_id') as Promise<Grouped[]>),
        bySession(
          table(SIGNAL_UID)
            .whereIn('session_id', ids)
            .select('session_id')
            .select(strapi.db.connection.raw("SUM(CASE WHEN kind = 'lost' THEN 1 ELSE 0 END) AS n"))
            .select(strapi.db.connection.raw("SUM(CASE WHEN kind = 'lost' THEN 0 ELSE 1 END) AS slow"))
            .groupBy('session_id') as Promise<Grouped[]>
        ),
      ]);
      return recent.map((s) => {
        const joined = count(attendance.get(s.id)?.n);
        const launched = count(polls.get(s.id)?.n);
        return {
          id: s.documentId,
          title: s.title,
          at: iso(s.startedAt ?? s.scheduledAt)!,
          attendance: joined,
          attended: count(attendance.get(s.id)?.attended),
          messages: count(messages.get(s.id)?.n),
          questions: count(questions.get(s.id)?.n),
          polls: launched,
          pollParticipation: ratio(count(votes.get(s.id)?.n), launched * joined),
          lostSignals: count(signals.get(s.id)?.n),
          slowDownSignals: count(signals.get(s.id)?.slow),
        };
      });
    },

    /**
     * The class ended: every student who watched at least LIVE_ATTENDED_MIN_SHARE of its length
     * attended it. One UPDATE; a student already marked keeps their first mark (idempotent).
     */
    async markAttended(row: SessionRow): Promise<number> {
      if (!row.startedAt || !row.endedAt) return 0;
      const lengthSeconds = (new Date(row.endedAt).getTime() - new Date(row.startedAt).getTime()) / 1000;
      if (lengthSeconds <= 0) return 0;
      // Watch time is whole seconds: at least x ⇔ at least ⌈x⌉ (and PostgreSQL compares the integer column with an integer).
      const minSeconds = Math.max(1, Math.ceil(loadEnv('cms').LIVE_ATTENDED_MIN_SHARE * lengthSeconds));
      const { count: marked } = await strapi.db.query(ATTENDEE_UID as any).updateMany({
        where: { sessionId: row.id, attendedAt: { $null: true }, watchDuration: { $gte: minSeconds } },
        data: { attendedAt: new Date(row.endedAt) },
      });
      return marked;
    },

    /** GET /api/live/me/attended: the classes this student attended, latest first. */
    async attendedBy(actor: Actor): Promise<AttendedClassDto[]> {
      if (actor.kind === 'anonymous') throw new HttpError(401, 'UnauthorizedError', 'Sign in to see the live classes you attended');
      if (actor.kind !== 'student') throw forbidden('Attendance is kept for students: sign in to the site as a student to see the classes you attended');
      const rows = (await strapi.db.query(ATTENDEE_UID as any).findMany({
        where: { userId: actor.user.id, attendedAt: { $notNull: true } },
        select: ['sessionId', 'watchDuration', 'attendedAt'],
        orderBy: [{ attendedAt: 'desc' }, { id: 'desc' }],
        limit: ATTENDED_LIST_LIMIT,
      })) as { sessionId: number; watchDuration: number }[];
      if (rows.length === 0) return [];
      const classes = (await strapi.db.query(SESSION_UID as any).findMany({
        where: { id: { $in: rows.map((r) => r.sessionId) } },
        select: ['id', 'documentId', 'title', 'startedAt', 'endedAt', 'courseDocumentId'],
      })) as SessionRow[];
      const byId = new Map(classes.map((c) => [c.id, c]));
      const courses = await courseRefs(strapi, classes.map((c) => c.courseDocumentId));
      return rows.flatMap((r) => {
        const live = byId.get(r.sessionId);
        if (!live) return [];
        return [
          {
            id: live.documentId,
            title: live.title,
            course: courses.get(live.courseDocumentId) ?? null,
            startedAt: iso(live.startedAt),
            endedAt: iso(live.endedAt),
            watchSeconds: r.watchDuration ?? 0,
          },
        ];
      });
    },
  };
};
