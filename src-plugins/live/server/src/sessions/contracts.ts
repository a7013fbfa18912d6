import { z } from 'zod';
import { courseIdList, documentId as documentIdOf, isoDateTime } from '../utils/schemas';
import type { Playback, StreamHealth, LiveProviderName } from './providers/types';
import { plainText } from '../utils/plain-text';
import type { RealtimeGrant } from '../realtime/contracts';

/**
 * The live-session API's request schemas and response shapes, shared by the server, the
 * mentor panel (admin/src) and the site, so none of them can drift from the others.
 */

export const SESSION_STATUSES = ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

const documentId = documentIdOf();
const isoDate = isoDateTime;

/** How far ahead a class can be scheduled: a year covers any real timetable; year 9999 is a typo. */
export const SCHEDULE_HORIZON_DAYS = 366;
/**
 * When a class takes place: an ISO date-time at most a year ahead (checked when parsed, so the
 * panel's form and the API agree). "Not in the past" is the service's check, with its tolerance.
 */
const scheduleDate = isoDate.refine(
  (value) => new Date(value).getTime() <= Date.now() + SCHEDULE_HORIZON_DAYS * 24 * 60 * 60 * 1000,
  `must be within a year from now (at most ${SCHEDULE_HORIZON_DAYS} days ahead)`
);
const sessionTitle = plainText({ min: 3, max: 160 });
const sessionDescription = plainText({ max: 2000, multiline: true });

export const sessionIdParam = documentId;

export const createSessionBody = z
  .object({
    courseId: documentId,
    title: sessionTitle,
    description: sessionDescription.optional(),
    scheduledAt: scheduleDate,
    /** Super-admins schedule for a mentor (admin user id); mentors always schedule for themselves. */
    instructorId: z.number().int().positive().optional(),
    recording: z.boolean().optional(),
  })
  .strict();
export type CreateSessionBody = z.infer<typeof createSessionBody>;

export const updateSessionBody = z
  .object({
    title: createSessionBody.shape.title.optional(),
    description: sessionDescription.nullable().optional(),
    scheduledAt: scheduleDate.optional(),
    recording: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to update: send title, description, scheduledAt or recording');
export type UpdateSessionBody = z.infer<typeof updateSessionBody>;

export const listSessionsQuery = z
  .object({
    status: z.enum(SESSION_STATUSES).optional(),
    /** upcoming = SCHEDULED or LIVE, past = ENDED or CANCELLED */
    when: z.enum(['upcoming', 'past']).optional(),
    course: documentId.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListSessionsQuery = z.infer<typeof listSessionsQuery>;

export const upcomingQuery = z
  .object({
    /** One course's documentId, or several separated by commas (the dashboard's courses). */
    course: courseIdList(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

export const emptyQuery = z.object({}).strict();
export const emptyBody = z.object({}).strict();

// ---------------------------------------------------------------------------
// Response shapes

export type CourseRef = { documentId: string; title: string; slug: string };

/** A session as its mentor (or an admin) sees it. No stream key, ever. */
export type SessionDto = {
  id: string;
  title: string;
  description: string | null;
  status: SessionStatus;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  provider: LiveProviderName;
  recording: boolean;
  course: CourseRef | null;
  instructor: { id: number; name: string } | null;
  /** OBS's "Server" field. The key is fetched separately (GET /live/sessions/:id/stream-key). */
  ingestServer: string | null;
  /** Students watching right now. */
  currentViewers: number;
  peakViewers: number;
  totalViewers: number;
  chatMessages: number;
  createdAt: string;
  updatedAt: string;
};

/** What anyone may see of a session (course pages, the dashboard). */
export type PublicSessionDto = {
  id: string;
  title: string;
  scheduledAt: string;
  status: SessionStatus;
  course: CourseRef | null;
};

export type JoinResponse = {
  session: PublicSessionDto & { description: string | null; startedAt: string | null; endedAt: string | null };
  /** Only while LIVE: the URL is for this viewer only and short-lived. Join again to refresh it. */
  playback: Playback | null;
  attendee: { joinedAt: string; watchDuration: number } | null;
  /** The classroom's chat credentials (short-lived, this user and session), while SCHEDULED or LIVE. */
  realtime: RealtimeGrant | null;
};

export type LeaveResponse = { leftAt: string | null; watchDuration: number };

export type StatusResponse = {
  status: SessionStatus;
  startedAt: string | null;
  endedAt: string | null;
  stream: StreamHealth;
  viewers: number;
};

export type StreamKeyResponse = { server: string; streamKey: string };

export type ViewersResponse = {
  current: number;
  peak: number;
  total: number;
  /** `name`: the student's display name (never their email). */
  /** Students connected now (per connection: `connections` open tabs or devices), since `joinedAt`. */
  viewers: { userId: number; name: string; joinedAt: string; connections: number }[];
};

export type AnalyticsResponse = {
  session: SessionDto;
  totals: {
    totalViewers: number;
    peakViewers: number;
    chatMessages: number;
    totalWatchSeconds: number;
    averageWatchSeconds: number;
    durationSeconds: number;
  };
  /** Concurrent viewers over time, one point per bucket, for the chart. */
  timeline: { at: string; viewers: number }[];
  /** What the students did in the class: chat, Q&A, polls, "I'm lost" signals, per student. */
  engagement: SessionEngagement;
};

/** One launched poll or quiz of a class, with its results (drafts are left out). */
export type PollEngagement = {
  id: number;
  question: string;
  kind: 'poll' | 'quiz';
  options: string[];
  launchedAt: string | null;
  /** Students who voted (one vote each). */
  votes: number;
  /** votes ÷ students who joined the class; null when nobody joined. */
  participationRate: number | null;
  /** Votes per option, in the options' order. */
  counts: number[];
  /** Quizzes: the right option, the votes for it and correct ÷ votes (null without votes). */
  correctOption: number | null;
  correctVotes: number | null;
  accuracy: number | null;
};

/** One point of the engagement timeline: the viewers sampled at `at` and the signals sent nearest to it. */
export type EngagementPoint = { at: string; viewers: number; lost: number; slowDown: number };

/** One student's part in a class, for the panel's table. */
export type StudentParticipation = {
  userId: number;
  name: string;
  /** Seconds watched (a still-open attendance counts up to now). */
  attendedSeconds: number;
  /** Watched at least LIVE_ATTENDED_MIN_SHARE of the class (set when the class ends). */
  attended: boolean;
  messages: number;
  questions: number;
  votes: number;
  /** Quiz votes for the right option. */
  quizCorrect: number;
  signals: number;
};

export type SessionEngagement = {
  /** Chat messages still shown (deleted and system messages left out). */
  messages: { total: number; students: number; mentor: number };
  questions: { asked: number; answered: number; dismissed: number; withdrawn: number; open: number };
  polls: PollEngagement[];
  signals: { lost: number; slowDown: number; students: number };
  /** Same instants as `timeline` (the viewers chart), with each signal counted at the nearest one. */
  timeline: EngagementPoint[];
  /** Students who joined or took part, most engaged first. */
  students: StudentParticipation[];
  /** Students marked as having attended (set when the class ends). */
  attendedStudents: number;
};

/** One ended class in the dashboard's engagement series (oldest first). */
export type ClassEngagementPoint = {
  id: string;
  title: string;
  /** When it started (its scheduled time if it never did). */
  at: string;
  /** Students who joined. */
  attendance: number;
  /** Students marked as having attended (watched at least the configured share). */
  attended: number;
  messages: number;
  questions: number;
  polls: number;
  /** Votes ÷ (launched polls × students who joined): the average poll's participation; null without polls or students. */
  pollParticipation: number | null;
  lostSignals: number;
  slowDownSignals: number;
};

export type DashboardResponse = {
  sessions: Record<SessionStatus, number>;
  totals: { totalViewers: number; totalWatchSeconds: number; averageWatchSeconds: number; chatMessages: number };
  upcoming: SessionDto[];
  recent: (SessionDto & { averageWatchSeconds: number })[];
  /** The most recent ended classes' engagement, oldest first, for the charts across classes. */
  engagement: ClassEngagementPoint[];
};

/** GET /api/live/me/attended: the classes this student attended (watched at least the configured share of). */
export type AttendedClassDto = {
  id: string;
  title: string;
  course: CourseRef | null;
  startedAt: string | null;
  endedAt: string | null;
  watchSeconds: number;
};

export type SessionOptionsResponse = {
  courses: CourseRef[];
  /** Super-admins only: the mentors a session can be scheduled for. */
  instructors: { id: number; name: string }[];
};

export type { Playback, StreamHealth };
