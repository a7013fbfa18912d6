export const SESSION_UID = 'plugin::live.live-session';
export const ATTENDEE_UID = 'plugin::live.live-attendee';
export const STREAM_EVENT_UID = 'plugin::live.live-stream-event';
export const COURSE_UID = 'api::course.course';
export const ENROLLMENT_UID = 'api::enrollment.enrollment';
export const INSTRUCTOR_UID = 'api::instructor.instructor';

/** Admin-panel RBAC actions (registered as plugin::live.sessions.*). */
export const SESSION_ACTIONS = {
  read: 'plugin::live.sessions.read',
  create: 'plugin::live.sessions.create',
  update: 'plugin::live.sessions.update',
  delete: 'plugin::live.sessions.delete',
  control: 'plugin::live.sessions.control',
  streamKey: 'plugin::live.sessions.stream-key',
  /** Delete chat messages, mute and ban students, slow mode (realtime module). */
  moderateChat: 'plugin::live.chat.moderate',
} as const;
export type SessionAction = (typeof SESSION_ACTIONS)[keyof typeof SESSION_ACTIONS];

/** The condition that limits a mentor to the sessions they teach. */
export const OWN_SESSIONS_CONDITION = 'plugin::live.own-live-sessions';

/** A session may be scheduled a little in the past (clock skew, "starting now"). */
export const SCHEDULE_PAST_TOLERANCE_MS = 5 * 60_000;
/** Attendance intervals kept per student and session (older ones are merged). */
export const MAX_ATTENDANCE_INTERVALS = 100;
/** Points on the analytics chart. */
export const TIMELINE_POINTS = 60;
